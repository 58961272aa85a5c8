import type { JournalHeader } from "../drill/journal-format.js";
import type { PathStep } from "../drill/journal-record.js";

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
 * The responder's path against the expected procedure. A step is out of order when it is not on
 * the longest run of completed steps that follows the runbook's order, so one early action flags
 * that action, not everything after it.
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

  // Completed expected steps in the order they were done, as expected indices.
  const done = [...firstDone.values()].sort((a, b) => a.t - b.t);
  const order = done.map((p) => index.get(p.step)!);
  // Among equally long in-order runs keep the checks, so an action taken before its check is
  // what gets flagged, not the check done late.
  const inOrder = longestIncreasing(
    order,
    order.map((i) => (steps[i]!.kind === "action" ? 1000 : 1001)),
  );

  const verdicts: StepVerdict[] = steps.map((s) => ({
    id: s.id,
    kind: s.kind,
    title: s.title,
    optional: s.optional === true,
    status: "not-done" as StepStatus,
  }));
  done.forEach((p, position) => {
    const v = verdicts[order[position]!]!;
    v.t = p.t;
    if (inOrder.has(position)) {
      v.status = "done";
      return;
    }
    v.status = "out-of-order";
    const own = order[position]!;
    const laterButEarlier = done.findIndex((_, j) => j > position && order[j]! < own);
    const earlierButLater = done.findIndex((_, j) => j < position && order[j]! > own);
    if (laterButEarlier !== -1)
      v.detail = `done before ${done[laterButEarlier]!.step}, which the runbook puts first`;
    else if (earlierButLater !== -1)
      v.detail = `done after ${done[earlierButLater]!.step}, which the runbook puts later`;
  });
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

/** Positions of the increasing subsequence with the largest total weight. */
function longestIncreasing(values: readonly number[], weights: readonly number[]): Set<number> {
  const total: number[] = [];
  const prev: number[] = [];
  let best = -1;
  for (let i = 0; i < values.length; i++) {
    total[i] = weights[i]!;
    prev[i] = -1;
    for (let j = 0; j < i; j++) {
      if (values[j]! < values[i]! && total[j]! + weights[i]! > total[i]!) {
        total[i] = total[j]! + weights[i]!;
        prev[i] = j;
      }
    }
    if (best === -1 || total[i]! >= total[best]!) best = i;
  }
  const kept = new Set<number>();
  for (let i = best; i !== -1; i = prev[i]!) kept.add(i);
  return kept;
}
