import type { DrillOutcome } from "../drill/journal-record.js";
import { formatDuration } from "../model/duration.js";

/** `2026-03-01 14:05 UTC`: reports are shared across time zones, so they say UTC. */
export function formatDate(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** `2026-03-01`, for chart axes and narrow tables. */
export function formatDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function formatOffset(ms: number): string {
  return ms === 0 ? "+0s" : `+${formatDuration(ms)}`;
}

export const OUTCOME_TEXT: Record<DrillOutcome, string> = {
  recovered: "recovered",
  "not-recovered": "did not recover",
  aborted: "aborted",
  "timed-out": "timed out",
  "safety-stop": "stopped by a safety limit",
  incomplete: "incomplete (no summary: the drill was killed)",
};
