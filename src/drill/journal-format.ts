import type { Mode } from "../model/scenario.js";
import type { DrillEvent } from "./events.js";
import type { Timings } from "./timings.js";

/** Bumped whenever a journal line changes incompatibly; readers refuse newer versions. */
export const JOURNAL_SCHEMA = 1;

export type Outcome = "recovered" | "not-recovered" | "aborted" | "timed-out" | "safety-stop";

/** First line of every journal. */
export interface JournalHeader {
  type: "header";
  schema: number;
  drillId: string;
  startedAt: string;
  firedrillVersion: string;
  mode: Mode;
  responder: string;
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
