import type { Sample } from "./prometheus-api.js";

export interface Limit {
  above?: number | undefined;
  below?: number | undefined;
}

export interface Crossing {
  /** the series' value that decides: the highest for `above`, the lowest for `below` */
  value: number | null;
  crossed: boolean;
}

/** Whether any series of a query's result crosses the limit; NaN never does. */
export function crossing(samples: readonly Sample[], limit: Limit): Crossing {
  const values = samples.map((s) => s.value).filter((v) => !Number.isNaN(v));
  if (values.length === 0) return { value: null, crossed: false };
  if (limit.above !== undefined) {
    const value = Math.max(...values);
    return { value, crossed: value > limit.above };
  }
  const value = Math.min(...values);
  return { value, crossed: limit.below !== undefined && value < limit.below };
}

/** `> 0.05` or `< 10`: the limit as a comparison, for details and reasons. */
export function limitText(limit: Limit): string {
  return limit.above !== undefined ? `> ${limit.above}` : `< ${limit.below}`;
}

/** A value as people read it: at most 4 significant digits, no exponent for everyday sizes. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && (Math.abs(value) >= 1e6 || Math.abs(value) < 1e-3)) {
    return value.toPrecision(4);
  }
  return String(Number(value.toPrecision(4)));
}
