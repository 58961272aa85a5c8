import { RESPONDER_KINDS, type ResponderKind } from "../drill/journal-format.js";
import type { DrillRecord } from "../drill/journal-record.js";
import { mean, median, percentile } from "../drill/percentiles.js";
import type { Mode } from "../model/scenario.js";

export { mean, median, percentile };

/**
 * Journals keep the monotonic clock's fractions (3.602720999999292 ms); exports and aggregates
 * are whole milliseconds, which is all a timing means here.
 */
export function wholeMs(ms: number): number;
export function wholeMs(ms: number | null): number | null;
export function wholeMs(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms);
}

export interface ThirdStats {
  from: Date;
  to: Date;
  drills: number;
  /** Median TTR of the recovered drills in this third. */
  medianTtr: number | null;
}

/** Whether TTR went down: the median TTR of the last third of the period against the first. */
export interface Trend {
  first: ThirdStats;
  last: ThirdStats;
  /** last - first, milliseconds; negative means faster. */
  change: number;
  /** change / first, e.g. -0.25 for 25% faster. */
  changeRatio: number | null;
}

export interface TtrStats {
  /** Drills in the group, recovered or not, complete or not. */
  count: number;
  /** Drills with a TTR (recovery happened); only these enter median, p90 and mean. */
  recovered: number;
  incomplete: number;
  median: number | null;
  p90: number | null;
  mean: number | null;
  /** Share of all drills whose TTR was at or under the target (0..1); unrecovered ones count as misses. */
  withinTarget: number | null;
  withinTargetCount: number;
  trend: Trend | null;
  first: Date | null;
  last: Date | null;
}

/**
 * The period from the first to the last drill is cut in three equal spans of time; the trend
 * compares the first span with the last. Null when either span has no recovered drill (or all
 * drills happened at one instant), since a trend from nothing would be invented.
 */
export function trend(drills: readonly DrillRecord[]): Trend | null {
  if (drills.length < 2) return null;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const d of drills) {
    const t = d.startedAt.getTime();
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  const span = hi - lo;
  if (span <= 0) return null;
  const firstEnd = lo + span / 3;
  const lastStart = hi - span / 3;
  const firstTtrs: number[] = [];
  const lastTtrs: number[] = [];
  let firstCount = 0;
  let lastCount = 0;
  for (const d of drills) {
    const t = d.startedAt.getTime();
    const ttr = d.timings.ttr;
    if (t <= firstEnd) {
      firstCount++;
      if (ttr !== null) firstTtrs.push(ttr);
    }
    if (t >= lastStart) {
      lastCount++;
      if (ttr !== null) lastTtrs.push(ttr);
    }
  }
  const a = wholeMs(median(firstTtrs));
  const b = wholeMs(median(lastTtrs));
  if (a === null || b === null) return null;
  return {
    first: { from: new Date(lo), to: new Date(firstEnd), drills: firstCount, medianTtr: a },
    last: { from: new Date(lastStart), to: new Date(hi), drills: lastCount, medianTtr: b },
    change: b - a,
    changeRatio: a === 0 ? null : (b - a) / a,
  };
}

export function ttrStats(drills: readonly DrillRecord[]): TtrStats {
  const ttrs: number[] = [];
  let within = 0;
  let incomplete = 0;
  let first: Date | null = null;
  let last: Date | null = null;
  for (const d of drills) {
    if (d.timings.ttr !== null) ttrs.push(d.timings.ttr);
    if (d.withinTarget) within++;
    if (!d.complete) incomplete++;
    if (first === null || d.startedAt < first) first = d.startedAt;
    if (last === null || d.startedAt > last) last = d.startedAt;
  }
  return {
    count: drills.length,
    recovered: ttrs.length,
    incomplete,
    median: wholeMs(median(ttrs)),
    p90: wholeMs(percentile(ttrs, 90)),
    mean: wholeMs(mean(ttrs)),
    withinTarget: drills.length ? within / drills.length : null,
    withinTargetCount: within,
    trend: trend(drills),
    first,
    last,
  };
}

export type GroupBy = "scenario" | "service" | "team";

export interface Aggregate {
  by: GroupBy;
  key: string;
  /** Tabletop and gameday drills are never averaged together. */
  mode: Mode;
  /** Nor people with --auto or --script runs. */
  responderKind: ResponderKind;
  /** The TTR target when every drill in the group shares one (always so per scenario, usually). */
  targetTtr: number | null;
  stats: TtrStats;
}

export function groupKey(drill: DrillRecord, by: GroupBy): string {
  if (by === "scenario") return drill.header.scenario.id;
  if (by === "service") return drill.header.scenario.service;
  return drill.team;
}

/** A group's drills are alike: same key, same mode, same kind of responder. */
interface Group {
  key: string;
  mode: Mode;
  responderKind: ResponderKind;
  drills: DrillRecord[];
}

/**
 * Drills grouped by key, mode and kind of responder, sorted in that order (people first).
 * `kindOf` says who answered each drill (see responderKindOf).
 */
export function groupAlike(
  drills: readonly DrillRecord[],
  by: GroupBy,
  kindOf: (d: DrillRecord) => ResponderKind,
): Group[] {
  const groups = new Map<string, Group>();
  for (const d of drills) {
    const key = groupKey(d, by);
    const responderKind = kindOf(d);
    const id = JSON.stringify([key, d.header.mode, responderKind]);
    let group = groups.get(id);
    if (!group) {
      group = { key, mode: d.header.mode, responderKind, drills: [] };
      groups.set(id, group);
    }
    group.drills.push(d);
  }
  const order = (g: Group) => RESPONDER_KINDS.indexOf(g.responderKind);
  return [...groups.values()].sort(
    (a, b) =>
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) ||
      a.mode.localeCompare(b.mode) ||
      order(a) - order(b),
  );
}

/** One aggregate per group of alike drills (groupAlike). */
export function aggregate(
  drills: readonly DrillRecord[],
  by: GroupBy,
  kindOf: (d: DrillRecord) => ResponderKind,
): Aggregate[] {
  return groupAlike(drills, by, kindOf).map(({ key, mode, responderKind, drills: list }) => {
    const targets = new Set(list.map((d) => d.header.targets.ttr));
    return {
      by,
      key,
      mode,
      responderKind,
      targetTtr: targets.size === 1 ? [...targets][0]! : null,
      stats: ttrStats(list),
    };
  });
}
