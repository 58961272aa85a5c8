import { MAX_DURATION_MS, parseDuration } from "./duration.js";

/**
 * Reading a parsed file that may not have passed its schema: reference and limit checks run on
 * it too, so one lint pass reports every problem of a file. Each reader answers undefined for a
 * value of the wrong shape, which the schema reports on its own.
 */
export function recordOf(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function listOf(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

export function textOf(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A duration field as the schema would read it, or undefined when the schema refuses it. */
export function durationOf(value: unknown): number | undefined {
  const ms =
    typeof value === "number"
      ? Number.isInteger(value) && value >= 0
        ? value
        : undefined
      : typeof value === "string"
        ? parseDuration(value)
        : undefined;
  return ms !== undefined && ms <= MAX_DURATION_MS ? ms : undefined;
}

/** `key` of each record in a list (`name` of every probe); entries without one are skipped. */
export function namesIn(list: unknown[] | undefined, key: string): (string | undefined)[] {
  return (list ?? []).map((item) => textOf(recordOf(item)?.[key]));
}
