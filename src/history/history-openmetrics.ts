import { type DrillFigures, drillMetricFamilies } from "../drill/drill-metrics.js";
import type { DrillRecord } from "../drill/journal-record.js";
import { renderOpenMetrics } from "../model/prom-text.js";
import { responderKind } from "./filters.js";

/**
 * A journal's drill as the figures `run --push` pushes; null for a drill killed before it
 * finished (it has no summary, so no end and no score).
 */
export function recordFigures(d: DrillRecord): DrillFigures | null {
  if (!d.summary) return null;
  const finishedAt = Date.parse(d.summary.endedAt);
  if (!Number.isFinite(finishedAt)) return null;
  return {
    drillId: d.header.drillId,
    scenario: d.header.scenario.id,
    service: d.header.scenario.service,
    team: d.team,
    mode: d.header.mode,
    responderKind: responderKind(d),
    timings: d.timings,
    targetTtrMs: d.header.targets.ttr,
    score: d.score,
    recovered: d.outcome === "recovered",
    withinTarget: d.withinTarget,
    detectionGaps: d.digest.detection.gaps.length,
    finishedAt,
  };
}

/** `history --format openmetrics`: one series per finished drill, for a scrape or a textfile collector. */
export function historyOpenMetrics(drills: readonly DrillRecord[]): string {
  const figures = drills.map(recordFigures).filter((f): f is DrillFigures => f !== null);
  return renderOpenMetrics(drillMetricFamilies(figures));
}
