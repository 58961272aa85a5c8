import { gapText } from "../drill/detection.js";
import { type TimelineEntry, timeline } from "../drill/event-text.js";
import type { DrillRecord } from "../drill/journal-record.js";
import { compareDurations } from "../drill/percentiles.js";
import { STEP_STATUS_TEXT } from "../drill/step-verdict.js";
import type { Timings } from "../drill/timings.js";
import type { ChartPoint } from "../platform/text-charts.js";
import { type Adherence, compareToExpected } from "./adherence.js";
import { procedureOf, type RunbookDrift, runbookDrift } from "./drift.js";
import { formatDay, formatOffset } from "./report-text.js";
import { type RunbookLocator, suggestRunbookPatch } from "./runbook-patch.js";
import { median } from "./ttr-stats.js";

export type TimingKey = keyof Timings;
export const TIMING_KEYS: readonly TimingKey[] = ["ttd", "tta", "ttm", "ttr"];
export const TIMING_LABELS: Record<TimingKey, string> = {
  ttd: "Time to detect",
  tta: "Time to acknowledge",
  ttm: "Time to mitigate",
  ttr: "Time to recover",
};

export type Verdict = "better" | "worse" | "same";

export interface TimingRow {
  key: TimingKey;
  label: string;
  value: number | null;
  target: number | null;
  /** null when there is no target or the moment never came. */
  withinTarget: boolean | null;
  /** The same timing in the previous drill of this scenario. */
  previous: number | null;
  vsPrevious: Verdict | null;
  /** Median over every earlier drill of this scenario. */
  previousMedian: number | null;
  vsMedian: Verdict | null;
}

export interface DriftReport extends RunbookDrift {
  runbookFile: string | null;
  /** A unified diff for the owner to review, or null when there is nothing to add or no file. */
  patch: string | null;
}

/** Everything a post-drill report says, computed once and rendered as md, html or json. */
export interface DrillReport {
  drill: DrillRecord;
  /** Which earlier drills it is compared with, e.g. "gameday drills by people"; null: all. */
  comparedWith: string | null;
  previousCount: number;
  timings: TimingRow[];
  timeline: TimelineEntry[];
  adherence: Adherence;
  drift: DriftReport | null;
  /** TTR of every drill of this scenario, oldest first, for the charts. */
  chart: ChartPoint[];
  /** Index of this drill in `chart`. */
  chartIndex: number;
  actionItems: string[];
}

export function timingRows(drill: DrillRecord, previous: readonly DrillRecord[]): TimingRow[] {
  const last = previous[previous.length - 1] ?? null;
  return TIMING_KEYS.map((key) => {
    const value = drill.timings[key];
    const target = drill.header.targets[key] ?? null;
    const prevValue = last ? last.timings[key] : null;
    const prevMedian = median(
      previous.map((d) => d.timings[key]).filter((v): v is number => v !== null),
    );
    return {
      key,
      label: TIMING_LABELS[key],
      value,
      target,
      withinTarget: target === null || value === null ? null : value <= target,
      previous: prevValue,
      vsPrevious: compareDurations(value, prevValue),
      previousMedian: prevMedian,
      vsMedian: compareDurations(value, prevMedian),
    };
  });
}

/** Drift over a set of drills with each procedure's runbook patch, when the runbook can be found. */
export function driftReports(
  drills: readonly DrillRecord[],
  locate: RunbookLocator | null,
): DriftReport[] {
  return runbookDrift(drills).map((drift) => {
    const source =
      locate && !drift.procedure.startsWith("(") ? locate(drift.service, drift.procedure) : null;
    const patch = source ? suggestRunbookPatch(source, drift.procedure, drift.offRunbook) : null;
    return { ...drift, runbookFile: source?.file ?? null, patch };
  });
}

/**
 * Builds the report for `drill` (read with its events) given the other drills of its scenario
 * (events not needed) and a way to find runbook files.
 */
export function buildDrillReport(
  drill: DrillRecord,
  scenarioDrills: readonly DrillRecord[],
  locate: RunbookLocator | null,
  comparedWith: string | null = null,
): DrillReport {
  const same = scenarioDrills
    .filter((d) => d.header.scenario.id === drill.header.scenario.id && d.file !== drill.file)
    .concat([drill])
    .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  const previous = same.filter((d) => d.startedAt < drill.startedAt);
  const procedure = procedureOf(drill);
  const adherence = compareToExpected(
    drill.header.expectedSteps,
    drill.digest.path,
    procedure,
    drill.outcome === "recovered",
  );
  // Drift as of this drill: a report on an old drill should not cite what happened later.
  const procedureDrills = same.filter(
    (d) => procedureOf(d) === procedure && d.startedAt <= drill.startedAt,
  );
  const drift =
    procedure === null
      ? null
      : (driftReports(procedureDrills, locate).find((r) => r.procedure === procedure) ?? null);
  const timings = timingRows(drill, previous);
  return {
    drill,
    comparedWith,
    previousCount: previous.length,
    timings,
    timeline: timeline(drill.events),
    adherence,
    drift,
    chart: same.map((d) => ({ label: formatDay(d.startedAt), value: d.timings.ttr })),
    chartIndex: same.indexOf(drill),
    actionItems: suggestActions(drill, timings, adherence, drift),
  };
}

function suggestActions(
  drill: DrillRecord,
  timings: readonly TimingRow[],
  adherence: Adherence,
  drift: DriftReport | null,
): string[] {
  const items: string[] = [];
  const ttr = timings.find((t) => t.key === "ttr");
  if (drill.outcome !== "recovered" && drill.outcome !== "incomplete")
    items.push("Find out what blocked recovery and add it to the runbook.");
  if (ttr?.withinTarget === false)
    items.push("TTR missed the target: decide whether the runbook or the target needs to change.");
  for (const c of drill.digest.offRunbook.filter((c) => c.exitCode === 0)) {
    items.push(
      `Add \`${c.command}\` to the runbook${drift?.patch ? " (see the suggested patch)" : ""}, or say why it is not needed.`,
    );
  }
  for (const v of adherence.steps.filter(
    (v) => v.kind === "check" && v.counted && v.status !== "done",
  ))
    items.push(
      `Check \`${v.id}\` was ${STEP_STATUS_TEXT[v.status]}: keep it, make it optional, or drop it.`,
    );
  for (const v of adherence.outOfOrder)
    items.push(
      `\`${v.id}\` ${v.outOfOrder ?? "was out of order"}: should the runbook's order change?`,
    );
  if (drill.digest.hints.length > 0)
    items.push("Hints were needed: move what they said into the runbook.");
  for (const gap of drill.digest.detection.gaps)
    items.push(
      `${gapText(gap)}: fix the alert rule (its expression, threshold or \`for\`) or its routing.`,
    );
  // What the team wrote down during the drill comes first: it is theirs, the rest is suggested.
  return [...new Set([...recordedActionItems(drill), ...items])];
}

/** The action items noted during the drill (the scribe's, mostly), with who and when. */
export function recordedActionItems(drill: DrillRecord): string[] {
  return drill.digest.notes
    .filter((n) => n.tag === "action")
    .map((n) => `${n.text} (${n.actor}, at ${formatOffset(n.t)})`);
}
