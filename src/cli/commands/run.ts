import { type Command, Option } from "commander";
import { defaultJournalDir } from "../../drill/journal.js";
import { MODES } from "../../model/scenario.js";
import { isInteractive } from "../../tui/terminal.js";
import { bundledRoot } from "../bundled-root.js";
import { EXIT_OK, ExitWith, UsageError } from "../exit.js";
import { planFor, type RunOptions } from "../plan.js";
import { defaultResponder, lastResponder, rememberResponder } from "../responder.js";
import { checkShareFlags } from "../share-run.js";

export type { RunOptions } from "../plan.js";

export function registerRun(program: Command): void {
  program
    .command("run")
    .description("Run a drill: tabletop (simulated faults) or gameday (real faults via Toxiproxy)")
    .argument("<scenario>", "scenario id or path to a scenario file")
    .addOption(
      new Option("--mode <mode>", "tabletop or gameday (default: tabletop when allowed)").choices(
        MODES,
      ),
    )
    .option("--auto", "follow the expected procedure automatically: a runbook verification for CI")
    .option("--script <answers.yaml>", "replay scripted responder actions (see docs/running.md)")
    .option("--json", "print JSON Lines: every event, then a summary object")
    .option(
      "--responder <name>",
      "who is responding (default: the last name used here, else $USER)",
    )
    .option(
      "--facilitator",
      "interactive: this terminal is the facilitator's too: show what is injected, where and when, and the R/F keys",
    )
    .option("--share", "serve the drill to a facilitator, observers and a scribe (docs/roles.md)")
    .option("--share-port <port>", "with --share: the port to serve on (default: a free one)")
    .option(
      "--share-host <host>",
      "with --share: the interface to serve on (default 127.0.0.1; use an SSH tunnel instead)",
    )
    .option(
      "--journal-dir <dir>",
      `where journals go (default: config journalDir, ${defaultJournalDir})`,
    )
    .option(
      "--url <url>",
      "Toxiproxy API for gameday (default: $TOXIPROXY_URL or config toxiproxyUrl)",
    )
    .option(
      "--push <pushgateway-url>",
      "push the drill's figures to this Prometheus Pushgateway when it ends (default: config pushgateway)",
    )
    .option(
      "--allow-production <scenario-id>",
      "let hosts that look like production through the allow-list; type the scenario id back to confirm",
    )
    .addHelpText(
      "after",
      `
Exit codes (TUI and headless alike): 0 recovered within the TTR target, 1 not (slow, aborted,
timed out, safety stop), 2 bad input or a refused preflight (nothing was applied), 3 a fault could
not be reverted (run the firedrill cleanup command printed), 130/143/129 interrupted by
SIGINT/SIGTERM/SIGHUP (every fault reverted).

Examples:
  $ firedrill run checkout-db-latency                          interactive (needs a terminal)
  $ firedrill run checkout-db-latency --mode tabletop --auto   walk the runbook, no faults
  $ firedrill run checkout-db-latency --mode gameday --auto --url http://127.0.0.1:8474
  $ firedrill run scenarios/checkout-db-latency.yaml --script answers.yaml --json | jq .type
  $ firedrill run checkout-db-latency --auto --push http://127.0.0.1:9091
  $ firedrill run checkout-db-latency --mode tabletop --auto --share   prints a join line per role`,
    )
    .action(async (scenario: string, options: RunOptions) => {
      const code = await runCommand(scenario, options);
      if (code !== EXIT_OK) throw new ExitWith(code);
    });
}

async function runCommand(scenarioArg: string, options: RunOptions): Promise<number> {
  checkShareFlags(options);
  if (options.auto && options.script) {
    throw new UsageError("--auto and --script both drive the responder; use one of them");
  }
  if (!options.auto && !options.script) {
    if (!isInteractive()) {
      throw new UsageError(
        "an interactive drill needs a terminal (stdin and stdout a TTY); run headless with --auto or --script <answers.yaml>",
      );
    }
    return openInteractive(scenarioArg, options);
  }
  // The drill engine loads only now: the TUI path opens its first screen without it.
  const { runHeadlessCommand } = await import("./run-headless.js");
  return runHeadlessCommand(scenarioArg, options);
}

/**
 * The interactive path: the TUI (loaded lazily, so headless runs never load ink) drives the same
 * session, built from the same plan as the headless run.
 */
async function openInteractive(scenarioArg: string, options: RunOptions): Promise<number> {
  const { runInteractive } = await import("../../tui/interactive.js");
  const share = await shareBeforeTui(options);
  try {
    return await runInteractiveWith(runInteractive, scenarioArg, options, share);
  } finally {
    await share?.close({ lines: ["the responder left"], exitCode: 0 });
  }
}

/**
 * The join lines are shown once, on the normal screen, before the TUI takes it over: the responder
 * sends them to the other roles, then presses Enter.
 */
async function shareBeforeTui(options: RunOptions) {
  if (!options.share) return undefined;
  const { startSharing } = await import("../share-run.js");
  // Notices come while the TUI owns the screen: the header shows who is connected instead.
  const share = await startSharing(options, () => undefined);
  if (!share) return undefined;
  const { createInterface } = await import("node:readline");
  process.stdout.write(
    `This drill is shared. Send each role its line (the tokens are shown only now):\n\n${share
      .joinLines()
      .map((line) => `  ${line}\n`)
      .join("")}\nPress Enter to open the drill.`,
  );
  const rl = createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => rl.once("line", () => resolve()));
  rl.close();
  return share;
}

async function runInteractiveWith(
  runInteractive: typeof import("../../tui/interactive.js").runInteractive,
  scenarioArg: string,
  options: RunOptions,
  share: Awaited<ReturnType<typeof shareBeforeTui>>,
): Promise<number> {
  return runInteractive({
    share,
    scenario: scenarioArg,
    cwd: process.cwd(),
    bundledRoot: bundledRoot(),
    plan: (workspace, scenario, mode, responder) =>
      planFor(workspace, scenario, { ...options, mode, responder }),
    defaultResponder: options.responder ?? lastResponder(process.cwd()) ?? defaultResponder(),
    rememberResponder: (name) => rememberResponder(process.cwd(), name),
    journalDir: options.journalDir,
    mode: options.mode,
    facilitator: options.facilitator === true,
  });
}
