import { faultLabel } from "../faults/label.js";
import type { Runbook, StepKind } from "../model/runbook.js";
import type { Mode, Scenario } from "../model/scenario.js";
import type { Detection } from "./detection.js";
import type { Actor, DrillEvent, NoteTag, TimedEvent } from "./events.js";
import type { Outcome, ScoreItem } from "./journal-format.js";
import type { Timings } from "./timings.js";

/**
 * briefing → running → acknowledged → mitigated → recovered, or one of the stops: aborted,
 * timed-out, safety-stop. Any phase in ENDED_PHASES means the drill is over and the debrief
 * (`state.result`) is ready.
 */
export type Phase =
  | "briefing"
  | "running"
  | "acknowledged"
  | "mitigated"
  | "recovered"
  | "aborted"
  | "timed-out"
  | "safety-stop";

export const ENDED_PHASES: readonly Phase[] = ["recovered", "aborted", "timed-out", "safety-stop"];

export interface DrillSetup {
  scenario: Scenario;
  /** The service's runbook; a drill without one can still run (no procedures, no ladder). */
  runbook?: Runbook;
  mode: Mode;
  responder: string;
  /** Overrides the scenario's `procedure` (e.g. the runbook's only procedure when it names none). */
  expectedProcedure?: string;
}

/** The procedure the responder is expected to follow, if any. */
export function expectedProcedureId(setup: DrillSetup): string | null {
  if (setup.expectedProcedure) return setup.expectedProcedure;
  if (setup.scenario.procedure) return setup.scenario.procedure;
  const procedures = setup.runbook?.procedures ?? [];
  return procedures.length === 1 ? (procedures[0]?.id ?? null) : null;
}

export type FaultStatus = "pending" | "active" | "reverted" | "failed";

export interface FaultState {
  index: number;
  label: string;
  at: number;
  duration?: number;
  status: FaultStatus;
  appliedT?: number;
  revertedT?: number;
  error?: string;
}

export interface ShownSignal {
  index: number;
  kind: "alert" | "log" | "metric";
  text: string;
  t: number;
  /** a monitoring signal: the server it came from, and the alert's own time (drill clock) */
  source?: "alertmanager" | "prometheus";
  activeT?: number;
}

/** How many recent probe results are kept for sparklines. */
export const PROBE_HISTORY = 40;

export interface ProbeState {
  name: string;
  every: number;
  lastOk: boolean | null;
  lastDetail: string;
  lastLatencyMs: number | null;
  /** Oldest first, at most PROBE_HISTORY entries. */
  recent: { ok: boolean; latencyMs: number; t: number }[];
  consecutiveOk: number;
  consecutiveFail: number;
  checks: number;
  failures: number;
  /** The probe has failed since the first fault: only then can it confirm a recovery. */
  sawIncident: boolean;
}

export type StepStatus = "pending" | "running" | "done" | "skipped";

export interface StepState {
  id: string;
  kind: StepKind;
  title: string;
  optional: boolean;
  hasCommand: boolean;
  notes?: string;
  status: StepStatus;
  note?: string;
  /** Tabletop: what the facilitator's script says happened when this step was done. */
  outcome?: string;
  lastExitCode?: number | null;
  /** Done because its command exited 0, not marked by the responder: they can still skip it. */
  doneByCommand?: boolean;
  /** When the step was done or skipped. */
  t?: number;
}

export interface ProcedureState {
  id: string;
  title: string;
  description?: string;
  expected: boolean;
  steps: StepState[];
}

export interface HintState {
  index: number;
  after: number;
  cost: number;
  text: string;
  available: boolean;
  taken: boolean;
  takenT?: number;
}

export interface EscalationState {
  level: number;
  who: string;
  after: number;
  contact?: string;
  escalatedT: number | null;
}

/** A command the responder ran: the `command.ran` event, stamped with when it happened. */
export type CommandRecord = Omit<Extract<DrillEvent, { type: "command.ran" }>, "type"> & {
  t: number;
};

/** A note in the drill's record: the responder's, the facilitator's or the scribe's (tagged). */
export interface DrillNote {
  t: number;
  text: string;
  tag?: NoteTag;
  actor: Actor;
}

export interface DrillResult {
  outcome: Outcome;
  endT: number;
  timings: Timings;
  withinTarget: boolean;
  score: number;
  grade: string;
  breakdown: ScoreItem[];
  /** monitoring alerts seen (with their detection latency) and detection gaps */
  detection?: Detection;
}

export interface DrillState {
  setup: DrillSetup;
  phase: Phase;
  ended: boolean;
  /** Milliseconds since the drill started, as of the last event or tick. */
  elapsed: number;
  /** `t` of the first fault applied: the incident's start and the zero of every timing. */
  incidentStart: number | null;
  faults: FaultState[];
  /** Newest first. */
  signals: ShownSignal[];
  /** Monitoring signals that did not fire within their `expect.within` of the first fault. */
  detectionGaps: (Omit<Extract<DrillEvent, { type: "detection.gap" }>, "type"> & { t: number })[];
  probes: ProbeState[];
  /** Every procedure of the runbook, in runbook order, with each step's status. */
  procedures: ProcedureState[];
  expectedProcedure: string | null;
  selectedProcedure: string | null;
  hints: HintState[];
  escalations: EscalationState[];
  /** Newest first. */
  commands: CommandRecord[];
  notes: DrillNote[];
  /** tabletop: the facilitator paused the drill clock */
  paused: boolean;
  acknowledgedBy: string | null;
  timings: Timings;
  /** Set when the drill ends: outcome, timings, score and its breakdown. */
  result: DrillResult | null;
  /** Every event so far, oldest first, exactly as journaled. */
  events: TimedEvent[];
}

export function initialState(setup: DrillSetup): DrillState {
  const { scenario, runbook } = setup;
  const expected = expectedProcedureId(setup);
  return {
    setup,
    phase: "briefing",
    ended: false,
    elapsed: 0,
    incidentStart: null,
    faults: scenario.faults.map((fault, index) => ({
      index,
      label: faultLabel(fault),
      at: fault.at,
      ...(fault.duration === undefined ? {} : { duration: fault.duration }),
      status: "pending",
    })),
    signals: [],
    detectionGaps: [],
    probes: scenario.probes.map((p) => ({
      name: p.name,
      every: p.every,
      lastOk: null,
      lastDetail: "",
      lastLatencyMs: null,
      recent: [],
      consecutiveOk: 0,
      consecutiveFail: 0,
      checks: 0,
      failures: 0,
      sawIncident: false,
    })),
    procedures: (runbook?.procedures ?? []).map((p) => ({
      id: p.id,
      title: p.title,
      ...(p.description ? { description: p.description } : {}),
      expected: p.id === expected,
      steps: p.steps.map((s) => ({
        id: s.id,
        kind: s.kind,
        title: s.title,
        optional: s.optional,
        hasCommand: s.run !== undefined,
        ...(s.notes ? { notes: s.notes } : {}),
        status: "pending",
      })),
    })),
    expectedProcedure: expected,
    selectedProcedure: null,
    hints: scenario.hints.map((h, index) => ({
      index,
      after: h.after,
      cost: h.cost,
      text: h.text,
      available: false,
      taken: false,
    })),
    escalations: (runbook?.escalation ?? []).map((e) => ({
      level: e.level,
      who: e.who,
      after: e.after,
      ...(e.contact ? { contact: e.contact } : {}),
      escalatedT: null,
    })),
    commands: [],
    notes: [],
    paused: false,
    acknowledgedBy: null,
    timings: { ttd: null, tta: null, ttm: null, ttr: null },
    result: null,
    events: [],
  };
}

/** The first step still pending in a procedure: what "complete" or "skip" acts on by default. */
export function currentStep(procedure: ProcedureState | undefined): StepState | undefined {
  return procedure?.steps.find((s) => s.status === "pending" || s.status === "running");
}
