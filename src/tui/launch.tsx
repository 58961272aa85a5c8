import { render } from "ink";
import { type DrillStop, EXIT, type StopSignal, signalExitCode } from "../drill/outcome.js";
import { forgetTerminalAtExit, isHangupError, watchTerminal } from "../drill/terminal-hangup.js";
import { messageOf } from "../model/message.js";
import { colorAllowed as colorWanted } from "../platform/colour.js";
import { App, type Preloaded, type TuiResult } from "./app.js";
import type { DrillPort, TuiDeps } from "./drill-port.js";
import { paintFor } from "./theme.js";

/** Alternate screen on/off and cursor show: the shell's scrollback is left as it was. */
const ENTER = "\u001b[?1049h\u001b[H";
const LEAVE = "\u001b[?25h\u001b[?1049l";

export interface OpenOptions {
  /** open this scenario's briefing instead of the picker */
  scenario?: string | undefined;
  /** loaded while ink was loading, so the first frame is already complete */
  preloaded?: Preloaded;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

/**
 * Runs the TUI until the responder quits; resolves with the exit code. Only ever loaded with a
 * dynamic import from the interactive path, so `firedrill lint` never pays for ink and React.
 * Whatever happens (an error, a signal), the terminal is restored: raw mode off, cursor shown,
 * main screen back, and the last word printed where the user can read it.
 */
export async function openTui(deps: TuiDeps, options: OpenOptions = {}): Promise<number> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  let result: TuiResult = { message: "", exitCode: 0 };
  const interruptRef: { current: ((stop: DrillStop) => void) | null } = { current: null };
  let restored = false;
  // A closed terminal takes no more writes: nothing is restored on it, nothing printed.
  let hungUp = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    if (hungUp) return;
    try {
      if (stdin.isTTY === true) stdin.setRawMode(false);
    } catch {
      // stdin may already be closed; the terminal is still reset below.
    }
    stdout.write(LEAVE);
  };
  const stop = (why: DrillStop) => {
    if (interruptRef.current) interruptRef.current(why);
    else {
      restore();
      process.exit(why.kind === "signal" ? signalExitCode(why.signal) : signalExitCode("SIGHUP"));
    }
  };
  const onSignal = (signal: StopSignal) => {
    if (signal === "SIGHUP") forgetTerminalAtExit();
    stop({ kind: "signal", signal });
  };
  // The terminal closed under us (tmux kill-session): a hangup, whether or not SIGHUP comes too.
  // Reading it stops, or a dead tty would keep waking the event loop.
  watchTerminal({ input: stdin, output: stdout }, (why) => {
    hungUp = true;
    stdin.pause();
    stop(why);
  });
  const drillRef: { current: DrillPort | null } = { current: null };
  // The TUI itself broke: give the terminal back first, then end the drill without it.
  let instance: { unmount(): void } | undefined;
  const onFatal = (error: unknown) => {
    // A write to a terminal that just closed: a hangup, not a failure of the TUI.
    if (isHangupError(error)) {
      hungUp = true;
      stop({ kind: "hangup", detail: (error as NodeJS.ErrnoException).code ?? "closed" });
      return;
    }
    result = { message: "", exitCode: EXIT.internal };
    // ink's last words go to the alternate screen, before it is left.
    try {
      instance?.unmount();
    } catch {
      // the tree is broken already; the terminal is reset below all the same
    }
    restore();
    const message = messageOf(error);
    process.stderr.write(`firedrill: internal error in the TUI: ${message}\n`);
    const drill = drillRef.current;
    if (!drill) process.exit(EXIT.internal);
    process.stderr.write("firedrill: aborting the drill and reverting its faults…\n");
    const giveUp = setTimeout(() => process.exit(EXIT.internal), 15_000);
    drill.stop({ kind: "internal", error: message });
    void drill.closing().then(
      (closing) => {
        clearTimeout(giveUp);
        for (const line of closing.lines) process.stderr.write(`firedrill: ${line}\n`);
        process.exit(closing.exitCode);
      },
      () => process.exit(EXIT.internal),
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("SIGHUP", onSignal);
  process.on("exit", restore);
  process.on("uncaughtException", onFatal);
  stdout.write(ENTER);
  // Raw at once, not when ink's input effect runs after the first frame: keys typed in between
  // would otherwise sit in the tty's line buffer (echoed over the frame) instead of reaching us.
  if (stdin.isTTY === true) stdin.setRawMode(true);
  try {
    const rendered = render(
      <App
        deps={deps}
        scenario={options.scenario}
        preloaded={options.preloaded}
        paint={paintFor(colorWanted(stdout))}
        onDone={(r) => {
          result = r;
        }}
        interruptRef={interruptRef}
        drillRef={drillRef}
      />,
      // Stray console output would tear the frame; only the real terminal's console needs routing.
      { stdin, stdout, exitOnCtrlC: false, patchConsole: stdout === process.stdout, maxFps: 30 },
    );
    instance = rendered;
    await rendered.waitUntilExit();
  } catch (error) {
    // A screen threw: ink has unmounted, but a drill may still be running: end it properly.
    restore();
    const drill = drillRef.current;
    if (drill) {
      const message = messageOf(error);
      process.stderr.write(
        "firedrill: the TUI failed; aborting the drill and reverting its faults…\n",
      );
      await drill.shutdown(`internal error: ${message}`).catch(() => undefined);
    }
    throw error;
  } finally {
    restore();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    process.off("SIGHUP", onSignal);
    process.off("exit", restore);
    process.off("uncaughtException", onFatal);
  }
  if (result.message && !hungUp) stdout.write(`${result.message}\n`);
  return result.exitCode;
}
