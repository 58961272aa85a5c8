import type { ProbeResult } from "./types.js";

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

/**
 * The few words that say why a connection failed: the system error code (ECONNREFUSED,
 * ENOTFOUND…) when there is one, which fetch hides in `cause`.
 */
export function errorCode(error: unknown): string {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z_]+$/.test(code)) return code;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      current = errors[0];
      continue;
    }
    current = (current as { cause?: unknown }).cause;
  }
  let innermost: unknown = error;
  while (innermost instanceof Error && innermost.cause instanceof Error)
    innermost = innermost.cause;
  return innermost instanceof Error ? innermost.message : String(error);
}
