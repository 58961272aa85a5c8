/** Colour for line output (the TUI colours through ink): when it is allowed, and how it is written. */

/** Colour only on a terminal, never with NO_COLOR set (https://no-color.org). */
export function colorAllowed(
  stream: { isTTY?: boolean } = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0";
  return stream.isTTY === true;
}

export type Colour = "red" | "yellow" | "green" | "dim";

const ESC = String.fromCharCode(27);
const OPEN: Record<Colour, number> = { red: 31, yellow: 33, green: 32, dim: 2 };

/** `text` in `colour` when `on`; closed with its own code, so colours around it survive. */
export function paint(text: string, colour: Colour, on: boolean): string {
  if (!on) return text;
  const close = colour === "dim" ? 22 : 39;
  return `${ESC}[${OPEN[colour]}m${text}${ESC}[${close}m`;
}

export function bold(text: string, on: boolean): string {
  return on ? `${ESC}[1m${text}${ESC}[22m` : text;
}
