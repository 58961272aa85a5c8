import { existsSync } from "node:fs";
import { type Command, Option } from "commander";
import { debriefLines, eventLine } from "../../drill/describe.js";
import { runAuto, runScript } from "../../drill/drivers.js";
import type { TimedEvent } from "../../drill/events.js";
import { defaultJournalDir } from "../../drill/journal.js";
import { checkBeforeDrill, type DrillPlan, launchDrill } from "../../drill/launch.js";
import { loadScript, type ResponderScript } from "../../drill/script.js";
import type { DrillSession } from "../../drill/session.js";
import { loadCatalog, resolveScenario, suggestScenario } from "../../model/catalog.js";
import { formatProblem, type Problem } from "../../model/problem.js";
import { MODES, type Mode } from "../../model/scenario.js";
import { openWorkspace } from "../../model/workspace.js";
import { EXIT_FINDING, EXIT_OK, EXIT_USAGE, ExitWith, UsageError } from "../exit.js";
import { isInteractive } from "../terminal.js";
import { VERSION } from "../version.js";
import { bundledRoot } from "./list.js";

export interface RunOptions {
  mode?: Mode;
  auto?: boolean;
  script?: string;
  json?: boolean;
  responder?: string;
  journalDir?: string;
  url?: string;
  /** The scenario id, typed back: production-looking hosts are a deliberate, named choice. */
  allowProduction?: string;
}

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
    .option("--responder <name>", "who is responding (default: $USER)")
    .option(
      "--journal-dir <dir>",
      `where journals go (default: config journalDir, ${defaultJournalDir})`,
    )
    .option(
      "--url <url>",
      "Toxiproxy API for gameday (default: $TOXIPROXY_URL or config toxiproxyUrl)",
    )
    .option(
      "--allow-production <scenario-id>",
      "let hosts that look like production through the allow-list; type the scenario id back to confirm",
    )
    .addHelpText(
      "after",
      `
Exit codes: 0 recovered within the TTR target, 1 not (slow, aborted, timed out, safety stop),
2 bad input or a refused preflight (nothing was applied).

Examples:
  $ firedrill run checkout-db-latency                          interactive (needs a terminal)
  $ firedrill run checkout-db-latency --mode tabletop --auto   walk the runbook, no faults
  $ firedrill run checkout-db-latency --mode gameday --auto --url http://127.0.0.1:8474
  $ firedrill run scenarios/checkout-db-latency.yaml --script answers.yaml --json | jq .type`,
    )
    .action(async (scenario: string, options: RunOptions) => {
      const code = await runCommand(scenario, options);
      if (code !== EXIT_OK) throw new ExitWith(code);
    });
}

/**
 * Loads the workspace, the scenario (by id, or by path even outside the configured directories)
 * and its runbook, and turns the options into a drill plan. Throws UsageError on bad input.
 * Shared with the TUI's start path so both run the same drill.
 */
export async function resolvePlan(
  scenarioArg: string,
  options: RunOptions,
  cwd = process.cwd(),
): Promise<DrillPlan> {
  const workspace = await openWorkspace({ cwd, paths: [], bundledRoot: bundledRoot() });
  let catalog = workspace.catalog;
  let resolved = resolveScenario(catalog, scenarioArg);
  if (!resolved && existsSync(scenarioArg)) {
    catalog = await loadCatalog([scenarioArg, ...workspace.paths]);
    resolved = resolveScenario(catalog, scenarioArg);
  }
  if (!resolved) {
    const own = catalog.problems.filter((p) => p.file === scenarioArg);
    if (own.length > 0) throw new UsageError(problemsText(own));
    throw new UsageError(
      `no scenario "${scenarioArg}"${suggestScenario(catalog, scenarioArg)}; \`firedrill list\` shows them`,
    );
  }
  const { scenario, runbook, procedure } = resolved;
  const problems = catalog.problems.filter(
    (p) => p.severity === "error" && (p.file === scenario.file || p.file === runbook?.file),
  );
  if (problems.length > 0) throw new UsageError(problemsText(problems));
  const value = scenario.value;
  const mode: Mode = options.mode ?? (value.modes.includes("tabletop") ? "tabletop" : "gameday");
  if (!value.modes.includes(mode)) {
    throw new UsageError(
      `scenario ${value.id} does not allow --mode ${mode}; its modes are ${value.modes.join(", ")}`,
    );
  }
  if (options.allowProduction !== undefined && options.allowProduction !== value.id) {
    throw new UsageError(
      `--allow-production must be followed by the scenario id to confirm: --allow-production ${value.id}`,
    );
  }
  const config = workspace.config;
  return {
    scenario: value,
    ...(runbook ? { runbook: runbook.value } : {}),
    file: scenario.file,
    ...(procedure ? { expectedProcedure: procedure.id } : {}),
    mode,
    responder: options.responder ?? process.env.USER ?? process.env.USERNAME ?? "responder",
    journalDir: options.journalDir ?? config.journalDir ?? defaultJournalDir,
    toxiproxyUrl: options.url ?? process.env.TOXIPROXY_URL ?? config.toxiproxyUrl,
    allowHosts: config.allowHosts,
    productionPatterns: config.productionPatterns,
    allowProduction: options.allowProduction === value.id,
    cwd,
    firedrillVersion: VERSION,
  };
}

function problemsText(problems: readonly Problem[]): string {
  return `the scenario cannot run:\n${problems.map((p) => `  ${formatProblem(p)}`).join("\n")}`;
}

async function runCommand(scenarioArg: string, options: RunOptions): Promise<number> {
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
  let script: ResponderScript | undefined;
  if (options.script) {
    const loaded = await loadScript(options.script);
    if (!loaded.ok) {
      throw new UsageError(
        `bad script:\n${loaded.problems.map((p) => `  ${formatProblem(p)}`).join("\n")}`,
      );
    }
    script = loaded.script;
  }
  const plan = await resolvePlan(scenarioArg, {
    ...options,
    ...(script?.responder && !options.responder ? { responder: script.responder } : {}),
  });
  if (options.auto && plan.runbook === undefined) {
    throw new UsageError(`--auto needs a runbook for service ${plan.scenario.service}`);
  }
  return runHeadless(plan, options, script);
}

/**
 * The interactive path: the TUI (loaded lazily, so headless runs never load ink) drives the same
 * session, built from the same plan as the headless run.
 */
async function openInteractive(scenarioArg: string, options: RunOptions): Promise<number> {
  const { runInteractive } = await import("../../tui/interactive.js");
  return runInteractive({
    scenario: scenarioArg,
    cwd: process.cwd(),
    bundledRoot: bundledRoot(),
    plan: (scenario, mode, responder) => resolvePlan(scenario, { ...options, mode, responder }),
    defaultResponder: options.responder ?? process.env.USER ?? process.env.USERNAME ?? "responder",
    journalDir: options.journalDir,
    mode: options.mode,
  });
}

async function runHeadless(
  plan: DrillPlan,
  options: RunOptions,
  script: ResponderScript | undefined,
): Promise<number> {
  // A reader that goes away (`| head`) must not stop the drill half-way: stop printing, carry on.
  let reading = true;
  process.stdout.on("error", () => {
    reading = false;
  });
  const out = (line: string) => {
    if (reading) process.stdout.write(`${line}\n`);
  };
  const err = (line: string) => process.stderr.write(`${line}\n`);
  const { drillId, session, scheduler } = launchDrill(plan);

  const safety = await checkBeforeDrill(plan, drillId);
  for (const warning of safety.warnings) err(`firedrill: warning: ${warning}`);
  if (!safety.ok) {
    const failed = safety.checks.filter((c) => !c.ok && !c.skipped);
    if (options.json) out(JSON.stringify({ type: "preflight", ok: false, checks: safety.checks }));
    err("firedrill: preflight refused the drill; nothing was applied:");
    for (const check of failed) err(`  ✗ ${check.name}: ${check.detail}`);
    await session.shutdown("preflight refused");
    return EXIT_USAGE;
  }

  if (!options.json) {
    out(`${plan.scenario.title} (${plan.scenario.id}), ${plan.mode}, responder ${plan.responder}`);
    for (const check of safety.checks) out(`  ✓ ${check.name}: ${check.detail}`);
  }
  printEvents(session, options.json === true, out);
  const stop = installStopHandlers(session, err);
  try {
    await session.start();
  } catch (error) {
    stop();
    await session.shutdown("could not start");
    throw new UsageError(
      `cannot start the drill: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const log = (line: string) => (options.json ? undefined : err(line));
  const driver = script
    ? runScript(session, scheduler, script, { log })
    : runAuto(session, scheduler, { log });
  driver.catch((error: unknown) => {
    void session.shutdown(
      `driver failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  });
  const state = await session.finished;
  stop();
  await driver.catch(() => undefined);

  const snapshot = session.getSnapshot();
  const result = state.result;
  const notReverted = snapshot.revert?.failed ?? [];
  if (options.json) {
    out(
      JSON.stringify({
        type: "summary",
        drillId,
        scenario: plan.scenario.id,
        mode: plan.mode,
        journal: snapshot.journalPath,
        targets: plan.scenario.targets,
        ...result,
        reverted: snapshot.revert?.reverted.length ?? 0,
        notReverted,
      }),
    );
  } else {
    out("");
    if (result) for (const line of debriefLines(result, plan.scenario.targets)) out(line);
    out(`journal: ${snapshot.journalPath ?? "(none)"}`);
  }
  for (const failure of notReverted) {
    err(`firedrill: NOT reverted: ${failure.label}: ${failure.error}; run \`firedrill cleanup\``);
  }
  return result?.withinTarget ? EXIT_OK : EXIT_FINDING;
}

/** Plain mode prints a probe only when its verdict changes; JSON mode prints every event. */
function printEvents(session: DrillSession, json: boolean, out: (line: string) => void): void {
  const verdicts = new Map<string, boolean>();
  session.onEvent((timed: TimedEvent) => {
    if (json) {
      out(JSON.stringify({ type: "event", t: Math.round(timed.t), event: timed.event }));
      return;
    }
    const { event } = timed;
    if (event.type === "probe.result") {
      if (verdicts.get(event.probe) === event.ok) return;
      verdicts.set(event.probe, event.ok);
    }
    out(eventLine(timed));
  });
}

/**
 * SIGINT, SIGTERM, SIGHUP and anything thrown that nobody caught end the drill the same way: every
 * fault reverted, the summary journaled. Returns the function that removes the handlers.
 */
function installStopHandlers(session: DrillSession, err: (line: string) => void): () => void {
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  const onSignal = (signal: NodeJS.Signals) => {
    err(`firedrill: ${signal}: ending the drill and reverting every fault`);
    void session.shutdown(`interrupted (${signal})`);
  };
  const onError = (error: unknown) => {
    err(`firedrill: internal error: ${error instanceof Error ? error.message : String(error)}`);
    void session.shutdown(
      `internal error: ${error instanceof Error ? error.message : String(error)}`,
    );
  };
  for (const signal of signals) process.on(signal, onSignal);
  process.on("uncaughtException", onError);
  process.on("unhandledRejection", onError);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
    process.off("uncaughtException", onError);
    process.off("unhandledRejection", onError);
  };
}
