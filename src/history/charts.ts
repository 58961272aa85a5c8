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

export interface SvgChartOptions {
  target?: number | null;
  width?: number;
  height?: number;
  title?: string;
  format?: (ms: number) => string;
  /** Index of the point to emphasise (the drill a report is about). */
  highlight?: number;
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

function esc(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

const n = (v: number) => (Math.round(v * 10) / 10).toString();

/**
 * A self-contained SVG line chart of TTR per drill with the target as a dashed line. Recovered
 * drills are `<circle class="point">`, unrecovered ones `<path class="miss">` crosses on the top
 * edge; the root carries `data-points` so tests and tools can check what was drawn.
 */
export function svgLineChart(points: readonly ChartPoint[], options: SvgChartOptions = {}): string {
  const width = options.width ?? 640;
  const height = options.height ?? 240;
  const format = options.format ?? formatDuration;
  const target = options.target ?? null;
  const pad = { left: 64, right: 16, top: 24, bottom: 36 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const values = points.map((p) => p.value).filter((v): v is number => v !== null);
  const { top, step } = niceScale(Math.max(1, ...values, target ?? 0) * 1.05);
  const inset = 10;
  const x = (i: number) =>
    pad.left +
    inset +
    (points.length <= 1
      ? (plotW - 2 * inset) / 2
      : (i / (points.length - 1)) * (plotW - 2 * inset));
  const y = (v: number) => pad.top + plotH - (v / top) * plotH;
  const title = options.title ?? "Time to recover per drill";

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="ttr-chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(title)}" data-points="${values.length}" data-misses="${points.length - values.length}">`,
  );
  parts.push(`<title>${esc(title)}</title>`);
  parts.push(
    `<rect x="${pad.left}" y="${pad.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#ccc"/>`,
  );
  for (let tick = 0; tick <= top + 1e-9; tick += step) {
    const ty = n(y(tick));
    parts.push(
      `<line x1="${pad.left - 4}" y1="${ty}" x2="${pad.left}" y2="${ty}" stroke="#888"/>`,
      `<text x="${pad.left - 8}" y="${ty}" text-anchor="end" dominant-baseline="middle" font-size="11" fill="#555">${esc(format(tick))}</text>`,
    );
  }
  if (target !== null) {
    const ty = n(y(target));
    parts.push(
      `<line class="target" x1="${pad.left}" y1="${ty}" x2="${pad.left + plotW}" y2="${ty}" stroke="#c0392b" stroke-dasharray="6 4"/>`,
      `<text x="${pad.left + plotW - 4}" y="${n(y(target) - 5)}" text-anchor="end" font-size="11" fill="#c0392b">target ${esc(format(target))}</text>`,
    );
  }
  const line = points
    .map((p, i) => (p.value === null ? null : `${n(x(i))},${n(y(p.value))}`))
    .filter((s): s is string => s !== null);
  if (line.length > 1)
    parts.push(
      `<polyline class="ttr" fill="none" stroke="#2c6fbb" stroke-width="2" points="${line.join(" ")}"/>`,
    );
  points.forEach((p, i) => {
    const px = n(x(i));
    if (p.value === null) {
      const cy = pad.top + 6;
      parts.push(
        `<path class="miss" d="M${n(x(i) - 4)},${cy - 4}l8,8m0,-8l-8,8" stroke="#c0392b" stroke-width="2"><title>${esc(p.label)}: not recovered</title></path>`,
      );
    } else {
      const current = i === options.highlight;
      parts.push(
        `<circle class="point${current ? " current" : ""}" cx="${px}" cy="${n(y(p.value))}" r="${current ? 6 : 4}" fill="${current ? "#f79009" : "#2c6fbb"}"><title>${esc(p.label)}: ${esc(format(p.value))}</title></circle>`,
      );
    }
  });
  if (points.length > 0) {
    const first = points[0]!.label;
    const last = points[points.length - 1]!.label;
    parts.push(
      `<text x="${pad.left}" y="${height - 12}" font-size="11" fill="#555">${esc(first)}</text>`,
    );
    if (points.length > 1)
      parts.push(
        `<text x="${pad.left + plotW}" y="${height - 12}" text-anchor="end" font-size="11" fill="#555">${esc(last)}</text>`,
      );
  }
  parts.push("</svg>");
  return parts.join("\n");
}
