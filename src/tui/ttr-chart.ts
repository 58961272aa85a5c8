import { sparkline, textLineChart } from "../platform/text-charts.js";
import type { PastDrill } from "./drill-port.js";

function label(drill: PastDrill): string {
  return drill.startedAt.slice(5, 10);
}

/** Only finished drills count; a drill that never recovered plots as a miss. */
function finished(drills: readonly PastDrill[]): PastDrill[] {
  return drills.filter((d) => d.outcome !== "incomplete");
}

export function ttrChart(
  drills: readonly PastDrill[],
  target: number,
  height: number,
  maxPoints: number,
): string[] {
  const points = finished(drills).map((d) => ({ label: label(d), value: d.ttr }));
  return textLineChart(points, {
    target,
    height: Math.max(2, height),
    maxPoints: Math.max(2, maxPoints),
  });
}

export function ttrSpark(drills: readonly PastDrill[], width: number): string {
  return sparkline(
    finished(drills)
      .slice(-width)
      .map((d) => d.ttr),
  );
}
