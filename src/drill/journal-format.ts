import type { Mode } from "../model/scenario.js";
import type { Actor, DrillEvent } from "./events.js";
import type { Timings } from "./timings.js";

/** Bumped whenever a journal line changes incompatibly; readers refuse newer versions. */
export const JOURNAL_SCHEMA = 1;

export type Outcome = "recovered" | "not-recovered" | "aborted" | "timed-out" | "safety-stop";

/**
 * Who answered the drill: a person (the TUI), `run --auto` (the runbook walked by firedrill) or
 * `run --script` (a replayed script). History compares people with people: a robot's 3 ms
 * acknowledgement says nothing about a team's speed.
 */
export type ResponderKind = "person" | "auto" | "script";
export const RESPONDER_KINDS: readonly ResponderKind[] = ["person", "auto", "script"];

/** Below this, an acknowledgement after the first fault was a driver's, not a person's. */
export const MACHINE_ACK_MS = 50;

/**
 * The header's responderKind; for a journal written before it was recorded: \`auto\` or \`script\`
 * when the responder is named so, \`auto\` when the drill was acknowledged under 50 ms after the
 * first fault (the old \`--auto\` did so in 1–3 ms; no person reads a screen that fast), else a
 * person.
 */
export function responderKindOf(
  header: Pick<JournalHeader, "responder" | "responderKind">,
  tta: number | null,
): ResponderKind {
  if (header.responderKind !== undefined && RESPONDER_KINDS.includes(header.responderKind))
    return header.responderKind;
  const name = header.responder.trim().toLowerCase();
  if (name === "auto" || name === "firedrill-auto") return "auto";
  if (name === "script" || name === "firedrill-script") return "script";
  if (tta !== null && tta < MACHINE_ACK_MS) return "auto";
  return "person";
}

/** First line of every journal. */
export interface JournalHeader {
  type: "header";
  schema: number;
  drillId: string;
  startedAt: string;
  firedrillVersion: string;
  mode: Mode;
  responder: string;
  /** Absent in journals written before it was recorded: see responderKindOf. */
  responderKind?: ResponderKind;
  scenario: {
    id: string;
    title: string;
    service: string;
    owner?: string;
    procedure?: string;
    file?: string;
  };
  targets: { ttr: number; ttd?: number; tta?: number; ttm?: number };
  /** Steps of the expected procedure in order, so reports survive runbook edits. */
  expectedSteps?: { id: string; kind: string; title: string; optional?: boolean }[];
}

/** One line per event, fsynced as it happens. `at` is wall-clock ISO time. */
export interface JournalEventLine {
  type: "event";
  t: number;
  at: string;
  event: DrillEvent;
  /** who made it happen; absent in journals written before it was recorded (see actorOf) */
  actor?: Actor;
}

export interface ScoreItem {
  /** What was judged, e.g. "ttr", "adherence", "hints", "escalation", "abort". */
  key: string;
  label: string;
  points: number;
  max: number;
  detail: string;
}

/** Last line; a journal without it is incomplete (the drill was killed). */
export interface JournalSummary {
  type: "summary";
  endedAt: string;
  outcome: Outcome;
  timings: Timings;
  withinTarget: boolean;
  score: number;
  grade: string;
  breakdown: ScoreItem[];
}

export type JournalLine = JournalHeader | JournalEventLine | JournalSummary;
