import { timeline } from "../drill/event-text.js";
import { actorOf, type TimedEvent } from "../drill/events.js";
import { compareDurations, median } from "../drill/percentiles.js";
import type { DrillState } from "../drill/state.js";
import { judgeSteps, type StepVerdictStatus, stepMarks } from "../drill/step-verdict.js";
import type { Timings } from "../drill/timings.js";
import { formatDuration } from "../model/duration.js";
import type { Mode } from "../model/scenario.js";
import type { PastDrill } from "./drill-port.js";
import { clock } from "./format.js";

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

/** The earlier drills a person's drill is compared with: people's drills in the same mode. */
export function alikePast(previous: readonly PastDrill[], mode: Mode): PastDrill[] {
  return previous.filter((p) => p.mode === mode && (p.responderKind ?? "person") === "person");
}

/** "2 earlier gameday drills by people (median)", without the last words when too narrow. */
export function pastLabel(count: number, mode: Mode, width: number): string {
  const text = `${count} earlier ${mode} drill${count === 1 ? "" : "s"} by people`;
  return text.length + 9 <= width ? `${text} (median)` : text;
}

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
      value: formatDuration(value),
      target: target === undefined ? "—" : formatDuration(target),
      withinTarget: value === null || target === undefined ? null : value <= target,
      previous: base === null ? "—" : formatDuration(base),
      verdict,
    };
  });
}

export interface StepMark {
  id: string;
  title: string;
  kind: string;
  status: StepVerdictStatus;
  optional: boolean;
  /** Not done and counted by the score: it cost points. */
  cost: boolean;
}

/** The expected procedure's steps and what became of each, as the score judged them. */
export function expectedSteps(state: DrillState): { procedure: string | null; steps: StepMark[] } {
  const procedure = state.procedures.find((p) => p.id === state.expectedProcedure);
  if (!procedure) return { procedure: state.expectedProcedure, steps: [] };
  const judged = judgeSteps(
    procedure.steps,
    stepMarks(state.events, procedure.id),
    state.result?.outcome === "recovered",
  );
  return {
    procedure: procedure.title,
    steps: procedure.steps.map((s, i) => ({
      id: s.id,
      title: s.title,
      kind: s.kind,
      optional: s.optional,
      status: judged.steps[i]!.status,
      cost: judged.steps[i]!.counted && judged.steps[i]!.status !== "done",
    })),
  };
}

/** The drill's timeline (drill/event-text.ts says which events and how), one line per entry. */
export function timelineLines(events: readonly TimedEvent[]): string[] {
  // The responder's own moves and firedrill's go unnamed; another role's are named.
  const lines = timeline(events).map((entry) => {
    const who = entry.actor === "facilitator" || entry.actor === "scribe" ? `${entry.actor}: ` : "";
    return `${clock(entry.t)}  ${who}${entry.text}`;
  });
  // The action items noted during the drill close the timeline, where the review starts from.
  const actions = events.flatMap((timed) =>
    timed.event.type === "note" && timed.event.tag === "action"
      ? [`  - ${timed.event.text} (${actorOf(timed)}, ${clock(timed.t)})`]
      : [],
  );
  return actions.length === 0 ? lines : [...lines, "", "action items:", ...actions];
}
