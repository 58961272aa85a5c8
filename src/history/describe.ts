import type { DrillEvent, TimedEvent } from "../drill/events.js";
import type { DrillOutcome } from "../drill/journal-record.js";
import { commandText } from "../model/common.js";
import { formatDuration } from "../model/duration.js";

/** `2026-03-01 14:05 UTC`: reports are shared across time zones, so they say UTC. */
export function formatDate(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** `2026-03-01`, for chart axes and narrow tables. */
export function formatDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function formatOffset(ms: number): string {
  return ms === 0 ? "+0s" : `+${formatDuration(ms)}`;
}

export function formatMaybe(ms: number | null): string {
  return ms === null ? "—" : formatDuration(ms);
}

export const OUTCOME_TEXT: Record<DrillOutcome, string> = {
  recovered: "recovered",
  "not-recovered": "did not recover",
  aborted: "aborted",
  "timed-out": "timed out",
  "safety-stop": "stopped by a safety limit",
  incomplete: "incomplete (no summary: the drill was killed)",
};

/** One event in words, for timelines. */
export function describeEvent(event: DrillEvent): string {
  switch (event.type) {
    case "drill.started":
      return `Drill started (${event.mode}, responder ${event.responder})`;
    case "fault.applied":
      return `Fault applied: ${event.label}`;
    case "fault.reverted":
      return `Fault reverted: ${event.label} (${event.reason})`;
    case "fault.failed":
      return `Fault failed: ${event.label}: ${event.error}`;
    case "signal.shown":
      return `${event.kind[0]!.toUpperCase()}${event.kind.slice(1)}: ${event.text}`;
    case "probe.result":
      return `Probe ${event.probe} ${event.ok ? "passing" : "failing"}${event.detail ? ` (${event.detail})` : ""}`;
    case "acknowledged":
      return `Acknowledged by ${event.by}`;
    case "escalated":
      return `Escalated to level ${event.level}: ${event.who}`;
    case "procedure.selected":
      return `Procedure selected: ${event.procedure}`;
    case "step.started":
      return `Step started: ${event.step}`;
    case "step.completed":
      return `Step done: ${event.step}${event.outcome ? ` → ${event.outcome}` : ""}${event.note ? ` (${event.note})` : ""}`;
    case "step.skipped":
      return `Step skipped: ${event.step}${event.reason ? ` (${event.reason})` : ""}`;
    case "command.ran": {
      const how = event.cancelled ? "cancelled" : `exit ${event.exitCode ?? "?"}`;
      return `${event.offRunbook ? "Off-runbook command" : "Command"}: ${commandText(event.command)} (${how}, ${formatDuration(event.durationMs)})`;
    }
    case "hint.taken":
      return `Hint ${event.hint + 1} taken (−${event.cost}): ${event.text}`;
    case "mitigated":
      return `Mitigated (declared by ${event.by})`;
    case "recovered":
      return `Recovered${event.probe ? ` (probe ${event.probe})` : ""}`;
    case "aborted":
      return `Aborted by ${event.by}: ${event.reason}`;
    case "safety.stopped":
      return `Safety stop: ${event.reason}`;
    case "timed.out":
      return `Timed out after ${formatDuration(event.limitMs)}`;
    case "note":
      return `Note: ${event.text}`;
    default:
      return `Event ${(event as { type: string }).type}`;
  }
}

export interface TimelineEntry {
  t: number;
  type: string;
  text: string;
}

/**
 * The timeline worth reading: probe results only when a probe changes state (a probe every second
 * for ten minutes is noise), step starts folded into their completion.
 */
export function timeline(events: readonly TimedEvent[]): TimelineEntry[] {
  const probeState = new Map<string, boolean>();
  const entries: TimelineEntry[] = [];
  for (const { t, event } of events) {
    if (event.type === "probe.result") {
      if (probeState.get(event.probe) === event.ok) continue;
      probeState.set(event.probe, event.ok);
    }
    if (event.type === "step.started") continue;
    entries.push({ t, type: event.type, text: describeEvent(event) });
  }
  return entries;
}
