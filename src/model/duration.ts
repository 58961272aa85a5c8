import { z } from "zod";

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;

/** Parses `250ms`, `90s`, `2m`, `1h`, `1m30s` into milliseconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const source = text.trim();
  if (source === "") return undefined;
  if (source === "0") return 0;
  PART.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  for (let match = PART.exec(source); match; match = PART.exec(source)) {
    total += Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
    consumed = PART.lastIndex;
  }
  return consumed === source.length ? Math.round(total) : undefined;
}

/**
 * Formats milliseconds the way users write them: `950ms`, `12s`, `2m05s`, `1h02m`; a time that
 * is not known (not reached, not recorded) as `—`.
 */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  const sign = ms < 0 ? "-" : "";
  const abs = Math.abs(Math.round(ms));
  if (abs < 1000) return `${sign}${abs}ms`;
  if (abs < 60_000) {
    const s = abs / 1000;
    return `${sign}${Number.isInteger(s) || s >= 10 ? Math.round(s) : s.toFixed(1)}s`;
  }
  const totalS = Math.round(abs / 1000);
  if (totalS < 3600) {
    const m = Math.floor(totalS / 60);
    const s = totalS % 60;
    return `${sign}${m}m${s ? `${String(s).padStart(2, "0")}s` : ""}`;
  }
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  return `${sign}${h}h${m ? `${String(m).padStart(2, "0")}m` : ""}`;
}

export const DURATION_HINT = "a duration such as 250ms, 90s, 2m, 1h or 1m30s";

/**
 * The longest duration any field accepts. A drill is a rehearsal of hours at most, and every
 * duration may end up as a timer: Node fires a timer above 2^31-1 ms (~24.8 days) at once.
 */
export const MAX_DURATION_MS = 24 * 3_600_000;
/** A probe checks at most ten times a second: `every: 0` would flood the service it checks. */
export const MIN_PROBE_INTERVAL_MS = 100;

/** A duration written as text (`90s`) or a bare number of milliseconds, within [min, 24h]. */
function durationField(min: number, why = "") {
  return z
    .union([z.string(), z.number().int().nonnegative()])
    .transform((value, ctx) => {
      const ms = typeof value === "number" ? value : parseDuration(value);
      const shown = typeof value === "number" ? `${value}ms` : `"${value}"`;
      if (ms === undefined) {
        ctx.addIssue({ code: "custom", message: `"${value}" is not ${DURATION_HINT}` });
        return z.NEVER;
      }
      if (ms > MAX_DURATION_MS) {
        ctx.addIssue({
          code: "custom",
          message: `${shown} is longer than ${formatDuration(MAX_DURATION_MS)}, the longest duration firedrill accepts`,
        });
        return z.NEVER;
      }
      if (ms < min) {
        ctx.addIssue({
          code: "custom",
          message: `${shown} is too short: use ${formatDuration(min)} or more${why}`,
        });
        return z.NEVER;
      }
      return ms;
    })
    .meta({
      description: `${DURATION_HINT}${min > 0 ? `, at least ${formatDuration(min)}` : ""}; at most 24h`,
      examples: ["250ms", "90s", "2m", "1h"],
    });
}

/** A duration written as text (`90s`) or a bare number of milliseconds; parsed to milliseconds. */
export const Duration = durationField(0);

/** How often a probe checks. */
export const ProbeInterval = durationField(
  MIN_PROBE_INTERVAL_MS,
  " (a probe checks at most ten times a second)",
);

/** The header clock: `04:07`, `1:02:03` past an hour. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, "0");
  const ss = String(s).padStart(2, "0");
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}
