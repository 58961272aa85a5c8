import { closeSync, fstatSync } from "node:fs";
import type { DrillStop } from "./outcome.js";

/** The two ends of the responder's terminal. */
export interface TerminalStreams {
  input: NodeJS.EventEmitter;
  output: NodeJS.EventEmitter;
}

/** Errors on a terminal that say it is gone (a closed pseudo-terminal), not that firedrill erred. */
const HANGUP_CODES = new Set(["EIO", "EPIPE", "ENXIO", "EBADF", "ECONNRESET"]);

export function isHangupError(error: unknown): boolean {
  return HANGUP_CODES.has((error as NodeJS.ErrnoException)?.code ?? "");
}

/**
 * Calls `onHangup` once when the terminal goes away: a read or a write on it fails with EIO or
 * EPIPE (tmux kill-session, a closed terminal window). Such errors are swallowed from then on, so
 * they are never thrown as uncaught. Returns the function that stops watching; once the terminal
 * is gone the listeners stay, because writes still pending on it will fail too.
 */
export function watchTerminal(
  terminal: TerminalStreams,
  onHangup: (stop: Extract<DrillStop, { kind: "hangup" }>) => void,
): () => void {
  let gone = false;
  const onError = (error: NodeJS.ErrnoException) => {
    if (!isHangupError(error) || gone) return;
    gone = true;
    forgetTerminalAtExit();
    onHangup({ kind: "hangup", detail: error.code ?? "closed" });
  };
  terminal.input.on("error", onError);
  terminal.output.on("error", onError);
  return () => {
    if (gone) return;
    terminal.input.off("error", onError);
    terminal.output.off("error", onError);
  };
}

let forgetting = false;

/**
 * Node puts the terminal's saved modes back as it exits, and aborts (SIGABRT, a core dump) when
 * that fails because the terminal is gone. Closing the standard descriptors that are terminals
 * just before, once the terminal hung up, makes it skip them: the process exits with its own code.
 */
export function forgetTerminalAtExit(): void {
  if (forgetting) return;
  forgetting = true;
  process.on("exit", () => {
    for (const fd of [0, 1, 2]) {
      try {
        if (fstatSync(fd).isCharacterDevice()) closeSync(fd);
      } catch {
        // closed already
      }
    }
  });
}
