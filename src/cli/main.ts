import { messageOf } from "../model/message.js";
import { redactSecrets } from "../model/secrets.js";
import { isInteractive } from "../tui/terminal.js";
import { EXIT_USAGE, ExitWith, UsageError } from "./exit.js";
import { defaultResponder, lastResponder, rememberResponder } from "./responder.js";

/**
 * `firedrill` alone (or `firedrill --facilitator`) in a terminal opens the TUI's scenario picker
 * (ink is loaded only then).
 */
async function openPicker(facilitator: boolean): Promise<number> {
  const [{ runInteractive }, { planFor }, { bundledRoot }] = await Promise.all([
    import("../tui/interactive.js"),
    import("./plan.js"),
    import("./bundled-root.js"),
  ]);
  return runInteractive({
    cwd: process.cwd(),
    bundledRoot: bundledRoot(),
    plan: (workspace, scenario, mode, responder) =>
      planFor(workspace, scenario, { mode, responder }),
    defaultResponder: lastResponder(process.cwd()) ?? defaultResponder(),
    rememberResponder: (name) => rememberResponder(process.cwd(), name),
    facilitator,
  });
}

/** No command: nothing after `firedrill`, or only `--facilitator`. */
function picker(argv: readonly string[]): { facilitator: boolean } | undefined {
  const args = argv.slice(2);
  if (args.length > 1 || (args.length === 1 && args[0] !== "--facilitator")) return undefined;
  return { facilitator: args.length === 1 };
}

/** `firedrill run <scenario>` in a terminal, not headless: the TUI will open. */
function opensTui(argv: readonly string[]): boolean {
  const headless = ["--auto", "--script", "--help", "-h"];
  return (
    argv[2] === "run" &&
    isInteractive() &&
    !argv.some((arg) => headless.includes(arg) || arg.startsWith("--script="))
  );
}

async function main(argv: string[]): Promise<number> {
  try {
    const bare = picker(argv);
    if (bare && isInteractive()) return await openPicker(bare.facilitator);
    // Loading the TUI takes longer than parsing the command line: overlap the two.
    if (opensTui(argv)) {
      import("../tui/interactive.js").then((tui) => tui.preloadTui()).catch(() => undefined);
    }
    // A long-running server starts without commander and the other commands (falls through on --help).
    if (argv[2] === "proxy") {
      const code = await (await import("./commands/proxy.js")).runProxyFast(argv.slice(3));
      if (code !== undefined) return code;
    }
    // commander and the commands load only here: the picker opens without them.
    const { runProgram } = await import("./program.js");
    return await runProgram(argv);
  } catch (error) {
    if (error instanceof ExitWith) return error.exitCode;
    if (error instanceof UsageError) {
      process.stderr.write(`firedrill: ${redactSecrets(error.message)}\n`);
      return EXIT_USAGE;
    }
    const message = redactSecrets(messageOf(error));
    process.stderr.write(`firedrill: internal error: ${message}\n`);
    if (process.env.FIREDRILL_DEBUG && error instanceof Error)
      process.stderr.write(`${error.stack}\n`);
    return 70;
  }
}

// A reader that goes away (`firedrill --help | head`, a closed terminal: EIO) is not an error worth
// a stack trace. Never exit here: a drill still running must revert its faults, so output just stops.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE" && error.code !== "EIO") throw error;
});

const code = await main(process.argv);
process.exitCode = code;
