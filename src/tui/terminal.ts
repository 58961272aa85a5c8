/**
 * The one switch between the interactive TUI and plain line output. `isTTY` is undefined (not false)
 * on pipes, so compare with `=== true`.
 */
export function isInteractive(
  stdin: { isTTY?: boolean } = process.stdin,
  stdout: { isTTY?: boolean } = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  const ci = env.CI !== undefined && env.CI !== "" && env.CI !== "false" && env.CI !== "0";
  return stdin.isTTY === true && stdout.isTTY === true && !ci;
}

/** Colour only on a terminal, never with NO_COLOR set (https://no-color.org). */
export function useColor(stream: { isTTY?: boolean } = process.stdout, env = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0";
  return stream.isTTY === true;
}
