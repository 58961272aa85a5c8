import { detectionLines } from "../drill/detection.js";
import { gapsText } from "../drill/outcome.js";
import type { DrillState } from "../drill/state.js";
import type { DrillSnapshot } from "./drill-port.js";
import { clock } from "./format.js";

/** What the TUI prints after leaving, one line per drill played: outcome, score, journal. */
export function playedLine(snapshot: DrillSnapshot): string {
  const { state, journalPath } = snapshot;
  const result = state.result;
  const outcome = result?.outcome ?? "ended";
  const score = result ? ` · score ${result.score} (${result.grade})${gapsText(result)}` : "";
  return `firedrill: ${state.setup.scenario.id}: ${outcome}${score} · journal ${journalPath ?? "not written"}`;
}

/**
 * What the clean-up did, for the score line. A tabletop applies nothing (its faults are
 * simulated, as the line under it says), so it has nothing to revert to count.
 */
export function cleanupNote(snapshot: DrillSnapshot): string {
  if (snapshot.state.setup.mode === "tabletop") return "";
  return snapshot.cleanup ? ` · ${snapshot.cleanup}` : "";
}

/** After the drill the cause can be told: what was injected, where, and when it was applied. */
export function injectedLine(state: DrillState): string {
  if (state.faults.length === 0) return "Injected: nothing";
  const faults = state.faults.map((f) => {
    const when =
      f.appliedT === undefined
        ? `not applied (planned at ${clock(f.at)})`
        : `at ${clock(f.appliedT)}${f.revertedT === undefined ? "" : `–${clock(f.revertedT)}`}`;
    return `${f.label} ${when}`;
  });
  const simulated = state.setup.mode === "tabletop" ? " (simulated)" : "";
  return `Injected${simulated}: ${faults.join("; ")}`;
}

/** The debrief's rows for the team's monitoring, at most this many (the rest: the timeline). */
export const DETECTION_ROWS = 3;

/** Detection by the team's monitoring, one row each: gaps, then latency per alert. */
export function detectionRows(state: DrillState): string[] {
  const detection = state.result?.detection;
  if (!detection) return [];
  const lines = detectionLines(detection);
  if (lines.length <= DETECTION_ROWS) return lines;
  const more = lines.length - DETECTION_ROWS + 1;
  return [...lines.slice(0, DETECTION_ROWS - 1), `…and ${more} more in the timeline`];
}
