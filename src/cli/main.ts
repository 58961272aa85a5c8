import { Command, CommanderError } from "commander";
import { registerCleanup } from "./commands/cleanup.js";
import { registerDemo } from "./commands/demo.js";
import { registerHistory } from "./commands/history.js";
import { registerInit } from "./commands/init.js";
import { registerLint } from "./commands/lint.js";
import { registerList } from "./commands/list.js";
import { registerProxy } from "./commands/proxy.js";
import { registerReport } from "./commands/report.js";
import { registerRun } from "./commands/run.js";
import { registerSchema } from "./commands/schema.js";
import { EXIT_USAGE, ExitWith, UsageError } from "./exit.js";
import { isInteractive } from "./terminal.js";
import { VERSION } from "./version.js";

export function buildProgram(): Command {
  const program = new Command("firedrill")
    .description("Chaos drills and runbook rehearsal for on-call teams.")
    .version(VERSION, "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText(
      "after",
      `
Without a command, in a terminal: the interactive scenario picker.

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
  for (const register of [
    registerList,
    registerLint,
    registerSchema,
    registerRun,
    registerCleanup,
    registerProxy,
    registerHistory,
    registerReport,
    registerDemo,
    registerInit,
  ]) {
    register(program);
  }
  return program;
}

/** `firedrill` alone in a terminal opens the TUI's scenario picker (ink is loaded only then). */
async function openPicker(): Promise<number> {
  const [{ runInteractive }, { resolvePlan }, { bundledRoot }] = await Promise.all([
    import("../tui/interactive.js"),
    import("./commands/run.js"),
    import("./commands/list.js"),
  ]);
  return runInteractive({
    cwd: process.cwd(),
    bundledRoot: bundledRoot(),
    plan: (scenario, mode, responder) => resolvePlan(scenario, { mode, responder }),
    defaultResponder: process.env.USER ?? process.env.USERNAME ?? "responder",
  });
}

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    if (argv.length <= 2 && isInteractive()) return await openPicker();
    await program.parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    if (error instanceof ExitWith) return error.exitCode;
    if (error instanceof CommanderError) {
      // Help and version exit 0; commander already printed its message otherwise.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`firedrill: ${error.message}\n`);
      return EXIT_USAGE;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`firedrill: internal error: ${message}\n`);
    if (process.env.FIREDRILL_DEBUG && error instanceof Error)
      process.stderr.write(`${error.stack}\n`);
    return 70;
  }
}

const code = await main(process.argv);
process.exitCode = code;
