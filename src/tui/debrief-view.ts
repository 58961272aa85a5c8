import type { TimedEvent } from "../drill/events.js";
import type { DrillState } from "../drill/state.js";
import { compareDurations, median } from "../drill/stats.js";
import type { Timings } from "../drill/timings.js";
import { commandText } from "../model/common.js";
import { clock, duration } from "./format.js";
import type { PastDrill } from "./types.js";

export type Verdict = "better" | "worse" | "same" | "first" | "none";

export interface TimingRow {
  name: "TTD" | "TTA" | "TTM" | "TTR";
  value: string;
  target: string;
  /** null: no target or no value */
  withinTarget: boolean | null;
  previous: string;
  verdict: Verdict;
}

const KEYS = [
  ["TTD", "ttd"],
  ["TTA", "tta"],
  ["TTM", "ttm"],
  ["TTR", "ttr"],
] as const;

/**
 * Each timing against its target and against the median of this scenario's earlier drills (only
 * drills that reached that moment count), by the same rule as reports (compareDurations).
 */
export function timingRows(
  state: DrillState,
  timings: Timings,
  previous: readonly PastDrill[],
): TimingRow[] {
  const targets = state.setup.scenario.targets;
  return KEYS.map(([name, key]) => {
    const value = timings[key];
    const target = targets[key];
    const past = previous.map((p) => p[key]).filter((v): v is number => v !== null);
    const base = median(past);
    let verdict: Verdict = "none";
    if (value !== null && base === null) verdict = previous.length === 0 ? "first" : "none";
    else verdict = compareDurations(value, base) ?? "none";
    return {
      name,
      value: duration(value),
      target: target === undefined ? "—" : duration(target),
      withinTarget: value === null || target === undefined ? null : value <= target,
      previous: base === null ? "—" : duration(base),
      verdict,
    };
  });
}

export interface StepMark {
  id: string;
  title: string;
  kind: string;
  status: "done" | "skipped" | "missed" | "pending";
  optional: boolean;
}

/** The expected procedure's steps and what became of each; missed = required and not done. */
export function expectedSteps(state: DrillState): { procedure: string | null; steps: StepMark[] } {
  const procedure = state.procedures.find((p) => p.id === state.expectedProcedure);
  if (!procedure) return { procedure: state.expectedProcedure, steps: [] };
  return {
    procedure: procedure.title,
    steps: procedure.steps.map((s) => ({
      id: s.id,
      title: s.title,
      kind: s.kind,
      optional: s.optional,
      status:
        s.status === "done"
          ? "done"
          : s.status === "skipped"
            ? "skipped"
            : s.optional
              ? "pending"
              : "missed",
    })),
  };
}

/** One line per event worth reading back; the probe heartbeat is left out (its failures are not). */
export function timelineLines(events: readonly TimedEvent[]): string[] {
  const lines: string[] = [];
  let failing = new Set<string>();
  for (const { t, event } of events) {
    const at = clock(t);
    const text = describe(event, failing);
    if (event.type === "probe.result") {
      failing = new Set(failing);
      if (event.ok) failing.delete(event.probe);
      else failing.add(event.probe);
    }
    if (text) lines.push(`${at}  ${text}`);
  }
  return lines;
}

function describe(event: TimedEvent["event"], failing: ReadonlySet<string>): string | null {
  switch (event.type) {
    case "drill.started":
      return `drill started (${event.mode}) by ${event.responder}`;
    case "fault.applied":
      return `fault applied: ${event.label}`;
    case "fault.reverted":
      return `fault reverted: ${event.label} (${event.reason})`;
    case "fault.failed":
      return `fault failed: ${event.label}: ${event.error}`;
    case "signal.shown":
      return `${event.kind}: ${event.text}`;
    case "probe.result":
      if (!event.ok && !failing.has(event.probe))
        return `probe ${event.probe} failing: ${event.detail}`;
      if (event.ok && failing.has(event.probe)) return `probe ${event.probe} ok again`;
      return null;
    case "acknowledged":
      return `acknowledged by ${event.by}`;
    case "escalated":
      return `escalated to L${event.level} ${event.who}`;
    case "procedure.selected":
      return `procedure ${event.procedure} chosen`;
    case "step.started":
      return null;
    case "step.completed":
      return `done ${event.step}${event.note ? ` — ${event.note}` : ""}`;
    case "step.skipped":
      return `skipped ${event.step}${event.reason ? ` (${event.reason})` : ""}`;
    case "command.ran":
      return `${event.offRunbook ? "off-runbook " : ""}$ ${commandText(event.command)} → ${event.cancelled ? "cancelled" : `exit ${event.exitCode ?? "signal"}`} in ${duration(event.durationMs)}`;
    case "hint.taken":
      return `hint taken (−${event.cost})`;
    case "mitigated":
      return `declared mitigated by ${event.by}`;
    case "recovered":
      return `recovered${event.probe ? ` (${event.probe})` : ""}`;
    case "aborted":
      return `aborted by ${event.by}: ${event.reason}`;
    case "safety.stopped":
      return `safety stop: ${event.reason}`;
    case "timed.out":
      return `timed out after ${duration(event.limitMs)}`;
    case "note":
      return `note: ${event.text}`;
  }
}
