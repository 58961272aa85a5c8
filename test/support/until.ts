/**
 * Polls `check` until it holds: real sockets, processes and ink all settle on their own time.
 * Resolves with the milliseconds it took; throws naming `what` after `limitMs`.
 */
export async function until(
  check: () => boolean | Promise<boolean>,
  what = "the condition",
  limitMs = 5000,
  everyMs = 10,
): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > limitMs) {
      throw new Error(`timed out after ${limitMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
