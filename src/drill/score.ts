import { formatDuration } from "../model/duration.js";
import { gapText } from "./detection.js";
import type { TimedEvent } from "./events.js";
import type { Outcome, ScoreItem } from "./journal-format.js";
import { judgeOrder } from "./step-order.js";
import { judgeSteps, STEP_STATUS_TEXT, stepMarks } from "./step-verdict.js";
import { computeTimings, type Timings } from "./timings.js";

/**
 * The scoring formula. docs/scoring.md states the same rules in prose; change both together.
 *
 *   ttr            50  recovered within targets.ttr: 50; later: from 50 down to 10 at twice the
 *                      target, 10 beyond; not recovered: 0
 *   acknowledge    10  acknowledged within targets.tta (or at all when there is no tta target): 10;
 *                      late: 5; never: 0
 *   adherence      30  required steps of the expected procedure done: 20 × done/counted
 *                      (counted, done, skipped, missed: as step-verdict.ts judges each step; a
 *                      step whose command exited 0 is done);
 *                      actions in runbook order: 5 × in-order/done actions (0 when none done);
 *                      checks before actions: 5 × checks done before the action after them/checks
 *                      (both as judged by step-order.ts, which the report flags from too)
 *   escalation     10  rungs of the runbook ladder whose `after` the incident outlasted ("due"):
 *                      10 × (on time + ½ late)/due; on time = by `after` + 1 minute; none due (or
 *                      no ladder): 10 when the drill recovered, 0 otherwise; no fault applied: 0
 *   hints        -cost each hint taken costs its `cost`
 *   detection    -10 each detection gap: a monitoring signal that did not fire within its
 *                      `expect.within` of the first fault (the team's alerting missed it)
 *   abort / stop -10 / -20
 *
 * Each item is rounded to a whole number; the total is clamped to 0–100.
 * Grades: A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, F below.
 */
export const WEIGHTS = {
  ttr: 50,
  ttrFloor: 10,
  acknowledge: 10,
  adherence: 30,
  requiredSteps: 20,
  actionOrder: 5,
  checksFirst: 5,
  escalation: 10,
  abortPenalty: 10,
  safetyStopPenalty: 20,
  detectionGapPenalty: 10,
} as const;

/** Escalating this long after a rung's `after` still counts as on time. */
export const ESCALATION_GRACE_MS = 60_000;

export interface ExpectedStep {
  id: string;
  kind: string;
  optional?: boolean;
}

export interface ScoreInput {
  events: readonly TimedEvent[];
  /** The timings of `events`, when the caller keeps them already; computed otherwise. */
  timings?: Timings;
  outcome: Outcome;
  targets: { ttr: number; tta?: number };
  /** The procedure the scenario expects; omitted: adherence gets full marks. */
  expected?: { procedure: string; steps: readonly ExpectedStep[] };
  ladder?: readonly { level: number; who: string; after: number }[];
  /** `t` when the drill ended. */
  endT: number;
}

export interface Score {
  score: number;
  grade: string;
  breakdown: ScoreItem[];
}

export function gradeFor(score: number): string {
  if (score >= 90) return "A";
  if (score >= 80) return "B";
  if (score >= 70) return "C";
  if (score >= 60) return "D";
  return "F";
}

export function scoreDrill(input: ScoreInput): Score {
  const timings = input.timings ?? computeTimings(input.events);
  const items: ScoreItem[] = [
    ttrItem(timings.ttr, input.outcome, input.targets.ttr),
    acknowledgeItem(input.events, timings.tta, input.targets.tta),
    adherenceItem(input),
    escalationItem(input, timings.ttr),
    hintsItem(input.events),
    ...detectionItem(input.events),
    stopItem(input.outcome),
  ];
  const total = items.reduce((sum, item) => sum + item.points, 0);
  const score = Math.max(0, Math.min(100, total));
  return { score, grade: gradeFor(score), breakdown: items };
}

function ttrItem(ttr: number | null, outcome: Outcome, target: number): ScoreItem {
  const base = { key: "ttr", label: "Time to recover", max: WEIGHTS.ttr };
  if (outcome !== "recovered" || ttr === null) {
    return { ...base, points: 0, detail: `not recovered (target ${formatDuration(target)})` };
  }
  if (ttr <= target) {
    return {
      ...base,
      points: WEIGHTS.ttr,
      detail: `${formatDuration(ttr)} within the ${formatDuration(target)} target`,
    };
  }
  const over = Math.min(1, (ttr - target) / Math.max(1, target));
  const points = Math.round(WEIGHTS.ttr - over * (WEIGHTS.ttr - WEIGHTS.ttrFloor));
  return {
    ...base,
    points,
    detail: `${formatDuration(ttr)}, ${formatDuration(ttr - target)} over the ${formatDuration(target)} target`,
  };
}

function acknowledgeItem(
  events: readonly TimedEvent[],
  tta: number | null,
  target: number | undefined,
): ScoreItem {
  const base = { key: "acknowledge", label: "Acknowledgement", max: WEIGHTS.acknowledge };
  const acked = events.some((e) => e.event.type === "acknowledged");
  if (!acked) return { ...base, points: 0, detail: "never acknowledged" };
  if (target === undefined || tta === null || tta <= target) {
    const when = tta === null ? "before the first fault" : `after ${formatDuration(tta)}`;
    const goal = target === undefined ? "" : ` (target ${formatDuration(target)})`;
    return { ...base, points: WEIGHTS.acknowledge, detail: `acknowledged ${when}${goal}` };
  }
  return {
    ...base,
    points: Math.round(WEIGHTS.acknowledge / 2),
    detail: `acknowledged after ${formatDuration(tta)}, later than the ${formatDuration(target)} target`,
  };
}

function adherenceItem(input: ScoreInput): ScoreItem {
  const base = { key: "adherence", label: "Runbook adherence", max: WEIGHTS.adherence };
  const expected = input.expected;
  if (!expected) {
    return { ...base, points: WEIGHTS.adherence, detail: "no expected procedure to follow" };
  }
  const judged = judgeSteps(
    expected.steps,
    stepMarks(input.events, expected.procedure),
    input.outcome === "recovered",
  );
  const required = judged.counted;
  const requiredDone = judged.countedDone;
  const stepPoints =
    required === 0 ? WEIGHTS.requiredSteps : (WEIGHTS.requiredSteps * requiredDone) / required;
  const notDone = judged.steps
    .filter((s) => s.counted && s.status !== "done")
    .map((s) => `${s.id} ${STEP_STATUS_TEXT[s.status]}`);

  const order = judgeOrder(expected.steps, judged.doneAt);
  const actions = order.actions;
  const inOrder = actions.length - order.actionsOutOfOrder.size;
  const orderPoints = actions.length === 0 ? 0 : (WEIGHTS.actionOrder * inOrder) / actions.length;
  const checks = order.checksDue.size;
  const checksFirst = order.checksFirst.size;
  const checkPoints =
    checks === 0 ? WEIGHTS.checksFirst : (WEIGHTS.checksFirst * checksFirst) / checks;

  const parts = [
    `${requiredDone}/${required} required steps done${notDone.length ? ` (${notDone.join(", ")})` : ""}`,
    actions.length === 0 ? "no action done" : `${inOrder}/${actions.length} actions in order`,
    checks === 0 ? "no checks due before actions" : `${checksFirst}/${checks} checks before acting`,
  ];
  return {
    ...base,
    points: Math.round(stepPoints + orderPoints + checkPoints),
    detail: `${expected.procedure}: ${parts.join(", ")}`,
  };
}

function escalationItem(input: ScoreInput, ttr: number | null): ScoreItem {
  const base = { key: "escalation", label: "Escalation", max: WEIGHTS.escalation };
  const ladder = input.ladder ?? [];
  const start = input.events.find((e) => e.event.type === "fault.applied")?.t;
  // Points are earned, not assumed: a drill that ended unrecovered before any rung was due (or
  // before the incident even started) followed no ladder.
  const recovered = input.outcome === "recovered";
  const nothingDue = (why: string): ScoreItem =>
    recovered
      ? { ...base, points: WEIGHTS.escalation, detail: why }
      : { ...base, points: 0, detail: `${why}, and the drill did not recover: nothing earned` };
  if (start === undefined) return { ...base, points: 0, detail: "no fault applied: nothing due" };
  if (ladder.length === 0) return nothingDue("no escalation ladder");
  const lasted = ttr ?? input.endT - start;
  const due = ladder.filter((rung) => rung.after < lasted || rung.after === 0);
  if (due.length === 0) {
    return nothingDue(
      recovered ? "resolved before any escalation was due" : "no escalation was due yet",
    );
  }
  let onTime = 0;
  let late = 0;
  const missed: string[] = [];
  for (const rung of due) {
    // The first rung with no delay is the responder's own: acknowledging reaches it.
    const reached = input.events.find(
      ({ event }) =>
        (event.type === "escalated" && event.level >= rung.level) ||
        (rung.after === 0 && event.type === "acknowledged"),
    );
    const since = reached ? reached.t - start : undefined;
    if (since !== undefined && since <= rung.after + ESCALATION_GRACE_MS) onTime++;
    else if (since !== undefined) late++;
    else missed.push(`level ${rung.level} (${rung.who}) due after ${formatDuration(rung.after)}`);
  }
  const points = Math.round((WEIGHTS.escalation * (onTime + late / 2)) / due.length);
  const detail = [
    `${onTime}/${due.length} due escalations on time`,
    late ? `${late} late` : "",
    missed.length ? `missed ${missed.join(", ")}` : "",
  ]
    .filter(Boolean)
    .join("; ");
  return { ...base, points, detail };
}

function hintsItem(events: readonly TimedEvent[]): ScoreItem {
  let cost = 0;
  let count = 0;
  let given = 0;
  for (const timed of events) {
    const { event } = timed;
    if (event.type !== "hint.taken") continue;
    cost += event.cost;
    count++;
    // A hint the facilitator gave costs the same as one taken: the responder needed it either way.
    if (timed.actor === "facilitator") given++;
  }
  const byFacilitator = given === 0 ? "" : ` (${given} given by the facilitator)`;
  return {
    key: "hints",
    label: "Hints",
    points: cost === 0 ? 0 : -cost,
    max: 0,
    detail:
      count === 0
        ? "no hints taken"
        : `${count} hint${count === 1 ? "" : "s"} taken${byFacilitator}, -${cost}`,
  };
}

/** Only for drills with a detection gap: the item does not exist where monitoring was not asked. */
function detectionItem(events: readonly TimedEvent[]): ScoreItem[] {
  const gaps = events.flatMap(({ event }) => (event.type === "detection.gap" ? [event] : []));
  if (gaps.length === 0) return [];
  const cost = gaps.length * WEIGHTS.detectionGapPenalty;
  return [
    {
      key: "detection",
      label: "Detection",
      points: -cost,
      max: 0,
      detail: `${gaps.map(gapText).join("; ")}, -${cost}`,
    },
  ];
}

function stopItem(outcome: Outcome): ScoreItem {
  const base = { key: "stop", label: "Abort / safety stop", max: 0 };
  if (outcome === "aborted") {
    return {
      ...base,
      points: -WEIGHTS.abortPenalty,
      detail: `drill aborted, -${WEIGHTS.abortPenalty}`,
    };
  }
  if (outcome === "safety-stop") {
    return {
      ...base,
      points: -WEIGHTS.safetyStopPenalty,
      detail: `a stop condition halted the drill, -${WEIGHTS.safetyStopPenalty}`,
    };
  }
  return { ...base, points: 0, detail: "ran to the end" };
}
