/**
 * Everything that can happen in a drill. The engine's reducer folds these into state, the journal
 * stores them one per line, and history recomputes timings from them; so the shapes are a file
 * format, defined once as the journal's schema (model/journal-file.ts): add kinds and fields there.
 */
export type { DrillEvent, DrillEventType } from "../model/journal-file.js";

import type { DrillEvent } from "../model/journal-file.js";

/** An event as it happened: `t` is milliseconds since the drill started on the drill's clock. */
export interface TimedEvent {
  t: number;
  event: DrillEvent;
}
