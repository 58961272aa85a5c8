import { messageOf } from "../model/message.js";
import type { Mode } from "../model/scenario.js";
import type { Preflight } from "./drill-port.js";

/**
 * The preflight runs as soon as gameday is chosen, before Enter, so its result is on screen while
 * the responder reads the briefing; a tabletop drill touches nothing and needs none.
 */
export function wantsPreflight(mode: Mode): boolean {
  return mode === "gameday";
}

/** A preflight that could not run counts as failed, with why as its one check: Enter stays refused. */
export function failedPreflight(error: unknown): Preflight {
  return {
    toxiproxyUrl: "?",
    ok: false,
    lines: [{ ok: false, text: messageOf(error) }],
  };
}

/**
 * A preflight check as the briefing shows it. The proxies the faults go through say where the
 * fault is, so a responder sees only that they are ready; the facilitator, or a check that
 * failed and must be fixed, sees the names.
 */
export function preflightText(
  check: { name: string; ok: boolean; detail: string },
  facilitator: boolean,
): string {
  if (check.name === "proxies" && check.ok && !facilitator) return "proxies: ready";
  return `${check.name}: ${check.detail}`;
}
