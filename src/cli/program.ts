import { Command, CommanderError } from "commander";
import { EXIT_USAGE } from "./exit.js";
import { VERSION } from "./version.js";

type Register = (program: Command) => void;

/**
 * Each command's module is imported only when that command runs: loading all of them costs every
 * invocation ~1.7 MB of JavaScript to compile (measured: --version 270 ms against 110 ms for bare
 * node). Help, and names that match no command, load them all.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  list: async () => (await import("./commands/list.js")).registerList,
  lint: async () => (await import("./commands/lint.js")).registerLint,
  schema: async () => (await import("./commands/schema.js")).registerSchema,
  run: async () => (await import("./commands/run.js")).registerRun,
  cleanup: async () => (await import("./commands/cleanup.js")).registerCleanup,
  proxy: async () => (await import("./commands/proxy.js")).registerProxy,
  history: async () => (await import("./commands/history.js")).registerHistory,
  report: async () => (await import("./commands/report.js")).registerReport,
  demo: async () => (await import("./commands/demo.js")).registerDemo,
  init: async () => (await import("./commands/init.js")).registerInit,
  join: async () => (await import("./commands/join.js")).registerJoin,
};

function commandsFor(argv: readonly string[]): string[] {
  const name = argv[2];
  if (name === "--version" || name === "-V") return [];
  return name !== undefined && name in COMMANDS ? [name] : Object.keys(COMMANDS);
}

export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command("firedrill")
    .description("Chaos drills and runbook rehearsal for on-call teams.")
    .version(VERSION, "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText(
      "after",
      `
Without a command, in a terminal: the interactive scenario picker (with --facilitator:
the facilitator's view too: what is injected, where and when).

Examples:
  $ firedrill demo                                   local game day against the demo shop
  $ firedrill run checkout-db-latency                drill one scenario in the TUI
  $ firedrill run checkout-db-latency --mode gameday --auto --json   runbook verification in CI
  $ firedrill lint                                   validate scenarios/ and runbooks/
  $ firedrill history --since 90d                    MTTR trends per scenario, service and team
  $ firedrill report --latest --format md            post-drill report for a review
  $ TOXIPROXY_URL=http://toxiproxy.staging:8474 firedrill run payments-provider-timeout

Exit status: 0 ok, 1 a finding (lint errors, a drill not recovered within target), 2 usage or input error.
Docs: README.md and docs/ (formats, running, scoring, safety, proxy, history, tui, demo).`,
    )
    .exitOverride();
  const registers = await Promise.all(commandsFor(argv).map((name) => COMMANDS[name]!()));
  for (const register of registers) register(program);
  return program;
}

/**
 * Parses argv and runs the command. Commander's own exits (help, version, a bad flag, whose message
 * it has printed) become exit codes; anything else propagates to main's handler.
 */
export async function runProgram(argv: readonly string[]): Promise<number> {
  try {
    const program = await buildProgram(argv);
    await program.parseAsync([...argv]);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    throw error;
  }
}
