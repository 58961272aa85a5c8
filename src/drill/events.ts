/**
 * Everything that can happen in a drill. The engine's reducer folds these into state, the journal
 * stores them one per line, and history recomputes timings from them; so the shapes are a file
 * format, defined once as the journal's schema (model/journal-file.ts): add kinds and fields there.
 */
export {
  ACTORS,
  type Actor,
  type DrillEvent,
  type DrillEventType,
  NOTE_TAGS,
  type NoteTag,
} from "../model/journal-file.js";

import type { Actor, DrillEvent, DrillEventType } from "../model/journal-file.js";

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
