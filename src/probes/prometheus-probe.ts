import { messageOf } from "../model/message.js";
import type { Probe } from "../model/scenario.js";
import type { ProbeOptions, ProbeResult } from "./probe-types.js";
import { prometheusQuery } from "./prometheus-api.js";
import { finish } from "./result.js";
import { crossing, formatValue, limitText } from "./threshold.js";

type PrometheusSpec = NonNullable<Probe["prometheus"]>;

/**
 * Passes while the query's value stays within its limit. No data fails: a stop condition that
 * cannot see its metric cannot keep the drill safe (and preflight names the empty query).
 */
export async function prometheusProbe(
  spec: PrometheusSpec,
  timeoutMs: number,
  options: ProbeOptions = {},
): Promise<ProbeResult> {
  const started = performance.now();
  try {
    const samples = await prometheusQuery(
      {
        baseUrl: spec.url,
        tokenEnv: spec.tokenEnv,
        timeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
      },
      spec.query,
    );
    const elapsed = performance.now() - started;
    const { value, crossed } = crossing(samples, spec);
    if (value === null) return finish(false, elapsed, `no data for ${spec.query}`);
    const shown = `${spec.query} = ${formatValue(value)}`;
    return finish(!crossed, elapsed, crossed ? `${shown} ${limitText(spec)}` : shown);
  } catch (error) {
    return finish(false, performance.now() - started, messageOf(error));
  }
}
