import type { Probe } from "../model/scenario.js";
import { redactSecrets } from "../model/secrets.js";
import { commandProbe } from "./command-probe.js";
import { httpProbe } from "./http.js";
import type { ProbeOptions, ProbeResult } from "./probe-types.js";
import { prometheusProbe } from "./prometheus-probe.js";
import { tcpProbe } from "./tcp.js";

export type { MonitoringCheck, MonitoringChecker } from "./monitoring-check.js";
export { checkMonitoringSignal, describeSource, sourceName } from "./monitoring-check.js";
export type {
  ProbeOptions,
  ProbeResult,
  ProbeRunner,
} from "./probe-types.js";

/**
 * Runs one check of a probe, bounded by its `timeout`. Never rejects: a failure is a result with
 * `ok: false` and a `detail` that says why in a few words.
 */
export async function runProbe(probe: Probe, options: ProbeOptions = {}): Promise<ProbeResult> {
  if (probe.http) return httpProbe(probe.http, probe.timeout, options);
  if (probe.tcp) return tcpProbe(probe.tcp, probe.timeout, options);
  if (probe.command) return commandProbe(probe.command, probe.timeout, options);
  if (probe.prometheus) return prometheusProbe(probe.prometheus, probe.timeout, options);
  return { ok: false, latencyMs: 0, detail: "probe has no http, tcp, command or prometheus check" };
}

/**
 * A one-line description of what a probe checks, e.g. `GET http://127.0.0.1:8080/health`, with
 * secrets redacted (a `?token=` in the URL): preflight prints it before any boundary would.
 */
export function describeProbe(probe: Probe): string {
  return redactSecrets(probeText(probe));
}

function probeText(probe: Probe): string {
  if (probe.http) return `${probe.http.method} ${probe.http.url}`;
  if (probe.tcp) return `tcp ${probe.tcp.address}`;
  if (probe.command) {
    const run = probe.command.run;
    return `run ${typeof run === "string" ? run : run.join(" ")}`;
  }
  if (probe.prometheus) {
    const { url, query, above } = probe.prometheus;
    const limit = above !== undefined ? `above ${above}` : `below ${probe.prometheus.below}`;
    return `prometheus ${url} ${query} (fails ${limit})`;
  }
  return probe.name;
}
