import type { JournalHeader } from "../drill/journal-format.js";
import type { PathStep } from "../drill/journal-record.js";
import { judgeOrder } from "../drill/step-order.js";
import { judgeSteps, type StepMark, type StepVerdictStatus } from "../drill/step-verdict.js";

export type { StepVerdictStatus as StepStatus } from "../drill/step-verdict.js";

/** One expected step and what became of it (drill/step-verdict.ts decides). */
export interface StepVerdict {
  id: string;
  kind: string;
  title: string;
  optional: boolean;
  status: StepVerdictStatus;
  /** Counted by the score (required and due); a counted step not done cost points. */
  counted: boolean;
  /** When it was completed or skipped (ms since the drill started). */
  t?: number;
  /** Why it was skipped. */
  detail?: string;
  /** A done step out of the runbook's order, and how. */
  outOfOrder?: string;
}

export interface Adherence {
  procedure: string | null;
  steps: StepVerdict[];
  /** Steps completed that the expected procedure does not have (e.g. from another procedure). */
  extra: PathStep[];
  /** Required steps the drill needed and nobody did or skipped (status `missed`). */
  missed: StepVerdict[];
  /** Steps the responder skipped (status `skipped`). */
  skipped: StepVerdict[];
  outOfOrder: StepVerdict[];
}

type Expected = NonNullable<JournalHeader["expectedSteps"]>;

/**
 * The responder's path against the expected procedure: each step's status as the score judged it
 * (drill/step-verdict.ts), and out of order the steps the score took order points for
 * (drill/step-order.ts): actions off the longest in-order run of actions, and required checks done
 * after the action they were due before.
 */
export function compareToExpected(
  expected: Expected | undefined,
  path: readonly PathStep[],
  procedure: string | null,
  recovered: boolean,
): Adherence {
  const steps = expected ?? [];
  const relevant = procedure === null ? path : path.filter((p) => p.procedure === procedure);
  const ids = new Set(steps.map((s) => s.id));
  const extra = relevant.filter((p) => !ids.has(p.step) && p.status === "completed");
  const marks: StepMark[] = relevant
    .filter((p) => ids.has(p.step))
    .map((p) => ({
      step: p.step,
      status: p.status,
      t: p.t,
      ...(p.reason === undefined ? {} : { reason: p.reason }),
    }));
  const judged = judgeSteps(steps, marks, recovered);
  const order = judgeOrder(steps, judged.doneAt);
  const verdicts = steps.map((s, i): StepVerdict => {
    const j = judged.steps[i]!;
    const verdict: StepVerdict = {
      id: s.id,
      kind: s.kind,
      title: s.title,
      optional: j.optional,
      status: j.status,
      counted: j.counted,
      ...(j.t === undefined ? {} : { t: j.t }),
      ...(j.reason === undefined ? {} : { detail: j.reason }),
    };
    if (j.status !== "done") return verdict;
    const action = order.actionsOutOfOrder.get(s.id);
    const before = order.checksDue.get(s.id);
    if (action !== undefined) verdict.outOfOrder = action;
    else if (before !== undefined && !order.checksFirst.has(s.id))
      verdict.outOfOrder = `done after ${before}, which the runbook puts later`;
    return verdict;
  });
  return {
    procedure,
    steps: verdicts,
    extra,
    missed: verdicts.filter((v) => v.status === "missed"),
    skipped: verdicts.filter((v) => v.status === "skipped"),
    outOfOrder: verdicts.filter((v) => v.outOfOrder !== undefined),
  };
}
