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
