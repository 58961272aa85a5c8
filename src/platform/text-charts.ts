/**
 * Charts drawn with characters: the cockpit's probe latencies and the TUI's history screen, and
 * the text output of `firedrill history` and Markdown reports.
 */
import { formatDuration } from "../model/duration.js";

/** One drill on a chart: its label (usually the date) and its TTR, null when it never recovered. */
export interface ChartPoint {
  label: string;
  value: number | null;
}

const BARS = "▁▂▃▄▅▆▇█";

/**
 * A one-line sparkline, one character per value, scaled between the smallest and largest value
 * (or `min`/`max` when given, so several lines can share a scale). Null values print as `gap`
 * (a space by default).
 */
export function sparkline(
  values: readonly (number | null)[],
  scale: { min?: number; max?: number; gap?: string } = {},
): string {
  const gap = scale.gap ?? " ";
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length === 0) return gap.repeat(values.length);
  const lo = scale.min ?? Math.min(...present);
  const hi = scale.max ?? Math.max(...present);
  const range = hi - lo;
  let out = "";
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) {
      out += gap;
      continue;
    }
    const level = range <= 0 ? 0 : Math.round(((v - lo) / range) * (BARS.length - 1));
    out += BARS[Math.min(BARS.length - 1, Math.max(0, level))];
  }
  return out;
}

export interface TextChartOptions {
  /** The TTR target, drawn as a dotted line. */
  target?: number | null;
  /** Plot rows, not counting the axis. Default 8. */
  height?: number;
  /** Most points shown; older ones are dropped from the left. Default 40. */
  maxPoints?: number;
  format?: (ms: number) => string;
}

/**
 * A text line chart of TTR per drill, oldest left: `●` a recovered drill, `✕` on the top row one
 * that never recovered, `┄` the target. Returns lines without trailing newlines, for the TUI's
 * History screen and plain terminal output.
 */
export function textLineChart(
  points: readonly ChartPoint[],
  options: TextChartOptions = {},
): string[] {
  const height = Math.max(2, options.height ?? 8);
  const format = options.format ?? formatDuration;
  const shown = points.slice(-Math.max(1, options.maxPoints ?? 40));
  if (shown.length === 0) return ["(no drills)"];
  const target = options.target ?? null;
  const values = shown.map((p) => p.value).filter((v): v is number => v !== null);
  const { top } = niceScale(Math.max(1, ...values, target ?? 0) * 1.05);
  const rowOf = (v: number) =>
    Math.min(height - 1, Math.max(0, Math.round((1 - v / top) * (height - 1))));

  const width = shown.length * 2;
  const grid: string[][] = Array.from({ length: height }, () => Array(width).fill(" "));
  if (target !== null) {
    const row = rowOf(target);
    for (let x = 0; x < width; x++) grid[row]![x] = "┄";
  }
  shown.forEach((p, i) => {
    const x = i * 2;
    if (p.value === null) grid[0]![x] = "✕";
    else grid[rowOf(p.value)]![x] = "●";
  });

  const labels = new Map<number, string>();
  labels.set(0, format(top));
  labels.set(height - 1, "0");
  if (target !== null) labels.set(rowOf(target), `${format(target)} target`);
  const gutter = Math.max(...[...labels.values()].map((l) => l.length));
  const lines = grid.map((cells, row) => {
    const label = labels.get(row) ?? "";
    return `${label.padStart(gutter)} ┤${cells.join("")}`.trimEnd();
  });
  lines.push(`${" ".repeat(gutter)} └${"─".repeat(width)}`);
  const first = shown[0]!.label;
  const last = shown[shown.length - 1]!.label;
  const axis =
    shown.length > 1 && last !== first
      ? `${first}${" ".repeat(Math.max(1, width - first.length - last.length))}${last}`
      : first;
  lines.push(`${" ".repeat(gutter + 2)}${axis}`);
  return lines;
}

const STEPS_MS = [
  100, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000,
  900_000, 1_800_000, 3_600_000, 7_200_000,
];

/** A round axis maximum and tick step (1m, 2m, 5m…) with at most five ticks above zero. */
export function niceScale(max: number): { top: number; step: number } {
  for (const step of STEPS_MS) {
    if (max / step <= 5) return { top: Math.ceil(max / step) * step, step };
  }
  const step = Math.ceil(max / 5 / 3_600_000) * 3_600_000;
  return { top: Math.ceil(max / step) * step, step };
}
