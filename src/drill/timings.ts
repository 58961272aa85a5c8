import type { TimedEvent } from "./events.js";

/**
 * The four incident timings, each measured from the first fault applied (the incident's start),
 * in milliseconds; null when the moment never came.
 * - TTD, time to detect: the first alert signal shown or the first failing probe, whichever is first.
 * - TTA, time to acknowledge: the responder acknowledges.
 * - TTM, time to mitigate: the responder declares the impact mitigated.
 * - TTR, time to recover: recovery confirmed (gameday: the recovery probe passed `consecutive`
 *   times in a row after the first fault; tabletop: every `tabletop.resolvedBy` step done).
 */
export interface Timings {
  ttd: number | null;
  tta: number | null;
  ttm: number | null;
  ttr: number | null;
}

export function computeTimings(events: readonly TimedEvent[]): Timings {
  const start = events.find((e) => e.event.type === "fault.applied")?.t;
  const timings: Timings = { ttd: null, tta: null, ttm: null, ttr: null };
  if (start === undefined) return timings;
  for (const { t, event } of events) {
    if (t < start) continue;
    const since = t - start;
    const detected =
      (event.type === "signal.shown" && event.kind === "alert") ||
      (event.type === "probe.result" && !event.ok);
    if (detected && timings.ttd === null) timings.ttd = since;
    if (event.type === "acknowledged" && timings.tta === null) timings.tta = since;
    if (event.type === "mitigated" && timings.ttm === null) timings.ttm = since;
    if (event.type === "recovered" && timings.ttr === null) timings.ttr = since;
  }
  return timings;
}
