import type { Signal } from "../model/scenario.js";
import { alertmanagerAlerts } from "./alertmanager-api.js";
import { prometheusAlerts, prometheusQuery } from "./prometheus-api.js";
import { crossing, formatValue, limitText } from "./threshold.js";

export interface MonitoringCheckOptions {
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /**
   * Wall-clock ms: alerts that started before this (firing before the drill began) are not this
   * drill's doing and are ignored.
   */
  notBefore?: number;
}

/** What a monitoring signal's source says now. */
export interface MonitoringCheck {
  firing: boolean;
  /** the alert's own time, wall-clock ms: Alertmanager's `startsAt`, Prometheus's `activeAt` */
  activeAt?: number;
  /** a query signal's value (the one that crossed, when it did) */
  value?: number;
  /** what was seen, in a few words: `CheckoutLatencyHigh firing since …`, `q = 0.8 > 0.5` */
  detail: string;
}

export type MonitoringChecker = (
  signal: Signal,
  options?: MonitoringCheckOptions,
) => Promise<MonitoringCheck>;

/** A description of where a monitoring signal comes from, e.g. `alertmanager http://am:9093 alertname=X`. */
export function describeSource(signal: Signal): string {
  if (signal.alertmanager) {
    const labels = Object.entries(signal.alertmanager.match).map(([k, v]) => `${k}=${v}`);
    return `alertmanager ${signal.alertmanager.url} ${labels.join(",")}`;
  }
  const p = signal.prometheus;
  if (!p) return "scripted";
  if (p.alert !== undefined) return `prometheus ${p.url} alert ${p.alert}`;
  return `prometheus ${p.url} ${p.query} ${limitText(p)}`;
}

/** The alert (or threshold) a signal waits for, named as the debrief names it. */
export function sourceName(signal: Signal): string {
  if (signal.alertmanager) {
    const m = signal.alertmanager.match;
    return (
      m.alertname ??
      Object.entries(m)
        .map(([k, v]) => `${k}=${v}`)
        .join(",")
    );
  }
  const p = signal.prometheus;
  if (p?.alert !== undefined) return p.alert;
  if (p?.query !== undefined) return `${p.query} ${limitText(p)}`;
  return signal.text;
}

/**
 * Asks a monitoring signal's server once. Rejects (a MonitoringError naming the URL) when the
 * server cannot be asked; the drill journals that and keeps polling.
 */
export const checkMonitoringSignal: MonitoringChecker = async (signal, options = {}) => {
  const connection = {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  };
  const notBefore = options.notBefore ?? Number.NEGATIVE_INFINITY;
  if (signal.alertmanager) {
    const { url, tokenEnv, match } = signal.alertmanager;
    const alerts = await alertmanagerAlerts({ ...connection, baseUrl: url, tokenEnv }, match);
    const starts = alerts.map((a) => Date.parse(a.startsAt)).filter((t) => t >= notBefore);
    if (starts.length === 0) return { firing: false, detail: "no matching active alert" };
    const activeAt = Math.min(...starts);
    return {
      firing: true,
      activeAt,
      detail: `${sourceName(signal)} active since ${new Date(activeAt).toISOString()}`,
    };
  }
  const p = signal.prometheus;
  if (!p) return { firing: false, detail: "scripted signal" };
  const on = { ...connection, baseUrl: p.url, tokenEnv: p.tokenEnv };
  if (p.alert !== undefined) {
    const firing = (await prometheusAlerts(on)).filter(
      (a) => a.labels.alertname === p.alert && a.state === "firing",
    );
    const starts = firing
      .map((a) => (a.activeAt === null ? Number.NaN : Date.parse(a.activeAt)))
      .filter((t) => t >= notBefore);
    if (starts.length === 0) return { firing: false, detail: `${p.alert} not firing` };
    const activeAt = Math.min(...starts);
    return {
      firing: true,
      activeAt,
      detail: `${p.alert} firing, active since ${new Date(activeAt).toISOString()}`,
    };
  }
  const query = p.query ?? "";
  const { value, crossed } = crossing(await prometheusQuery(on, query), p);
  if (value === null) return { firing: false, detail: `no data for ${query}` };
  const shown = `${query} = ${formatValue(value)}`;
  return crossed
    ? { firing: true, value, detail: `${shown} ${limitText(p)}` }
    : { firing: false, value, detail: shown };
};
