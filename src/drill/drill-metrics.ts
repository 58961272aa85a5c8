import type { MetricFamily, MetricLabels, MetricSample } from "../model/prom-text.js";
import type { ResponderKind } from "./journal-format.js";
import type { Timings } from "./timings.js";

/**
 * One finished drill as the metrics see it: what is pushed to a Pushgateway when a drill ends and
 * what `history --format openmetrics` prints per journal. The same series either way, so one
 * PromQL query reads both (docs/metrics.md).
 */
export interface DrillFigures {
  drillId: string;
  scenario: string;
  service: string;
  /** the runbook's owner */
  team: string;
  mode: string;
  responderKind: ResponderKind;
  /** milliseconds from the first fault; null when the moment never came */
  timings: Timings;
  targetTtrMs: number;
  score: number | null;
  recovered: boolean;
  withinTarget: boolean;
  detectionGaps: number;
  /** Unix milliseconds */
  finishedAt: number;
}

/** A person is `human` in the metrics: the word a dashboard reader expects. */
export function responderKindLabel(kind: ResponderKind): string {
  return kind === "person" ? "human" : kind;
}

export function drillLabels(d: DrillFigures): MetricLabels {
  return {
    drill_id: d.drillId,
    scenario: d.scenario,
    service: d.service,
    team: d.team,
    mode: d.mode,
    responder_kind: responderKindLabel(d.responderKind),
  };
}

interface Figure {
  name: string;
  help: string;
  /** null: the series is left out for this drill (e.g. no TTR when it never recovered) */
  value: (d: DrillFigures) => number | null;
}

const seconds = (ms: number | null): number | null => (ms === null ? null : ms / 1000);
const flag = (b: boolean): number => (b ? 1 : 0);

const FIGURES: readonly Figure[] = [
  {
    name: "firedrill_drill_ttd_seconds",
    help: "Time to detect: first fault applied to the first alert or failing probe.",
    value: (d) => seconds(d.timings.ttd),
  },
  {
    name: "firedrill_drill_tta_seconds",
    help: "Time to acknowledge: first fault applied to the responder's acknowledgement.",
    value: (d) => seconds(d.timings.tta),
  },
  {
    name: "firedrill_drill_ttm_seconds",
    help: "Time to mitigate: first fault applied to the impact declared mitigated.",
    value: (d) => seconds(d.timings.ttm),
  },
  {
    name: "firedrill_drill_ttr_seconds",
    help: "Time to recover: first fault applied to recovery confirmed.",
    value: (d) => seconds(d.timings.ttr),
  },
  {
    name: "firedrill_drill_ttr_target_seconds",
    help: "The scenario's TTR target.",
    value: (d) => d.targetTtrMs / 1000,
  },
  {
    name: "firedrill_drill_score",
    help: "The drill's score, 0 to 100.",
    value: (d) => d.score,
  },
  {
    name: "firedrill_drill_recovered",
    help: "1 when recovery was confirmed, else 0.",
    value: (d) => flag(d.recovered),
  },
  {
    name: "firedrill_drill_within_target",
    help: "1 when the drill recovered within its TTR target, else 0.",
    value: (d) => flag(d.withinTarget),
  },
  {
    name: "firedrill_drill_detection_gaps",
    help: "Expected alerts that did not fire in time during the drill.",
    value: (d) => d.detectionGaps,
  },
  {
    name: "firedrill_drill_finished_timestamp_seconds",
    help: "Unix time the drill finished.",
    value: (d) => d.finishedAt / 1000,
  },
];

/** Every figure of every drill, one gauge family per figure, one series per drill. */
export function drillMetricFamilies(drills: readonly DrillFigures[]): MetricFamily[] {
  return FIGURES.map((figure) => {
    const samples: MetricSample[] = [];
    for (const drill of drills) {
      const value = figure.value(drill);
      if (value !== null) samples.push({ labels: drillLabels(drill), value });
    }
    return { name: figure.name, help: figure.help, type: "gauge", samples };
  });
}
