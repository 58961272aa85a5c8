import type { Detection } from "./detection.js";
import type { Actor, NoteTag, TimedEvent } from "./events.js";
import type { JournalHeader, JournalSummary, Outcome } from "./journal-format.js";
import type { Timings } from "./timings.js";

/** A step the responder finished or skipped, in the order it happened. */
export interface PathStep {
  procedure: string;
  step: string;
  status: "completed" | "skipped";
  t: number;
  reason?: string;
  note?: string;
}

/** A command typed ad hoc by the responder (`command.ran` with `offRunbook: true`). */
export interface OffRunbookCommand {
  command: string;
  argv: string[] | null;
  t: number;
  exitCode: number | null;
  procedure?: string;
  /** The runbook step the responder was on when they typed it, when the engine knew. */
  step?: string;
}

/**
 * What history and reports need from a drill's events, gathered while the journal is parsed so
 * that 10,000 drills can be summarised without keeping 400,000 event objects alive.
 */
export interface DrillDigest {
  eventCount: number;
  procedure?: string;
  path: PathStep[];
  offRunbook: OffRunbookCommand[];
  hints: { hint: number; cost: number; text: string; t: number }[];
  escalations: { level: number; who: string; t: number }[];
  /** Notes in the order written: the scribe's tagged observations, decisions and action items. */
  notes: { t: number; text: string; tag?: NoteTag; actor: Actor }[];
  /** How many events the facilitator made happen (signals revealed, faults injected, hints…). */
  facilitatorActions: number;
  /** Alerts from the team's monitoring (with detection latency) and detection gaps. */
  detection: Detection;
  /** When the drill ended: the summary's end time, or the last event's time for an incomplete one. */
  durationMs: number;
}

export type DrillOutcome = Outcome | "incomplete";

/** One drill as history sees it: a journal file read, validated and summarised. */
export interface DrillRecord {
  file: string;
  header: JournalHeader;
  /** Every event in order; empty unless the journal was read with `keepEvents`. */
  events: TimedEvent[];
  /** The summary line; null when the drill was killed before writing it. */
  summary: JournalSummary | null;
  complete: boolean;
  startedAt: Date;
  /** From the summary, or recomputed with computeTimings for an incomplete drill. */
  timings: Timings;
  outcome: DrillOutcome;
  /** TTR at or under the scenario's TTR target. */
  withinTarget: boolean;
  score: number | null;
  grade: string | null;
  team: string;
  digest: DrillDigest;
}

/** Something wrong with a journal; always shown to the user, never skipped silently. */
export interface JournalProblem {
  file: string;
  /** 1-based line number, when the problem is one line. */
  line?: number;
  severity: "warning" | "error";
  message: string;
}

export function problemText(problem: JournalProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  return `${where}: ${problem.message}`;
}

export const NO_OWNER = "(no owner)";
