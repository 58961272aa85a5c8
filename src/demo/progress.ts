import type { ShopProgress } from "./launcher.js";

/** Width of the name column: the longest step name ("fault proxy") plus a gap. */
const NAME_WIDTH = 13;

/** One line of the start-up display, e.g. `  ✓ db-replica   127.0.0.1:41233   48 ms`. */
export function progressLine(step: ShopProgress): string {
  const ms = `${Math.round(step.ms)} ms`.padStart(8);
  return `  ✓ ${step.name.padEnd(NAME_WIDTH)}${ms}  ${step.detail}`;
}

/** The line under the steps once the shop is up. */
export function readyLine(ms: number): string {
  return `demo shop ready in ${Math.round(ms)} ms · opening the scenario picker (gameday against this local staging)…`;
}
