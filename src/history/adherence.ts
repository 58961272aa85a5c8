import type { JournalHeader } from "../drill/journal-format.js";
import type { PathStep } from "../drill/journal-record.js";
import { judgeOrder } from "../drill/step-order.js";

export type StepStatus = "done" | "out-of-order" | "skipped" | "not-done";

/** One expected step and what the responder did with it. */
export interface StepVerdict {
  id: string;
  kind: string;
  title: string;
  optional: boolean;
  status: StepStatus;
  /** When it was completed or skipped (ms since the drill started). */
  t?: number;
  /** Why it was skipped, or how it was out of order. */
  detail?: string;
}

export interface Adherence {
  procedure: string | null;
  steps: StepVerdict[];
  /** Steps completed that the expected procedure does not have (e.g. from another procedure). */
  extra: PathStep[];
  /** Required steps not done: skipped explicitly or never reached. */
  missed: StepVerdict[];
  outOfOrder: StepVerdict[];
}

type Expected = NonNullable<JournalHeader["expectedSteps"]>;

/**
 * The responder's path against the expected procedure. Out of order are the steps the score took
 * order points for (drill/step-order.ts): actions off the longest in-order run of actions, and
 * required checks done after the action they were due before.
 */
export function compareToExpected(
  expected: Expected | undefined,
  path: readonly PathStep[],
  procedure: string | null,
): Adherence {
  const steps = expected ?? [];
  const relevant = procedure === null ? path : path.filter((p) => p.procedure === procedure);
  const index = new Map(steps.map((s, i) => [s.id, i]));
  const firstDone = new Map<string, PathStep>();
  const firstSkip = new Map<string, PathStep>();
  const extra: PathStep[] = [];
  for (const p of relevant) {
    if (!index.has(p.step)) {
      if (p.status === "completed") extra.push(p);
      continue;
    }
    if (p.status === "completed" && !firstDone.has(p.step)) firstDone.set(p.step, p);
    if (p.status === "skipped" && !firstSkip.has(p.step)) firstSkip.set(p.step, p);
  }

  const verdicts: StepVerdict[] = steps.map((s) => ({
    id: s.id,
    kind: s.kind,
    title: s.title,
    optional: s.optional === true,
    status: "not-done" as StepStatus,
  }));
  const doneAt = new Map([...firstDone].map(([id, p]) => [id, p.t]));
  const order = judgeOrder(steps, doneAt);
  for (const v of verdicts) {
    const t = doneAt.get(v.id);
    if (t === undefined) continue;
    v.t = t;
    v.status = "done";
    const action = order.actionsOutOfOrder.get(v.id);
    const before = order.checksDue.get(v.id);
    if (action !== undefined) {
      v.status = "out-of-order";
      v.detail = action;
    } else if (before !== undefined && !order.checksFirst.has(v.id)) {
      v.status = "out-of-order";
      v.detail = `done after ${before}, which the runbook puts later`;
    }
  }
  for (const v of verdicts) {
    if (v.status !== "not-done") continue;
    const skip = firstSkip.get(v.id);
    if (skip) {
      v.status = "skipped";
      v.t = skip.t;
      if (skip.reason) v.detail = skip.reason;
    }
  }
  return {
    procedure,
    steps: verdicts,
    extra,
    missed: verdicts.filter(
      (v) => !v.optional && (v.status === "skipped" || v.status === "not-done"),
    ),
    outOfOrder: verdicts.filter((v) => v.status === "out-of-order"),
  };
}
