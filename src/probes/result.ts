import { innermostMessage, systemErrorCode } from "../model/message.js";
import type { ProbeResult } from "./probe-types.js";

export function finish(ok: boolean, elapsedMs: number, detail: string): ProbeResult {
  return { ok, latencyMs: Math.round(elapsedMs), detail };
}

/** `timed out after 2000ms` or `cancelled` when one of the signals fired, else undefined. */
export function timeoutOrAbort(
  timeout: AbortSignal,
  outer: AbortSignal | undefined,
  timeoutMs: number,
): string | undefined {
  if (outer?.aborted) return "cancelled";
  if (timeout.aborted) return `timed out after ${timeoutMs}ms`;
  return undefined;
}

/** The few words that say why a connection failed: its system error code, else the cause. */
export function errorCode(error: unknown): string {
  return systemErrorCode(error) ?? innermostMessage(error);
}
