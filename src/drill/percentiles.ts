/** Summary numbers over TTRs and other durations: the debrief's "before" and every report. */

/** Middle value of the sorted values (mean of the two middles for an even count); null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Nearest-rank percentile: the smallest value with at least p% of values at or below it, so it is
 * always a TTR that really happened. p90 of 10 values is the 9th smallest.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/**
 * A duration against an earlier one (lower is better). Within max(500 ms, 2 %) counts as the same:
 * a second either way on a ten-minute drill is not news. Null when either is missing.
 */
export function compareDurations(
  value: number | null,
  reference: number | null,
): "better" | "same" | "worse" | null {
  if (value === null || reference === null) return null;
  const tolerance = Math.max(500, Math.abs(reference) * 0.02);
  if (Math.abs(value - reference) <= tolerance) return "same";
  return value < reference ? "better" : "worse";
}
