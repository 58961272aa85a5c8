import { formatDuration } from "../model/duration.js";
import { detectionOf, monitoringDetects } from "./detection.js";
import { actorOf, type DrillEvent, type TimedEvent } from "./events.js";
import type { Outcome } from "./journal-format.js";
import { scoreDrill } from "./score.js";
import {
  type DrillResult,
  type DrillSetup,
  type DrillState,
  expectedProcedureId,
  initialState,
  type Phase,
  PROBE_HISTORY,
  type ProcedureState,
  type StepState,
} from "./state.js";
import { computeTimings, type Timings, withEvent } from "./timings.js";

/** The order of the responder's progress; a later event never moves the phase backwards. */
const PROGRESS: Phase[] = ["briefing", "running", "acknowledged", "mitigated"];

const TERMINAL: Partial<Record<DrillEvent["type"], Outcome>> = {
  recovered: "recovered",
  aborted: "aborted",
  "timed.out": "timed-out",
  "safety.stopped": "safety-stop",
  "drill.ended": "not-recovered",
};

const OUTCOME_PHASE: Record<Outcome, Phase> = {
  recovered: "recovered",
  "not-recovered": "aborted",
  aborted: "aborted",
  "timed-out": "timed-out",
  "safety-stop": "safety-stop",
};

/**
 * Folds one event into the state. Pure: the same state and event always give the same result, so a
 * journal replays into exactly the state the responder saw.
 */
export function reduce(state: DrillState, timed: TimedEvent): DrillState {
  const { t, event } = timed;
  let next: DrillState = {
    ...state,
    elapsed: Math.max(state.elapsed, t),
    // A new list, not a push: views tell a changed drill by the list's identity and compare the
    // lengths of an older and a newer state (src/tui/session-port.ts).
    events: [...state.events, timed],
  };
  next = withHints(next, next.elapsed);

  switch (event.type) {
    case "drill.started":
      next = { ...next, phase: state.phase === "briefing" ? "running" : state.phase };
      break;
    case "fault.applied":
      next = {
        ...next,
        incidentStart: state.incidentStart ?? t,
        faults: state.faults.map((f) =>
          f.index === event.fault ? { ...f, status: "active", appliedT: t } : f,
        ),
      };
      break;
    case "fault.reverted":
      next = {
        ...next,
        faults: state.faults.map((f) =>
          f.index === event.fault ? { ...f, status: "reverted", revertedT: t } : f,
        ),
      };
      break;
    case "fault.failed":
      next = {
        ...next,
        faults: state.faults.map((f) =>
          f.index === event.fault ? { ...f, status: "failed", error: event.error } : f,
        ),
      };
      break;
    case "signal.shown":
      next = {
        ...next,
        signals: [
          {
            index: event.signal,
            kind: event.kind,
            text: event.text,
            t,
            ...(event.source ? { source: event.source } : {}),
            ...(event.activeT === undefined ? {} : { activeT: event.activeT }),
          },
          ...state.signals.filter((s) => s.index !== event.signal),
        ],
      };
      break;
    case "probe.result":
      next = { ...next, probes: state.probes.map((p) => (p.name === event.probe ? probe(p) : p)) };
      break;
    case "detection.gap": {
      const { type: _type, ...gap } = event;
      next = { ...next, detectionGaps: [...state.detectionGaps, { t, ...gap }] };
      break;
    }
    case "acknowledged":
      next = { ...next, phase: progress(state.phase, "acknowledged"), acknowledgedBy: event.by };
      break;
    case "escalated":
      next = {
        ...next,
        escalations: state.escalations.map((e) =>
          e.level <= event.level && e.escalatedT === null ? { ...e, escalatedT: t } : e,
        ),
      };
      break;
    case "procedure.selected":
      next = { ...next, selectedProcedure: event.procedure };
      break;
    case "step.started":
      next = updateStep(next, event.procedure, event.step, (s) => ({ ...s, status: "running" }));
      break;
    case "step.completed":
      next = updateStep(next, event.procedure, event.step, (s) => ({
        ...s,
        status: "done",
        t,
        ...(event.byCommand ? { doneByCommand: true } : {}),
        ...(event.note === undefined ? {} : { note: event.note }),
        ...(event.outcome === undefined ? {} : { outcome: event.outcome }),
      }));
      break;
    case "step.skipped":
      next = updateStep(next, event.procedure, event.step, ({ doneByCommand: _, ...s }) => ({
        ...s,
        status: "skipped",
        t,
        ...(event.reason === undefined ? {} : { note: event.reason }),
      }));
      break;
    case "command.ran": {
      const { type: _type, ...record } = event;
      next = { ...next, commands: [{ t, ...record }, ...state.commands] };
      if (event.procedure && event.step) {
        next = updateStep(next, event.procedure, event.step, (s) => ({
          ...s,
          // A step whose command finished goes back to pending until the responder judges it.
          status: s.status === "running" ? "pending" : s.status,
          // A tabletop command never ran: it has no exit code to show.
          ...(event.notRun ? {} : { lastExitCode: event.exitCode }),
        }));
      }
      break;
    }
    case "hint.taken":
      next = {
        ...next,
        hints: state.hints.map((h) =>
          h.index === event.hint ? { ...h, taken: true, available: true, takenT: t } : h,
        ),
      };
      break;
    case "mitigated":
      next = { ...next, phase: progress(state.phase, "mitigated") };
      break;
    case "note":
      next = {
        ...next,
        notes: [
          ...state.notes,
          { t, text: event.text, actor: actorOf(timed), ...(event.tag ? { tag: event.tag } : {}) },
        ],
      };
      break;
    case "clock.paused":
      next = { ...next, paused: true };
      break;
    case "clock.resumed":
      next = { ...next, paused: false };
      break;
    default:
      break;
  }

  if (!state.ended) next = { ...next, timings: timingsAfter(state, next, timed) };

  const outcome = TERMINAL[event.type];
  if (outcome && !state.ended) next = end(next, outcome, t);
  return next;

  function probe(p: DrillState["probes"][number]): DrillState["probes"][number] {
    if (event.type !== "probe.result") return p;
    const recent = [...p.recent, { ok: event.ok, latencyMs: event.latencyMs, t }];
    const incident = state.incidentStart !== null;
    return {
      ...p,
      lastOk: event.ok,
      lastDetail: event.detail,
      lastLatencyMs: event.latencyMs,
      recent: recent.length > PROBE_HISTORY ? recent.slice(-PROBE_HISTORY) : recent,
      consecutiveOk: event.ok ? p.consecutiveOk + 1 : 0,
      consecutiveFail: event.ok ? 0 : p.consecutiveFail + 1,
      checks: p.checks + 1,
      failures: p.failures + (event.ok ? 0 : 1),
      sawIncident: p.sawIncident || (incident && !event.ok),
    };
  }
}

/**
 * Kept up to date event by event. Only when the incident starts are they computed over every event
 * so far: one logged at the same `t` just before the fault landed still counts.
 */
function timingsAfter(before: DrillState, after: DrillState, timed: TimedEvent): Timings {
  if (after.incidentStart === null) return before.timings;
  if (before.incidentStart === null) return computeTimings(after.events);
  return withEvent(before.timings, timed, before.incidentStart, monitoringDetects(after.events));
}

function progress(current: Phase, to: Phase): Phase {
  const from = PROGRESS.indexOf(current);
  if (from === -1) return current;
  return PROGRESS.indexOf(to) > from ? to : current;
}

function updateStep(
  state: DrillState,
  procedure: string,
  step: string,
  change: (s: StepState) => StepState,
): DrillState {
  return {
    ...state,
    procedures: state.procedures.map(
      (p): ProcedureState =>
        p.id === procedure
          ? { ...p, steps: p.steps.map((s) => (s.id === step ? change(s) : s)) }
          : p,
    ),
  };
}

/** Marks hints whose `after` (from the drill start) has passed as available. */
function withHints(state: DrillState, elapsed: number): DrillState {
  if (state.phase === "briefing" && state.events.length === 0) return state;
  if (!state.hints.some((h) => !h.available && h.after <= elapsed)) return state;
  return {
    ...state,
    hints: state.hints.map((h) =>
      !h.available && h.after <= elapsed ? { ...h, available: true } : h,
    ),
  };
}

/** Time passing with no event: updates `elapsed` and hint availability; not journaled. */
export function tick(state: DrillState, t: number): DrillState {
  if (state.ended || state.phase === "briefing" || t <= state.elapsed) return state;
  return withHints({ ...state, elapsed: t }, t);
}

function end(state: DrillState, outcome: Outcome, t: number): DrillState {
  const { scenario, runbook } = state.setup;
  const expectedId = expectedProcedureId(state.setup);
  const expected = runbook?.procedures.find((p) => p.id === expectedId);
  const timings = state.timings;
  const score = scoreDrill({
    events: state.events,
    timings,
    outcome,
    targets: scenario.targets,
    ...(expected
      ? {
          expected: {
            procedure: expected.id,
            steps: expected.steps.map((s) => ({ id: s.id, kind: s.kind, optional: s.optional })),
          },
        }
      : {}),
    ladder: runbook?.escalation ?? [],
    endT: t,
  });
  const result: DrillResult = {
    outcome,
    endT: t,
    timings,
    withinTarget:
      outcome === "recovered" && timings.ttr !== null && timings.ttr <= scenario.targets.ttr,
    ...score,
    detection: detectionOf(state.events),
  };
  return { ...state, phase: OUTCOME_PHASE[outcome], ended: true, timings, result };
}

/**
 * The rules that turn one event into others: recovery confirmed by the recovery probe or by the
 * tabletop's resolving steps, and stop conditions. Returns the events to apply next, same `t`.
 */
export function rules(state: DrillState, timed: TimedEvent): DrillEvent[] {
  if (state.ended || state.phase === "briefing") return [];
  const { scenario, mode } = state.setup;
  const { event } = timed;

  if (event.type === "probe.result") {
    const p = state.probes.find((x) => x.name === event.probe);
    if (!p) return [];
    const shown = tiedSignalsShown(state, timed.t, p.name);
    if (shown.length > 0) return shown;
    const noEffect = noVisibleEffect(state, timed.t);
    if (noEffect) return [noEffect];
    for (const stop of scenario.safety.stopWhen) {
      if (stop.probe === p.name && p.consecutiveFail >= stop.failures) {
        return [
          {
            type: "safety.stopped",
            probe: p.name,
            reason: `probe ${p.name} failed ${p.consecutiveFail} times in a row (stop at ${stop.failures})${metricOf(scenario, p)}`,
          },
        ];
      }
    }
    const recovery = scenario.recovery;
    if (
      mode === "gameday" &&
      recovery?.probe === p.name &&
      p.sawIncident &&
      p.consecutiveOk >= recovery.consecutive
    ) {
      return [{ type: "recovered", probe: p.name }];
    }
  }

  // A step whose command succeeded is done: recovery landing before the responder's own mark must
  // not cost them the step (docs/scoring.md). They can still mark it skipped.
  if (event.type === "command.ran" && event.procedure && event.step && event.exitCode === 0) {
    const step = state.procedures
      .find((p) => p.id === event.procedure)
      ?.steps.find((s) => s.id === event.step);
    if (step && !event.cancelled && step.status !== "done" && step.status !== "skipped") {
      const outcome = mode === "tabletop" ? scenario.tabletop.outcomes[step.id] : undefined;
      return [
        {
          type: "step.completed",
          procedure: event.procedure,
          step: step.id,
          byCommand: true,
          ...(outcome ? { outcome } : {}),
        },
      ];
    }
  }

  if (mode === "tabletop" && event.type === "step.completed") {
    const resolvedBy = scenario.tabletop.resolvedBy;
    if (resolvedBy.length > 0 && state.incidentStart !== null) {
      const done = new Set(
        state.procedures.flatMap((p) =>
          p.steps.filter((s) => s.status === "done").map((s) => s.id),
        ),
      );
      if (resolvedBy.every((id) => done.has(id))) return [{ type: "recovered" }];
    }
  }

  // Nothing can confirm recovery on its own: the responder's word is all there is.
  if (event.type === "mitigated" && !canConfirmRecovery(state)) return [{ type: "recovered" }];
  return [];
}

/** A prometheus probe's stop names the query and the value that crossed: `: q = 0.3 > 0.05`. */
function metricOf(
  scenario: DrillState["setup"]["scenario"],
  p: DrillState["probes"][number],
): string {
  const spec = scenario.probes.find((x) => x.name === p.name);
  return spec?.prometheus && p.lastDetail ? `: ${p.lastDetail}` : "";
}

/** A gameday fault that fails no probe in this long is taken to have had no visible effect. */
export const NO_EFFECT_WINDOW_MS = 60_000;

/**
 * Gameday: when no probe has failed within NO_EFFECT_WINDOW_MS (or the TTD target, if longer) of
 * the first fault, the fault changed nothing the drill can see (a mitigation left on, a wrong
 * proxy): end now as a finding rather than wait for maxDuration.
 */
function noVisibleEffect(state: DrillState, t: number): DrillEvent | null {
  const { scenario, mode } = state.setup;
  if (mode !== "gameday" || state.incidentStart === null) return null;
  if (state.probes.length === 0 || state.probes.some((p) => p.sawIncident)) return null;
  const window = Math.max(NO_EFFECT_WINDOW_MS, scenario.targets.ttd ?? 0);
  if (t - state.incidentStart < window) return null;
  return {
    type: "aborted",
    by: "firedrill",
    reason: `fault had no visible effect: no probe failed within ${formatDuration(window)} of the first fault`,
  };
}

/**
 * Gameday signals tied to a probe (`when`) show once that probe's last result matches and their
 * `at` has come, so an alert never fires for a fault that had no effect. Tabletop: `at` decides.
 */
export function tiedSignalReady(state: DrillState, index: number, t: number): boolean {
  const signal = state.setup.scenario.signals[index];
  if (!signal?.when || state.setup.mode !== "gameday") return true;
  const { probe, failing } = signal.when;
  const last = state.probes.find((p) => p.name === probe)?.lastOk;
  return t >= (signal.at ?? 0) && last !== null && last !== undefined && last === !failing;
}

function tiedSignalsShown(state: DrillState, t: number, probe: string): DrillEvent[] {
  if (state.setup.mode !== "gameday") return [];
  const out: DrillEvent[] = [];
  state.setup.scenario.signals.forEach((signal, index) => {
    if (signal.when?.probe !== probe || state.signals.some((s) => s.index === index)) return;
    if (!tiedSignalReady(state, index, t)) return;
    out.push({ type: "signal.shown", signal: index, kind: signal.kind, text: signal.text });
  });
  return out;
}

/** Whether a probe (gameday) or the resolving steps (tabletop) decide when the drill recovered. */
export function canConfirmRecovery(state: DrillState): boolean {
  const { scenario, mode } = state.setup;
  if (mode === "tabletop") return scenario.tabletop.resolvedBy.length > 0;
  return (
    scenario.recovery !== undefined &&
    scenario.probes.some((p) => p.name === scenario.recovery?.probe)
  );
}

/** Applies an event and everything the rules derive from it. */
export function advance(
  state: DrillState,
  timed: TimedEvent,
): { state: DrillState; emitted: TimedEvent[] } {
  const emitted: TimedEvent[] = [];
  const queue: TimedEvent[] = [timed];
  let current = state;
  for (let item = queue.shift(); item; item = queue.shift()) {
    current = reduce(current, item);
    emitted.push(item);
    for (const follow of rules(current, item)) {
      queue.push({ t: item.t, event: follow, actor: "firedrill" });
    }
  }
  return { state: current, emitted };
}

/** Rebuilds the state from journaled events (which already include every derived event). */
export function replay(setup: DrillSetup, events: readonly TimedEvent[]): DrillState {
  return events.reduce(reduce, initialState(setup));
}
