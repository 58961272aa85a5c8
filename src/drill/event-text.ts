import { commandText } from "../model/common.js";
import { formatDuration } from "../model/duration.js";
import { detectionLines, gapText } from "./detection.js";
import { type Actor, actorOf, type DrillEvent, type NoteTag, type TimedEvent } from "./events.js";
import type { DrillNote, DrillResult } from "./state.js";
import type { Timings } from "./timings.js";

/**
 * One human line per event: the live log of `firedrill run` and the demo, the TUI debrief's
 * timeline and the report's timeline all say it the same way.
 */
export function describeEvent(event: DrillEvent): string {
  switch (event.type) {
    case "drill.started":
      return `drill started (${event.mode}, responder ${event.responder})`;
    case "fault.applied":
      return `fault applied: ${event.label}`;
    case "fault.reverted":
      return `fault reverted: ${event.label} (${event.reason})`;
    case "fault.failed":
      return `fault FAILED: ${event.label}: ${event.error}`;
    case "signal.shown": {
      if (event.source === undefined) return `${event.kind}: ${event.text}`;
      const since = event.activeAt ? `, active since ${event.activeAt}` : "";
      return `${event.kind}: ${event.text} (${event.source}${since})`;
    }
    case "detection.gap":
      return `DETECTION GAP: ${gapText(event)}`;
    case "probe.result":
      return `probe ${event.probe} ${event.ok ? "ok" : "FAIL"} ${event.latencyMs}ms${event.detail ? ` ${event.detail}` : ""}`;
    case "acknowledged":
      return `acknowledged by ${event.by}`;
    case "escalated":
      return `escalated to level ${event.level} (${event.who})`;
    case "procedure.selected":
      return `procedure selected: ${event.procedure}`;
    case "step.started":
      return `step ${event.step} started`;
    case "step.completed":
      return [
        `step ${event.step} done`,
        event.note ? ` (${event.note})` : "",
        event.outcome ? ` → ${event.outcome}` : "",
      ].join("");
    case "step.skipped":
      return `step ${event.step} skipped${event.reason ? ` (${event.reason})` : ""}`;
    case "command.ran": {
      if (event.notRun) {
        const outcome = event.outcome ? ` → ${event.outcome}` : "";
        return `command ${commandText(event.command)}: not run (${event.notRun})${outcome}`;
      }
      const how = event.cancelled ? "cancelled" : `exit ${event.exitCode ?? "none"}`;
      const where = event.offRunbook ? "off-runbook " : "";
      return `${where}command ${commandText(event.command)}: ${how} in ${formatDuration(event.durationMs)}`;
    }
    case "hint.taken":
      return `hint ${event.hint + 1} taken (-${event.cost}): ${event.text}`;
    case "mitigated":
      return `mitigation declared by ${event.by}`;
    case "recovered":
      return `RECOVERED${event.probe ? ` (probe ${event.probe})` : ""}`;
    case "aborted":
      return `ABORTED by ${event.by}: ${event.reason}`;
    case "safety.stopped":
      return `SAFETY STOP: ${event.reason}`;
    case "timed.out":
      return `TIMED OUT after ${formatDuration(event.limitMs)}`;
    case "note":
      return event.tag ? `${NOTE_TAG_TEXT[event.tag]}: ${event.text}` : `note: ${event.text}`;
    case "clock.paused":
      return `clock paused${event.reason ? ` (${event.reason})` : ""}`;
    case "clock.resumed":
      return `clock resumed after ${formatDuration(event.pausedMs)}`;
    case "drill.ended":
      return `ENDED by ${event.by}: ${event.reason}`;
    default:
      // A journal is read as written: an event type this version does not know still gets a line.
      return `event ${(event as { type: string }).type}`;
  }
}

export const NOTE_TAG_TEXT: Record<NoteTag, string> = {
  observation: "observation",
  decision: "decision",
  action: "action item",
};

/** `[  12.3s] fault applied: …`; with `actors`, who did it: `[  12.3s] facilitator: fault applied: …` */
export function eventLine(timed: TimedEvent, options: { actors?: boolean } = {}): string {
  const seconds = (timed.t / 1000).toFixed(1).padStart(6);
  const who = options.actors ? `${actorOf(timed)}: ` : "";
  return `[${seconds}s] ${who}${describeEvent(timed.event)}`;
}

export interface TimelineEntry {
  t: number;
  type: string;
  text: string;
  actor: Actor;
}

/**
 * The events worth reading back after a drill. A probe's heartbeat is noise: a probe shows when it
 * starts failing and when it passes again, not while it stays as it was (and not passing before
 * anything broke). A step's start is folded into its completion.
 */
export function timeline(events: readonly TimedEvent[]): TimelineEntry[] {
  const failing = new Set<string>();
  const entries: TimelineEntry[] = [];
  for (const timed of events) {
    const { t, event } = timed;
    if (event.type === "step.started") continue;
    if (event.type === "probe.result") {
      const wasFailing = failing.has(event.probe);
      if (event.ok === !wasFailing) continue;
      if (event.ok) failing.delete(event.probe);
      else failing.add(event.probe);
    }
    entries.push({ t, type: event.type, text: describeEvent(event), actor: actorOf(timed) });
  }
  return entries;
}

/** The scribe's (and anyone's) notes as debrief lines; action items last, where they are acted on. */
export function notesLines(notes: readonly DrillNote[]): string[] {
  if (notes.length === 0) return [];
  const stamp = (n: DrillNote) => `[${(n.t / 1000).toFixed(1).padStart(6)}s]`;
  const others = notes.filter((n) => n.tag !== "action");
  const actions = notes.filter((n) => n.tag === "action");
  const lines: string[] = [];
  if (others.length > 0) {
    lines.push("notes:");
    for (const n of others) {
      lines.push(`  ${stamp(n)} ${n.actor}: ${n.tag ? `${NOTE_TAG_TEXT[n.tag]}: ` : ""}${n.text}`);
    }
  }
  if (actions.length > 0) {
    lines.push("action items:");
    for (const n of actions) lines.push(`  - ${n.text} (${n.actor}, ${stamp(n)})`);
  }
  return lines;
}

export function timingsLine(timings: Timings, targets: Partial<Timings> = {}): string {
  const keys = ["ttd", "tta", "ttm", "ttr"] as const;
  return keys
    .map((key) => {
      const value = timings[key];
      const target = targets[key];
      const shown = formatDuration(value);
      return `${key.toUpperCase()} ${shown}${target == null ? "" : ` (target ${formatDuration(target)})`}`;
    })
    .join("  ");
}

/** The debrief as plain lines: outcome, timings, score and every item of the breakdown. */
export function debriefLines(result: DrillResult, targets: Partial<Timings> = {}): string[] {
  const lines = [
    `outcome: ${result.outcome}${result.withinTarget ? " within target" : ""}`,
    `timings: ${timingsLine(result.timings, targets)}`,
    `score: ${result.score}/100 (${result.grade})`,
    ...(result.detection ? detectionLines(result.detection) : []),
  ];
  for (const item of result.breakdown) {
    const points = item.max > 0 ? `${item.points}/${item.max}` : `${item.points}`;
    lines.push(`  ${item.label.padEnd(20)} ${points.padStart(6)}  ${item.detail}`);
  }
  return lines;
}
