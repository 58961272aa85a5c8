import { gapText } from "../drill/detection.js";
import type { DrillState, Phase, ProbeState, ProcedureState, StepState } from "../drill/state.js";
import { formatDuration } from "../model/duration.js";
import { sparkline } from "../platform/text-charts.js";
import { drillName } from "./briefing-view.js";
import { type CockpitUi, noteKey, shownProcedure, stepCommand } from "./cockpit-state.js";
import type { LiveCommand } from "./drill-port.js";
import { ago, clock, wrap } from "./format.js";
import type { Tone } from "./theme.js";

/** One line of a panel as the view model decides it; the component only paints it. */
export interface ViewLine {
  text: string;
  tone?: Tone;
  bold?: boolean;
}

export type FeedKind = "alert" | "log" | "metric" | "probe" | "recovered" | "gap";

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
  for (const gap of state.detectionGaps) items.push({ t: gap.t, kind: "gap", text: gapText(gap) });
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

/** Columns of the signals panel left for a signal's text (its age and kind take 12). */
export function feedTextWidth(panelWidth: number): number {
  return Math.max(1, panelWidth - 2 - 12);
}

/** The feed as the signals panel shows it: each signal on one line, or two when it is long. */
export function feedLines(
  items: readonly FeedItem[],
  textWidth: number,
  rows: number,
): { item: FeedItem; lines: string[] }[] {
  const shown: { item: FeedItem; lines: string[] }[] = [];
  let used = 0;
  for (const item of items) {
    if (used >= rows) break;
    const lines = wrap(item.text, textWidth, Math.min(2, rows - used));
    shown.push({ item, lines });
    used += lines.length;
  }
  return shown;
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

/** How many probes get a row in the cockpit: tabletop probes never run (the signals tell the story). */
export function probePanelSize(state: DrillState): number {
  return state.setup.mode === "gameday" ? state.probes.length : 0;
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
  /** good once the impact is under control (mitigated or recovered) */
  phaseTone: "good" | "warn";
  clock: string;
  target: string;
  /** red when past the target */
  late: boolean;
  hints: string;
  responder: string;
  escalated: string;
  /** `run --share`: who has joined */
  joined?: string;
}

/**
 * The header. The responder's names the service, not the scenario (its title is the cause), and
 * its phase does not change when a fault lands: "ON CALL" until the first alert or failing probe,
 * as a real incident starts with the page. The facilitator's shows the scenario and WAITING until
 * the first fault.
 */
export function headerView(
  state: DrillState,
  elapsed: number,
  facilitator = false,
  joined?: string,
): HeaderView {
  const { scenario, mode, responder } = state.setup;
  const taken = state.hints.filter((h) => h.taken);
  const cost = taken.reduce((sum, h) => sum + h.cost, 0);
  const since = state.incidentStart === null ? 0 : elapsed - state.incidentStart;
  const top = state.escalations.filter((e) => e.escalatedT !== null).at(-1);
  const quiet = facilitator ? state.incidentStart === null : state.timings.ttd === null;
  return {
    title: drillName(scenario, facilitator),
    id: scenario.id,
    mode,
    // A paused clock (the facilitator's, tabletop) is what the responder must know first.
    phase: state.paused
      ? "PAUSED"
      : quiet && state.phase === "running"
        ? facilitator
          ? "WAITING"
          : "ON CALL"
        : PHASE_LABEL[state.phase],
    phaseTone: state.phase === "recovered" || state.phase === "mitigated" ? "good" : "warn",
    clock: clock(elapsed),
    target: formatDuration(scenario.targets.ttr),
    late: state.incidentStart !== null && since > scenario.targets.ttr && !state.ended,
    hints: cost > 0 ? `${taken.length} (−${cost})` : String(taken.length),
    responder,
    escalated: top ? `L${top.level} ${top.who}` : "",
    ...(joined === undefined ? {} : { joined }),
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

/**
 * What checking a step revealed. Only a tabletop drill has scripted outcomes: the engine records
 * the scenario's `tabletop.outcomes` text when the step is done, and that record is what is shown
 * (the view does not look the script up again). A gameday step's answer is its command's real
 * output, so a gameday shows no scripted outcome anywhere.
 */
export function stepOutcome(state: DrillState, step: StepState): string | undefined {
  if (state.setup.mode !== "tabletop" || step.status !== "done") return undefined;
  return step.outcome;
}

export interface RevealedOutcome {
  t: number;
  step: string;
  text: string;
}

/** The newest outcome revealed in any procedure (a later step wins a tie). */
export function lastOutcome(state: DrillState): RevealedOutcome | undefined {
  let newest: RevealedOutcome | undefined;
  for (const procedure of state.procedures) {
    for (const step of procedure.steps) {
      const text = stepOutcome(state, step);
      if (text && step.t !== undefined && (!newest || step.t >= newest.t))
        newest = { t: step.t, step: step.id, text };
    }
  }
  return newest;
}

/** What the command pane shows when no question is open. */
export type PaneActivity =
  | { kind: "command"; command: LiveCommand }
  | { kind: "outcome"; outcome: RevealedOutcome }
  | { kind: "hint"; t: number; cost: number; text: string }
  | { kind: "idle" };

/**
 * The newest of the running or last command, the last revealed outcome and the last hint taken,
 * by when each started. A running command is no exception: a hint taken while a command hangs is
 * what the responder asked to read. On a tie the command wins, then the outcome.
 */
export function paneActivity(state: DrillState, command: LiveCommand | undefined): PaneActivity {
  const candidates: { t: number; activity: PaneActivity }[] = [];
  if (command) candidates.push({ t: command.startedAt, activity: { kind: "command", command } });
  const outcome = lastOutcome(state);
  if (outcome) candidates.push({ t: outcome.t, activity: { kind: "outcome", outcome } });
  for (const hint of state.hints) {
    if (!hint.taken) continue;
    const t = hint.takenT ?? 0;
    candidates.push({ t, activity: { kind: "hint", t, cost: hint.cost, text: hint.text } });
  }
  let newest = candidates[0];
  for (const candidate of candidates) if (newest && candidate.t > newest.t) newest = candidate;
  return newest?.activity ?? { kind: "idle" };
}

/** Whether a command's output is on show, which gives the pane more room on a short terminal. */
export function commandShown(
  ui: CockpitUi,
  state: DrillState,
  command: LiveCommand | undefined,
): boolean {
  return ui.overlay === null && paneActivity(state, command).kind === "command";
}

/**
 * The lines under the step list, for the step at the cursor: its command, what its check revealed,
 * its note (or the draft that will go with it), the runbook's notes and the last exit code.
 */
export function stepDetailLines(
  state: DrillState,
  ui: CockpitUi,
  width: number,
): ViewLine[] | undefined {
  const procedure = shownProcedure(ui, state);
  const step = procedure?.steps[ui.cursor];
  if (!procedure || !step) return undefined;
  const draft = ui.notes[noteKey(procedure.id, step.id)];
  const lines: ViewLine[] = [];
  const command = stepCommand(state, procedure.id, step.id);
  if (command !== undefined) lines.push({ text: `$ ${command}`, tone: "accent" });
  const outcome = stepOutcome(state, step);
  if (outcome) for (const text of wrap(`↳ ${outcome}`, width)) lines.push({ text, tone: "good" });
  if (step.note) lines.push({ text: `✎ ${step.note}`, tone: "warn" });
  else if (draft) lines.push({ text: `✎ ${draft} (saved with the step)`, tone: "warn" });
  if (step.notes) for (const text of wrap(step.notes, width)) lines.push({ text, tone: "muted" });
  if (step.lastExitCode !== undefined)
    lines.push({ text: `last run exited ${step.lastExitCode ?? "by signal"}`, tone: "muted" });
  return lines;
}
