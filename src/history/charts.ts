import { formatDuration } from "../model/duration.js";
import { type ChartPoint, niceScale } from "../platform/text-charts.js";

export interface SvgChartOptions {
  target?: number | null;
  width?: number;
  height?: number;
  title?: string;
  format?: (ms: number) => string;
  /** Index of the point to emphasise (the drill a report is about). */
  highlight?: number;
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
