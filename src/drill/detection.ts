import { formatDuration } from "../model/duration.js";
import type { TimedEvent } from "./events.js";

/** One alert from the team's monitoring, and how long each leg of detecting it took. */
export interface AlertLatency {
  signal: number;
  kind: "alert" | "log" | "metric";
  text: string;
  source: "alertmanager" | "prometheus";
  /** drill times (ms): the first fault applied, the alert's own time (when known), when seen */
  faultT: number;
  activeT: number | null;
  seenT: number;
}

export interface DetectionGap {
  signal: number;
  name: string;
  withinMs: number;
  t: number;
}

export interface Detection {
  alerts: AlertLatency[];
  gaps: DetectionGap[];
}

/** Whether TTD counts only the team's monitoring: the drill was started with monitoring signals. */
export function monitoringDetects(events: readonly TimedEvent[]): boolean {
  const started = events[0]?.event;
  return started?.type === "drill.started" && started.ttdFrom === "monitoring";
}

/** The monitoring signals seen after the first fault, and the detection gaps, from the events. */
export function detectionOf(events: readonly TimedEvent[]): Detection {
  const faultT = events.find((e) => e.event.type === "fault.applied")?.t;
  const alerts: AlertLatency[] = [];
  const gaps: DetectionGap[] = [];
  for (const { t, event } of events) {
    if (event.type === "detection.gap") {
      gaps.push({ signal: event.signal, name: event.name, withinMs: event.withinMs, t });
    }
    if (event.type !== "signal.shown" || event.source === undefined || faultT === undefined) {
      continue;
    }
    alerts.push({
      signal: event.signal,
      kind: event.kind,
      text: event.text,
      source: event.source,
      faultT,
      activeT: event.activeT ?? null,
      seenT: t,
    });
  }
  return { alerts, gaps };
}

/** `CheckoutLatencyHigh did not fire within 2m of the fault` */
export function gapText(gap: Pick<DetectionGap, "name" | "withinMs">): string {
  return `${gap.name} did not fire within ${formatDuration(gap.withinMs)} of the fault`;
}

/**
 * `fault → active 3.2s → seen 0.4s (3.6s after the fault)`: the alerting's share and the polling's
 * share of the detection time. A query signal has no time of its own: only the whole is known.
 */
export function latencyText(alert: AlertLatency): string {
  const seen = formatDuration(alert.seenT - alert.faultT);
  if (alert.activeT === null) return `fault → seen ${seen}`;
  const active = formatDuration(alert.activeT - alert.faultT);
  const lag = formatDuration(Math.max(0, alert.seenT - alert.activeT));
  return `fault → active ${active} → seen ${lag} later (${seen} after the fault)`;
}

/**
 * The debrief's lines about detection: gaps first (the findings), then the alerts that page, then
 * metric and log signals from monitoring; a screen that cuts them short keeps what matters.
 */
export function detectionLines(detection: Detection): string[] {
  const pages = detection.alerts.filter((a) => a.kind === "alert");
  const others = detection.alerts.filter((a) => a.kind !== "alert");
  return [
    ...detection.gaps.map((g) => `DETECTION GAP: ${gapText(g)}`),
    ...[...pages, ...others].map((a) => `detected: ${a.text} (${a.source}): ${latencyText(a)}`),
  ];
}
