/**
 * Prometheus's text exposition format (0.0.4) and OpenMetrics 1.0, written by hand: the drill's
 * figures, `history --format openmetrics` and the demo shop's `/metrics` need only gauges,
 * counters and histograms, which is a page of code rather than a dependency.
 */

export type MetricType = "gauge" | "counter" | "histogram";

export type MetricLabels = Readonly<Record<string, string>>;

export interface MetricSample {
  /** appended to the family's name: `_total` for a counter, `_bucket`/`_sum`/`_count` for a histogram */
  suffix?: string;
  labels: MetricLabels;
  value: number;
}

export interface MetricFamily {
  /** the family's name; a counter's without `_total` (its samples carry the suffix) */
  name: string;
  help: string;
  type: MetricType;
  samples: readonly MetricSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * A label value as both formats want it: backslash, double quote and line feed escaped. Other
 * control characters are not errors in the formats, but a value that reaches a terminal or a
 * textfile collector with a raw escape sequence in it is trouble, so each becomes U+FFFD.
 */
export function escapeLabelValue(value: string): string {
  return value
    .replace(/[\\"\n]/g, (c) => (c === "\n" ? "\\n" : `\\${c}`))
    .replace(/\p{Cc}/gu, "\uFFFD");
}

/**
 * HELP text: backslash and line feed escaped, and in OpenMetrics the double quote too (the 0.0.4
 * format takes it as it is and knows no escape for it); other control characters replaced.
 */
function escapeHelp(text: string, openMetrics: boolean): string {
  const special = openMetrics ? /[\\\n"]/g : /[\\\n]/g;
  return text
    .replace(special, (c) => (c === "\n" ? "\\n" : `\\${c}`))
    .replace(/\p{Cc}/gu, "\uFFFD");
}

/** A sample value: integers as such, `+Inf`, `-Inf` and `NaN` as the formats spell them. */
export function formatSampleValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}

function labelText(labels: MetricLabels): string {
  const names = Object.keys(labels);
  if (names.length === 0) return "";
  for (const name of names) {
    if (!LABEL_NAME.test(name) || name.startsWith("__"))
      throw new Error(`"${name}" is not a valid label name`);
  }
  return `{${names.map((n) => `${n}="${escapeLabelValue(labels[n] ?? "")}"`).join(",")}}`;
}

function familyLines(family: MetricFamily, openMetrics: boolean): string[] {
  if (!NAME.test(family.name)) throw new Error(`"${family.name}" is not a valid metric name`);
  // OpenMetrics names a counter's family without `_total`; the 0.0.4 format names it with.
  const declared = family.type === "counter" && !openMetrics ? `${family.name}_total` : family.name;
  const lines = [
    `# HELP ${declared} ${escapeHelp(family.help, openMetrics)}`,
    `# TYPE ${declared} ${family.type}`,
  ];
  for (const sample of family.samples) {
    lines.push(
      `${family.name}${sample.suffix ?? ""}${labelText(sample.labels)} ${formatSampleValue(sample.value)}`,
    );
  }
  return lines;
}

/** The text format Prometheus scrapes and the Pushgateway accepts (`text/plain; version=0.0.4`). */
export function renderPrometheusText(families: readonly MetricFamily[]): string {
  return `${families.flatMap((f) => familyLines(f, false)).join("\n")}\n`;
}

export const PROMETHEUS_TEXT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** OpenMetrics 1.0 (`application/openmetrics-text; version=1.0.0`): the same, ending `# EOF`. */
export function renderOpenMetrics(families: readonly MetricFamily[]): string {
  return `${[...families.flatMap((f) => familyLines(f, true)), "# EOF"].join("\n")}\n`;
}

export const OPENMETRICS_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";
