import { STATUS_CODES } from "node:http";
import { userPattern } from "../model/pattern.js";
import type { Probe } from "../model/scenario.js";
import type { ProbeOptions, ProbeResult } from "./probe-types.js";
import { errorCode, finish, timeoutOrAbort } from "./result.js";

type HttpSpec = NonNullable<Probe["http"]>;

export async function httpProbe(
  spec: HttpSpec,
  timeoutMs: number,
  options: ProbeOptions = {},
): Promise<ProbeResult> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const started = performance.now();
  let status: number;
  let statusText: string;
  let body: string;
  try {
    const response = await fetch(spec.url, {
      method: spec.method,
      headers: spec.headers,
      signal,
      redirect: "manual",
    });
    status = response.status;
    statusText = response.statusText || STATUS_CODES[status] || "";
    // read the whole body: latency is what a client waiting for the answer would see
    body = await response.text();
  } catch (error) {
    const elapsed = performance.now() - started;
    const stopped = timeoutOrAbort(timeout, options.signal, timeoutMs);
    return finish(false, elapsed, stopped ?? errorCode(error));
  }
  const elapsed = performance.now() - started;
  const expected = Array.isArray(spec.expectStatus) ? spec.expectStatus : [spec.expectStatus];
  if (!expected.includes(status)) return finish(false, elapsed, `${status} ${statusText}`.trim());
  if (spec.bodyMatches !== undefined && !userPattern(spec.bodyMatches).test(body)) {
    return finish(false, elapsed, `body does not match /${spec.bodyMatches}/`);
  }
  if (spec.maxLatency !== undefined && elapsed > spec.maxLatency) {
    return finish(false, elapsed, `latency ${Math.round(elapsed)}ms > ${spec.maxLatency}ms`);
  }
  return finish(true, elapsed, `${status} ${statusText}`.trim());
}
