import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Who is responding when nobody says: the login name, as a drill's journal records it. */
export function defaultResponder(): string {
  return process.env.USER ?? process.env.USERNAME ?? "responder";
}

/** This machine's memory of who last responded here, beside the ledgers in `.firedrill/`. */
function responderFile(cwd: string): string {
  return join(cwd, ".firedrill", "responder");
}

/** The name the last interactive drill here was started with, if any. */
export function lastResponder(cwd: string): string | undefined {
  try {
    const name = readFileSync(responderFile(cwd), "utf8").trim();
    return name === "" ? undefined : name;
  } catch {
    return undefined;
  }
}

/** Keeps `name` for the next briefing; a directory that cannot be written only loses the memory. */
export function rememberResponder(cwd: string, name: string): void {
  try {
    // Everything under .firedrill/ is the owner's alone (docs/safety.md).
    mkdirSync(join(cwd, ".firedrill"), { recursive: true, mode: 0o700 });
    writeFileSync(responderFile(cwd), `${name}\n`, { mode: 0o600 });
  } catch {
    // read-only checkout: the next briefing suggests $USER again
  }
}
