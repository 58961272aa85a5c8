import { monitoringDetects } from "./detection.js";
import type { DrillEvent, TimedEvent } from "./events.js";

/**
 * The four incident timings, each measured from the first fault applied (the incident's start),
 * in milliseconds; null when the moment never came.
 * - TTD, time to detect: the first alert signal shown or the first failing probe, whichever is first;
 *   in a gameday with monitoring signals, the first monitoring alert firedrill saw fire (the team's alerting,
 *   not firedrill's own probes, is what detection measures: docs/scoring.md).
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

export const NO_TIMINGS: Readonly<Timings> = { ttd: null, tta: null, ttm: null, ttr: null };

/** Which timing an event can stop, if any. */
function moment(event: DrillEvent, monitoringOnly: boolean): keyof Timings | null {
  switch (event.type) {
    case "signal.shown":
      if (monitoringOnly)
        return event.source !== undefined && event.kind === "alert" ? "ttd" : null;
      return event.kind === "alert" ? "ttd" : null;
    case "probe.result":
      return event.ok || monitoringOnly ? null : "ttd";
    case "acknowledged":
      return "tta";
    case "mitigated":
      return "ttm";
    case "recovered":
      return "ttr";
    default:
      return null;
  }
}

/**
 * The timings once one more event is known, the incident having started at `start`. Only the
 * first occurrence of a moment counts, so the result is `timings` itself when nothing changed.
 */
export function withEvent(
  timings: Timings,
  timed: TimedEvent,
  start: number,
  /** TTD from monitoring signals only (see monitoringDetects) */
  monitoringOnly = false,
): Timings {
  if (timed.t < start) return timings;
  const key = moment(timed.event, monitoringOnly);
  if (key === null || timings[key] !== null) return timings;
  return { ...timings, [key]: timed.t - start };
}

export function computeTimings(events: readonly TimedEvent[]): Timings {
  const start = events.find((e) => e.event.type === "fault.applied")?.t;
  if (start === undefined) return { ...NO_TIMINGS };
  const monitoringOnly = monitoringDetects(events);
  return events.reduce((timings, timed) => withEvent(timings, timed, start, monitoringOnly), {
    ...NO_TIMINGS,
  });
}
