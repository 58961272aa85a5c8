import type { TimedEvent } from "./events.js";

/**
 * What became of each step of the expected procedure. The score (score.ts), the debrief, every
 * report and export and the drift table render this one answer, so a step never reads "missed" in
 * one place and "done" in another. docs/scoring.md ("What became of each step") is its
 * specification, and test/drill/step-verdict.test.ts runs that table.
 */
export type StepVerdictStatus = "done" | "skipped" | "missed" | "not-reached" | "not-needed";

/** How every output names a status. */
export const STEP_STATUS_TEXT: Record<StepVerdictStatus, string> = {
  done: "done",
  skipped: "skipped",
  missed: "missed",
  "not-reached": "not reached",
  "not-needed": "not needed",
};

export interface VerdictStep {
  id: string;
  kind: string;
  optional?: boolean;
}

/** A step completed or skipped, in the order it happened (the journal's `step.*` events). */
export interface StepMark {
  step: string;
  status: "completed" | "skipped";
  t: number;
  reason?: string;
  /** Completed because its command exited 0, not by the responder's own mark. */
  byCommand?: boolean;
}

export interface StepVerdict {
  id: string;
  kind: string;
  optional: boolean;
  status: StepVerdictStatus;
  /** One of the required steps the score counts: required (not optional, not rollback) and due. */
  counted: boolean;
  /** When it was first done, or skipped (ms since the drill started). */
  t?: number;
  /** Why it was skipped, when the responder said. */
  reason?: string;
  /** Done because its command exited 0 and nobody marked it otherwise. */
  byCommand?: boolean;
}

export interface StepVerdicts {
  steps: StepVerdict[];
  /** When each done step was first done: what runbook order is judged on (step-order.ts). */
  doneAt: Map<string, number>;
  /** Steps counted, and how many of them are done. */
  counted: number;
  countedDone: number;
}

/**
 * The rule, in order:
 * - the responder's last mark decides: completed (by hand, or by its command exiting 0) is done,
 *   skipped is skipped; so a step done by its command can still be marked skipped;
 * - a step neither done nor skipped is not needed when optional, not reached when a rollback
 *   (rollbacks come after the incident) or when the drill recovered before it was due (listed
 *   after the last step done), and missed otherwise: required, and the drill needed it;
 * - a required step is counted by the score when it was due: the drill did not recover, or it is
 *   listed no later than the last step done.
 */
export function judgeSteps(
  steps: readonly VerdictStep[],
  marks: readonly StepMark[],
  recovered: boolean,
): StepVerdicts {
  const last = new Map<string, StepMark>();
  const firstDone = new Map<string, StepMark>();
  for (const mark of marks) {
    last.set(mark.step, mark);
    if (mark.status === "completed" && !firstDone.has(mark.step)) firstDone.set(mark.step, mark);
  }
  const doneAt = new Map<string, number>();
  for (const step of steps) {
    const first = firstDone.get(step.id);
    if (first && last.get(step.id)?.status === "completed") doneAt.set(step.id, first.t);
  }
  const lastDone = steps.reduce((at, s, i) => (doneAt.has(s.id) ? i : at), -1);

  let counted = 0;
  let countedDone = 0;
  const verdicts = steps.map((step, index): StepVerdict => {
    const optional = step.optional === true;
    const required = !optional && step.kind !== "rollback";
    const due = !recovered || index <= lastDone;
    const isCounted = required && due;
    const base = { id: step.id, kind: step.kind, optional, counted: isCounted };
    if (isCounted) counted++;
    const done = doneAt.get(step.id);
    if (done !== undefined) {
      if (isCounted) countedDone++;
      const first = firstDone.get(step.id);
      return { ...base, status: "done", t: done, ...(first?.byCommand ? { byCommand: true } : {}) };
    }
    const mark = last.get(step.id);
    if (mark?.status === "skipped") {
      return {
        ...base,
        status: "skipped",
        t: mark.t,
        ...(mark.reason === undefined ? {} : { reason: mark.reason }),
      };
    }
    const status: StepVerdictStatus = optional
      ? "not-needed"
      : isCounted
        ? "missed"
        : "not-reached";
    return { ...base, status };
  });
  return { steps: verdicts, doneAt, counted, countedDone };
}

/** The marks of one procedure's steps, from a drill's events. */
export function stepMarks(events: readonly TimedEvent[], procedure: string): StepMark[] {
  const marks: StepMark[] = [];
  for (const { t, event } of events) {
    if (event.type === "step.completed" && event.procedure === procedure) {
      marks.push({
        step: event.step,
        status: "completed",
        t,
        ...(event.byCommand ? { byCommand: true } : {}),
      });
    } else if (event.type === "step.skipped" && event.procedure === procedure) {
      marks.push({
        step: event.step,
        status: "skipped",
        t,
        ...(event.reason === undefined ? {} : { reason: event.reason }),
      });
    }
  }
  return marks;
}
