import type { DrillState } from "../drill/state.js";
import { formatDuration } from "../model/duration.js";
import { clock } from "./format.js";

/** Why `h` gives nothing now: none left, or when the next one can be taken (on the drill clock). */
export function noHintYet(state: DrillState): string {
  const next = state.hints
    .filter((h) => !h.taken && !h.available)
    .sort((a, b) => a.after - b.after)[0];
  if (!next) return "no hints left";
  const wait = Math.max(0, next.after - state.elapsed);
  // Whole seconds: the wait is read at a glance, and the drill clock shows seconds.
  const seconds = Math.ceil(wait / 1000) * 1000;
  return `no hint available yet: the next one opens at ${clock(next.after)} (in ${formatDuration(seconds)}), costs ${next.cost}`;
}
