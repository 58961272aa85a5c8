import { type ResponderKind, responderKindOf } from "../drill/journal-format.js";
import type { DrillRecord } from "../drill/journal-record.js";
import { parseDuration } from "../model/duration.js";
import type { Mode } from "../model/scenario.js";

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
  mode?: Mode;
  /** the responder's name, as journals record it */
  responder?: string;
}

/** Which drills are put side by side: people only unless automated runs are asked for. */
export interface Comparison {
  includeAutomated: boolean;
  /** only this responder's drills (--responder) */
  responder?: string;
}

export function responderKind(d: DrillRecord): ResponderKind {
  return responderKindOf(d.header, d.timings.tta);
}

export const isAutomated = (d: DrillRecord): boolean => responderKind(d) !== "person";

/**
 * Whether \`other\` may be compared with \`drill\`: the same mode, and the same kind of responder
 * (people with people, --auto with --auto), or any kind when automated runs are asked for.
 */
export function comparable(drill: DrillRecord, other: DrillRecord, c: Comparison): boolean {
  if (other.header.mode !== drill.header.mode) return false;
  if (c.responder !== undefined && other.header.responder !== c.responder) return false;
  if (c.includeAutomated) return true;
  return responderKind(other) === responderKind(drill);
}

/** "gameday drills by people", "tabletop drills by people and --auto/--script runs" */
export function comparisonText(drill: DrillRecord, c: Comparison): string {
  const kind = responderKind(drill);
  const who = c.includeAutomated
    ? "people and --auto/--script runs"
    : kind === "person"
      ? "people"
      : `--${kind} runs`;
  const by = c.responder === undefined ? "" : ` (responder ${c.responder})`;
  return `${drill.header.mode} drills by ${who}${by}`;
}

export function matchesHeader(header: DrillRecord["header"], filter: DrillFilter): boolean {
  if (filter.scenario !== undefined && header.scenario.id !== filter.scenario) return false;
  if (filter.service !== undefined && header.scenario.service !== filter.service) return false;
  if (filter.team !== undefined && (header.scenario.owner ?? "") !== filter.team) return false;
  if (filter.since !== undefined && Date.parse(header.startedAt) < filter.since.getTime())
    return false;
  if (filter.mode !== undefined && header.mode !== filter.mode) return false;
  if (filter.responder !== undefined && header.responder !== filter.responder) return false;
  return true;
}
