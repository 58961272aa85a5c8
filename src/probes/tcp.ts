import { connect } from "node:net";
import type { Probe } from "../model/scenario.js";
import { splitHostPort } from "./probe-address.js";
import type { ProbeOptions, ProbeResult } from "./probe-types.js";
import { finish } from "./result.js";

type TcpSpec = NonNullable<Probe["tcp"]>;

export function tcpProbe(
  spec: TcpSpec,
  timeoutMs: number,
  options: ProbeOptions = {},
): Promise<ProbeResult> {
  const { host, port } = splitHostPort(spec.address);
  const started = performance.now();
  return new Promise((resolve) => {
    if (options.signal?.aborted) {
      resolve(finish(false, 0, "cancelled"));
      return;
    }
    const socket = connect({ host, port });
    let settled = false;
    const done = (ok: boolean, detail: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      socket.destroy();
      resolve(finish(ok, performance.now() - started, detail));
    };
    const onAbort = () => done(false, "cancelled");
    const timer = setTimeout(() => done(false, `timed out after ${timeoutMs}ms`), timeoutMs);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    socket.once("connect", () => {
      const elapsed = performance.now() - started;
      if (spec.maxLatency !== undefined && elapsed > spec.maxLatency) {
        done(false, `latency ${Math.round(elapsed)}ms > ${spec.maxLatency}ms`);
      } else {
        done(true, "connected");
      }
    });
    socket.once("error", (error: NodeJS.ErrnoException) =>
      done(false, error.code ?? error.message),
    );
  });
}
