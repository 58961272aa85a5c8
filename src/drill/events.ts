import type { Mode } from "../model/scenario.js";

/**
 * Everything that can happen in a drill. The engine's reducer folds these into state, the journal
 * stores them one per line, and history recomputes timings from them; so the shapes are a file
 * format: add optional fields freely, never rename or remove one without bumping JOURNAL_SCHEMA.
 */
export type DrillEvent =
  | {
      type: "drill.started";
      mode: Mode;
      responder: string;
      /** TTD counts only alerts from the team's monitoring (the scenario has monitoring signals) */
      ttdFrom?: "monitoring";
    }
  | {
      type: "fault.applied";
      fault: number;
      label: string;
      /** drill time the apply began (the event's `t` is when it landed): the backend's share */
      applyStartedT?: number;
    }
  | { type: "fault.reverted"; fault: number; label: string; reason: string }
  | { type: "fault.failed"; fault: number; label: string; error: string }
  | {
      type: "signal.shown";
      signal: number;
      kind: "alert" | "log" | "metric";
      text: string;
      /** a monitoring signal: where it came from (the event's `t` is when firedrill saw it) */
      source?: "alertmanager" | "prometheus";
      /** the alert's own time: Alertmanager's startsAt, Prometheus's activeAt (ISO) */
      activeAt?: string;
      /** the same on the drill's clock, for detection latency (fault → active → seen) */
      activeT?: number;
      /** a query signal's value when it crossed its limit */
      value?: number;
    }
  | {
      type: "detection.gap";
      signal: number;
      /** the alert (or query) that did not fire */
      name: string;
      /** how long after the first fault it was expected */
      withinMs: number;
    }
  | { type: "probe.result"; probe: string; ok: boolean; latencyMs: number; detail: string }
  | { type: "acknowledged"; by: string }
  | { type: "escalated"; level: number; who: string }
  | { type: "procedure.selected"; procedure: string }
  | { type: "step.started"; procedure: string; step: string }
  | {
      type: "step.completed";
      procedure: string;
      step: string;
      note?: string;
      outcome?: string;
      /** derived: the step's command exited 0 (the responder can still mark it skipped) */
      byCommand?: boolean;
    }
  | { type: "step.skipped"; procedure: string; step: string; reason?: string }
  | {
      type: "command.ran";
      command: string[] | string;
      exitCode: number | null;
      durationMs: number;
      /** true when typed ad hoc by the responder rather than taken from a runbook step */
      offRunbook: boolean;
      procedure?: string;
      step?: string;
      cancelled?: boolean;
      outputTail?: string;
      /** tabletop: the command was recorded, never run */
      notRun?: "tabletop";
      /** tabletop: the scenario's outcome for the step, shown instead of output */
      outcome?: string;
    }
  | { type: "hint.taken"; hint: number; cost: number; text: string }
  | { type: "mitigated"; by: string }
  | { type: "recovered"; probe?: string }
  | { type: "aborted"; by: string; reason: string }
  | { type: "safety.stopped"; reason: string; probe?: string }
  | { type: "timed.out"; limitMs: number }
  | { type: "note"; text: string; tag?: NoteTag }
  /** tabletop: the facilitator stopped the drill clock; timers and timings wait */
  | { type: "clock.paused"; reason?: string }
  | { type: "clock.resumed"; pausedMs: number }
  /** the facilitator called the drill over without it recovering: outcome not-recovered */
  | { type: "drill.ended"; by: string; reason: string };

/** What a scribe's note records; an `action` is an action item for after the drill. */
export type NoteTag = "observation" | "decision" | "action";
export const NOTE_TAGS: readonly NoteTag[] = ["observation", "decision", "action"];

/** Who made an event happen: a person in one of the drill's roles, or firedrill itself. */
export type Actor = "responder" | "facilitator" | "scribe" | "firedrill";
export const ACTORS: readonly Actor[] = ["responder", "facilitator", "scribe", "firedrill"];

export type DrillEventType = DrillEvent["type"];

/** An event as it happened: `t` is milliseconds since the drill started on the drill's clock. */
export interface TimedEvent {
  t: number;
  event: DrillEvent;
  /** Absent in journals written before it was recorded: see actorOf. */
  actor?: Actor;
}

/** Events only a person answering the drill makes; anything else unattributed was firedrill's. */
const RESPONDER_EVENTS: ReadonlySet<DrillEventType> = new Set([
  "acknowledged",
  "escalated",
  "procedure.selected",
  "step.started",
  "step.completed",
  "step.skipped",
  "command.ran",
  "hint.taken",
  "mitigated",
]);

/** The event's actor, or for an older journal the one it can only have been. */
export function actorOf(timed: TimedEvent): Actor {
  if (timed.actor) return timed.actor;
  const { event } = timed;
  if (event.type === "step.completed" && event.byCommand) return "firedrill";
  if (event.type === "aborted") return event.by === "firedrill" ? "firedrill" : "responder";
  return RESPONDER_EVENTS.has(event.type) ? "responder" : "firedrill";
}
