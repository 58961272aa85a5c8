import type { DrillState, Phase, ProbeState, ProcedureState } from "../drill/state.js";
import { ago, clock, duration } from "./format.js";
import { sparkline } from "./text-charts.js";

export type FeedKind = "alert" | "log" | "metric" | "probe" | "recovered";

export interface FeedItem {
  t: number;
  kind: FeedKind;
  text: string;
}

/**
 * The signals feed, newest first: scripted signals as they were shown and, in gameday, real probe
 * failures. A probe failing every second would bury everything else, so a run of failures is one
 * item (with its count and latest detail) and its end is one "ok again" item.
 */
export function feedItems(state: DrillState, limit = Number.POSITIVE_INFINITY): FeedItem[] {
  const items: FeedItem[] = state.signals.map((s) => ({ t: s.t, kind: s.kind, text: s.text }));
  if (state.setup.mode === "gameday") {
    const runs = new Map<string, { item: FeedItem; count: number }>();
    for (const { t, event } of state.events) {
      if (event.type !== "probe.result") continue;
      const run = runs.get(event.probe);
      if (!event.ok) {
        if (run) {
          run.count += 1;
          run.item.t = t;
          run.item.text = `${event.probe} failing (${run.count}×): ${event.detail}`;
        } else {
          const item: FeedItem = {
            t,
            kind: "probe",
            text: `${event.probe} failing: ${event.detail}`,
          };
          items.push(item);
          runs.set(event.probe, { item, count: 1 });
        }
      } else if (run) {
        runs.delete(event.probe);
        items.push({
          t,
          kind: "recovered",
          text: `${event.probe} ok again (${event.latencyMs}ms)`,
        });
      }
    }
  }
  items.sort((a, b) => b.t - a.t);
  return items.slice(0, limit);
}

export function feedAge(item: FeedItem, elapsed: number): string {
  return ago(Math.max(0, elapsed - item.t));
}

export interface ProbeRow {
  name: string;
  status: "ok" | "failing" | "waiting";
  detail: string;
  latency: string;
  spark: string;
}

export function probeRows(state: DrillState, sparkWidth: number): ProbeRow[] {
  return state.probes.map((p) => probeRow(p, sparkWidth));
}

function probeRow(p: ProbeState, sparkWidth: number): ProbeRow {
  const recent = p.recent.slice(-Math.max(0, sparkWidth));
  return {
    name: p.name,
    status: p.lastOk === null ? "waiting" : p.lastOk ? "ok" : "failing",
    detail: p.lastDetail,
    latency: p.lastLatencyMs === null ? "" : `${Math.round(p.lastLatencyMs)}ms`,
    spark: sparkline(recent.map((r) => (r.ok ? r.latencyMs : null))),
  };
}

const PHASE_LABEL: Record<Phase, string> = {
  briefing: "BRIEFING",
  running: "INCIDENT",
  acknowledged: "ACKNOWLEDGED",
  mitigated: "MITIGATED",
  recovered: "RECOVERED",
  aborted: "ABORTED",
  "timed-out": "TIMED OUT",
  "safety-stop": "SAFETY STOP",
};

export interface HeaderView {
  title: string;
  id: string;
  mode: string;
  phase: string;
  clock: string;
  target: string;
  /** red when past the target */
  late: boolean;
  hints: string;
  responder: string;
  escalated: string;
}

export function headerView(state: DrillState, elapsed: number): HeaderView {
  const { scenario, mode, responder } = state.setup;
  const taken = state.hints.filter((h) => h.taken);
  const cost = taken.reduce((sum, h) => sum + h.cost, 0);
  const since = state.incidentStart === null ? 0 : elapsed - state.incidentStart;
  const top = state.escalations.filter((e) => e.escalatedT !== null).at(-1);
  return {
    title: scenario.title,
    id: scenario.id,
    mode,
    phase:
      state.incidentStart === null && state.phase === "running"
        ? "WAITING"
        : PHASE_LABEL[state.phase],
    clock: clock(elapsed),
    target: duration(scenario.targets.ttr),
    late: state.incidentStart !== null && since > scenario.targets.ttr && !state.ended,
    hints: cost > 0 ? `${taken.length} (−${cost})` : String(taken.length),
    responder,
    escalated: top ? `L${top.level} ${top.who}` : "",
  };
}

export const STEP_MARK: Record<string, string> = {
  pending: "[ ]",
  running: "[…]",
  done: "[x]",
  skipped: "[-]",
};

/** Progress of a procedure as `handled/total`: a skipped step is handled, as much as a done one. */
export function procedureProgress(procedure: Pick<ProcedureState, "steps">): string {
  const handled = procedure.steps.filter((s) => s.status === "done" || s.status === "skipped");
  return `${handled.length}/${procedure.steps.length}`;
}
