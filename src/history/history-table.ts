import type { ResponderKind } from "../drill/journal-format.js";
import type { DrillRecord, JournalProblem } from "../drill/journal-record.js";
import { formatDuration } from "../model/duration.js";
import type { Mode } from "../model/scenario.js";
import { paint } from "../platform/colour.js";
import { sparkline } from "../platform/text-charts.js";
import { tableLines } from "../platform/text-table.js";
import { responderKind } from "./filters.js";
import { formatDate } from "./report-text.js";
import {
  type Aggregate,
  aggregate,
  type GroupBy,
  groupAlike,
  type TtrStats,
  wholeMs,
} from "./ttr-stats.js";

export interface HistoryOptions {
  color: boolean;
}

/** What a history run put side by side, so the reader knows what the figures are made of. */
export interface Included {
  /** null: every mode (each aggregated apart) */
  mode: Mode | null;
  responder: string | null;
  responderKinds: ResponderKind[];
  /** drills matching every other filter that --include-automated would have added */
  automatedLeftOut: number;
}

export function includedText(included: Included): string {
  const modes = included.mode ?? "tabletop and gameday, aggregated apart";
  const who =
    included.responderKinds.length === 1
      ? "people only"
      : "people and --auto/--script runs, aggregated apart";
  const responder = included.responder === null ? "" : `; responder ${included.responder}`;
  const left =
    included.automatedLeftOut === 0
      ? ""
      : `; ${included.automatedLeftOut} --auto/--script run${included.automatedLeftOut === 1 ? "" : "s"} left out (--include-automated shows them)`;
  return `Included: ${modes}; ${who}${responder}${left}.`;
}

const WHO: Record<ResponderKind, string> = { person: "people", auto: "--auto", script: "--script" };

export function trendText(stats: TtrStats): string {
  const t = stats.trend;
  if (!t) return "—";
  const pct =
    t.changeRatio === null
      ? ""
      : ` ${t.changeRatio > 0 ? "+" : ""}${Math.round(t.changeRatio * 100)}%`;
  const arrow = t.change < 0 ? "faster" : t.change > 0 ? "slower" : "flat";
  return `${formatDuration(t.first.medianTtr ?? 0)}→${formatDuration(t.last.medianTtr ?? 0)}${pct} ${arrow}`;
}

export function shareText(share: number | null): string {
  return share === null ? "—" : `${Math.round(share * 100)}%`;
}

/** One line per drill, then the aggregates by scenario, service and team; plain text, no TUI. */
export function renderHistoryText(
  drills: readonly DrillRecord[],
  included: Included,
  options: HistoryOptions,
): string {
  const c = options.color;
  const out: string[] = [];
  const rows = drills.map((d) => {
    const ttr = formatDuration(d.timings.ttr);
    const outcome = d.complete ? d.outcome : "incomplete";
    const kind = responderKind(d);
    return [
      formatDate(d.startedAt),
      d.header.scenario.id,
      d.header.mode,
      kind === "person" ? d.header.responder : `${d.header.responder} (${WHO[kind]})`,
      formatDuration(d.timings.ttd),
      formatDuration(d.timings.tta),
      formatDuration(d.timings.ttm),
      d.timings.ttr === null ? ttr : paint(ttr, d.withinTarget ? "green" : "red", c),
      d.score === null ? "—" : String(d.score),
      d.complete ? outcome : paint(outcome, "yellow", c),
    ];
  });
  out.push(
    ...tableLines(
      ["DATE", "SCENARIO", "MODE", "RESPONDER", "TTD", "TTA", "TTM", "TTR", "SCORE", "OUTCOME"],
      rows,
      { right: [4, 5, 6, 7, 8] },
    ),
  );
  for (const by of ["scenario", "service", "team"] as const) {
    out.push("", ...renderAggregates(by, drills));
  }
  out.push("", includedText(included));
  return `${out.join("\n")}\n`;
}

/** One row per group of alike drills: same key, same mode, same kind of responder. */
export function renderAggregates(by: GroupBy, drills: readonly DrillRecord[]): string[] {
  const aggregates = aggregate(drills, by, responderKind);
  const groups = groupAlike(drills, by, responderKind);
  const rows = aggregates.map((a, i) => [
    a.key,
    a.mode,
    WHO[a.responderKind],
    String(a.stats.count),
    formatDuration(a.stats.median),
    formatDuration(a.stats.p90),
    formatDuration(a.stats.mean),
    a.targetTtr === null ? "mixed" : formatDuration(a.targetTtr),
    shareText(a.stats.withinTarget),
    trendText(a.stats),
    sparkline(groups[i]!.drills.map((d) => d.timings.ttr).slice(-24), { min: 0 }),
  ]);
  return tableLines(
    [
      `BY ${by.toUpperCase()}`,
      "MODE",
      "RESPONDERS",
      "DRILLS",
      "MEDIAN",
      "P90",
      "MEAN",
      "TARGET",
      "WITHIN",
      "TREND (first→last third)",
      "TTR",
    ],
    rows,
    { right: [3, 4, 5, 6, 7, 8] },
  );
}

export interface HistoryJson {
  schema: 1;
  included: Included;
  drills: {
    drillId: string;
    file: string;
    startedAt: string;
    scenario: string;
    service: string;
    team: string;
    mode: string;
    responder: string;
    responderKind: ResponderKind;
    complete: boolean;
    outcome: string;
    timings: { ttd: number | null; tta: number | null; ttm: number | null; ttr: number | null };
    targetTtr: number;
    withinTarget: boolean;
    score: number | null;
  }[];
  aggregates: Record<GroupBy, Aggregate[]>;
  problems: JournalProblem[];
}

export function historyJson(
  drills: readonly DrillRecord[],
  included: Included,
  problems: readonly JournalProblem[],
): HistoryJson {
  return {
    schema: 1,
    included,
    drills: drills.map((d) => ({
      drillId: d.header.drillId,
      file: d.file,
      startedAt: d.header.startedAt,
      scenario: d.header.scenario.id,
      service: d.header.scenario.service,
      team: d.team,
      mode: d.header.mode,
      responder: d.header.responder,
      responderKind: responderKind(d),
      complete: d.complete,
      outcome: d.outcome,
      timings: {
        ttd: wholeMs(d.timings.ttd),
        tta: wholeMs(d.timings.tta),
        ttm: wholeMs(d.timings.ttm),
        ttr: wholeMs(d.timings.ttr),
      },
      targetTtr: wholeMs(d.header.targets.ttr),
      withinTarget: d.withinTarget,
      score: d.score,
    })),
    aggregates: {
      scenario: aggregate(drills, "scenario", responderKind),
      service: aggregate(drills, "service", responderKind),
      team: aggregate(drills, "team", responderKind),
    },
    problems: [...problems],
  };
}
