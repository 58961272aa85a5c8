import type { DrillRecord, JournalProblem } from "../drill/journal-record.js";
import { formatDuration } from "../model/duration.js";
import { sparkline } from "./charts.js";
import { formatDate } from "./describe.js";
import { type Aggregate, aggregate, type GroupBy, type TtrStats, wholeMs } from "./stats.js";

export interface HistoryOptions {
  color: boolean;
}

const ESC = String.fromCharCode(27);
const ANSI = new RegExp(`${ESC}\\[[0-9;]*m`, "g");
const paint = (on: boolean, code: string, text: string) =>
  on ? `${ESC}[${code}m${text}${ESC}[0m` : text;

/** Pads to a width measured in characters, ignoring colour codes. */
function pad(text: string, width: number, right = false): string {
  const visible = text.replace(ANSI, "").length;
  const fill = " ".repeat(Math.max(0, width - visible));
  return right ? fill + text : text + fill;
}

function columns(head: string[], rows: string[][], rightAligned: ReadonlySet<number>): string[] {
  const widths = head.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (r[i] ?? "").replace(ANSI, "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => pad(c, widths[i]!, rightAligned.has(i)))
      .join("  ")
      .trimEnd();
  return [line(head), ...rows.map(line)];
}

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
export function renderHistoryText(drills: readonly DrillRecord[], options: HistoryOptions): string {
  const c = options.color;
  const out: string[] = [];
  const rows = drills.map((d) => {
    const ttr = formatDuration(d.timings.ttr);
    const outcome = d.complete ? d.outcome : "incomplete";
    return [
      formatDate(d.startedAt),
      d.header.scenario.id,
      d.header.mode,
      d.header.responder,
      formatDuration(d.timings.ttd),
      formatDuration(d.timings.tta),
      formatDuration(d.timings.ttm),
      d.timings.ttr === null ? ttr : paint(c, d.withinTarget ? "32" : "31", ttr),
      d.score === null ? "—" : String(d.score),
      d.complete ? outcome : paint(c, "33", outcome),
    ];
  });
  out.push(
    ...columns(
      ["DATE", "SCENARIO", "MODE", "RESPONDER", "TTD", "TTA", "TTM", "TTR", "SCORE", "OUTCOME"],
      rows,
      new Set([4, 5, 6, 7, 8]),
    ),
  );
  for (const by of ["scenario", "service", "team"] as const) {
    out.push("", ...renderAggregates(aggregate(drills, by), by, drills));
  }
  return `${out.join("\n")}\n`;
}

export function renderAggregates(
  aggregates: readonly Aggregate[],
  by: GroupBy,
  drills: readonly DrillRecord[],
): string[] {
  const ttrsBy = new Map<string, (number | null)[]>();
  for (const d of drills) {
    const key =
      by === "scenario"
        ? d.header.scenario.id
        : by === "service"
          ? d.header.scenario.service
          : d.team;
    const list = ttrsBy.get(key) ?? [];
    list.push(d.timings.ttr);
    ttrsBy.set(key, list);
  }
  const rows = aggregates.map((a) => [
    a.key,
    String(a.stats.count),
    formatDuration(a.stats.median),
    formatDuration(a.stats.p90),
    formatDuration(a.stats.mean),
    a.targetTtr === null ? "mixed" : formatDuration(a.targetTtr),
    shareText(a.stats.withinTarget),
    trendText(a.stats),
    sparkline((ttrsBy.get(a.key) ?? []).slice(-24), { min: 0 }),
  ]);
  return columns(
    [
      `BY ${by.toUpperCase()}`,
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
    new Set([1, 2, 3, 4, 5, 6]),
  );
}

export interface HistoryJson {
  schema: 1;
  drills: {
    drillId: string;
    file: string;
    startedAt: string;
    scenario: string;
    service: string;
    team: string;
    mode: string;
    responder: string;
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
  problems: readonly JournalProblem[],
): HistoryJson {
  return {
    schema: 1,
    drills: drills.map((d) => ({
      drillId: d.header.drillId,
      file: d.file,
      startedAt: d.header.startedAt,
      scenario: d.header.scenario.id,
      service: d.header.scenario.service,
      team: d.team,
      mode: d.header.mode,
      responder: d.header.responder,
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
      scenario: aggregate(drills, "scenario"),
      service: aggregate(drills, "service"),
      team: aggregate(drills, "team"),
    },
    problems: [...problems],
  };
}
