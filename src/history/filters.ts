import type { DrillRecord } from "../drill/journal-record.js";
import { parseDuration } from "../model/duration.js";

const DAY = 86_400_000;

export const SINCE_HINT = "a period such as 90d, 2w, 12h or a date such as 2026-01-31";

/**
 * `--since` as an absolute instant: a period back from `now` (`90d`, `2w`, or anything
 * parseDuration reads, like `12h`) or an ISO date. Undefined when malformed.
 */
export function parseSince(text: string, now: Date): Date | undefined {
  const source = text.trim();
  const days = /^(\d+(?:\.\d+)?)(d|w)$/.exec(source);
  if (days) return new Date(now.getTime() - Number(days[1]) * (days[2] === "w" ? 7 : 1) * DAY);
  if (/^\d{4}-\d{2}-\d{2}/.test(source)) {
    const at = Date.parse(source);
    return Number.isFinite(at) ? new Date(at) : undefined;
  }
  const ms = parseDuration(source);
  return ms === undefined ? undefined : new Date(now.getTime() - ms);
}

export interface DrillFilter {
  scenario?: string;
  service?: string;
  team?: string;
  since?: Date;
}

export function matchesHeader(header: DrillRecord["header"], filter: DrillFilter): boolean {
  if (filter.scenario !== undefined && header.scenario.id !== filter.scenario) return false;
  if (filter.service !== undefined && header.scenario.service !== filter.service) return false;
  if (filter.team !== undefined && (header.scenario.owner ?? "") !== filter.team) return false;
  if (filter.since !== undefined && Date.parse(header.startedAt) < filter.since.getTime())
    return false;
  return true;
}
