import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import type { Command } from "commander";
import {
  type DemoMonitoring,
  type DemoShop,
  monitoringEnv,
  monitorShop,
  progressLine,
  readyLine,
  startDemoShop,
} from "../../demo/index.js";
import { eventLine } from "../../drill/event-text.js";
import type { TimedEvent } from "../../drill/events.js";
import { defaultJournalDir } from "../../drill/journal.js";
import type { DrillResult } from "../../drill/state.js";
import { loadCatalog } from "../../model/catalog.js";
import { formatDuration } from "../../model/duration.js";
import { loadConfig } from "../../model/load.js";
import { isMonitoringSignal, type Scenario } from "../../model/scenario.js";
import { colorAllowed, paint } from "../../platform/colour.js";
import { renderTable } from "../../platform/text-table.js";
import { isInteractive } from "../../tui/terminal.js";
import { bundledRoot } from "../bundled-root.js";
import { EXIT_FINDING, ExitWith, UsageError } from "../exit.js";
import { planFor } from "../plan.js";
import { defaultResponder, lastResponder, rememberResponder } from "../responder.js";

interface DemoOptions {
  headless?: boolean;
  json?: boolean;
  scenario?: string[];
  journalDir?: string;
  verbose?: boolean;
  facilitator?: boolean;
}

/** What one `firedrill run --json` child reported, or why it reported nothing. */
interface DrillReport {
  scenario: Scenario;
  exitCode: number | null;
  result?: DrillResult;
  journal?: string;
  error?: string;
}

export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description(
      "Start the local demo shop and drill the sample scenarios against it (TUI, gameday)",
    )
    .option("--headless", "no TUI: run each sample scenario in gameday with --auto, in sequence")
    .option("--scenario <id...>", "only these sample scenarios (default: every gameday sample)")
    .option("--json", "print JSON Lines: one object per drill, then a summary")
    .option(
      "--journal-dir <dir>",
      `where journals go (default: config journalDir, ${defaultJournalDir})`,
    )
    .option("--verbose", "also print the demo services' own log lines (stderr)")
    .option(
      "--facilitator",
      "TUI: this terminal is the facilitator's too: show what is injected, where and when",
    )
    .addHelpText(
      "after",
      `
The demo shop is real processes on loopback ports chosen by the OS: checkout, a database
primary and replica, a cache and a payment provider, with checkout reaching db, cache and
payments through three fault proxies. See docs/demo.md.

In a terminal, opens the scenario picker in gameday mode against the shop; the shop is reset
before each drill and stopped when you leave. Without a terminal (or with CI set, or --json) it
runs the headless demo instead.

Exit codes: 0 every drill recovered within its TTR target, 1 one did not, 2 bad input.
Interactive: as \`firedrill run\` (130 after Ctrl-C).

Examples:
  $ firedrill demo
  $ firedrill demo --scenario checkout-db-latency
  $ firedrill demo --headless
  $ firedrill demo --headless --scenario checkout-db-latency
  $ firedrill demo --headless --json | jq 'select(.type == "drill") | {scenario, ttr: .timings.ttr}'`,
    )
    .action(async (options: DemoOptions) => {
      if (!options.headless && !options.json) {
        if (isInteractive()) {
          const code = await runInteractiveDemo(options);
          if (code !== 0) throw new ExitWith(code);
          return;
        }
        process.stderr.write(
          "firedrill demo: no terminal here (stdin or stdout not a TTY, or CI set), so running the headless demo (firedrill demo --headless)\n",
        );
      }
      const ok = await runHeadlessDemo(options);
      if (!ok) throw new ExitWith(EXIT_FINDING);
    });
}

/**
 * Samples whose signals come from monitoring (alertmanager:, prometheus:) need the demo's own
 * Prometheus and Alertmanager; without them such a drill could only be refused by its preflight.
 */
function runnableWithout(monitoring: DemoMonitoring | null) {
  return (scenario: Scenario) =>
    !scenario.signals.some(isMonitoringSignal) ||
    (monitoring !== null && monitoring.alertmanagerUrl !== "");
}

/** The gameday-capable sample scenarios shipped with firedrill, in file order. */
async function sampleScenarios(only: readonly string[] | undefined): Promise<Scenario[]> {
  const catalog = await loadCatalog([bundledRoot()]);
  const samples = catalog.scenarios
    .map((entry) => entry.value)
    .filter((scenario) => scenario.modes.includes("gameday"));
  if (!only || only.length === 0) return samples;
  const ids = samples.map((scenario) => scenario.id);
  const unknown = only.filter((id) => !ids.includes(id));
  if (unknown.length > 0) {
    throw new UsageError(
      `no sample scenario ${unknown.map((id) => `"${id}"`).join(", ")}; the samples are ${ids.join(", ")}`,
    );
  }
  return samples.filter((scenario) => only.includes(scenario.id));
}

async function journalDirFor(options: DemoOptions): Promise<string> {
  if (options.journalDir) return resolve(options.journalDir);
  const config = await loadConfig(join(process.cwd(), "firedrill.config.yaml"));
  return resolve(config.ok ? config.loaded.value.journalDir : defaultJournalDir);
}

/**
 * Runs one drill as `firedrill run <id> --mode gameday --auto --json`, the same path a user takes,
 * and collects its summary. The child gets the shop's FIREDRILL_* ports and TOXIPROXY_URL, and
 * the monitoring's URLs, in `env`.
 */
function runDrill(
  scenario: Scenario,
  shop: DemoShop,
  env: NodeJS.ProcessEnv,
  workDir: string,
  journalDir: string,
  onEvent: (timed: TimedEvent) => void,
  onStderr: (line: string) => void,
): { done: Promise<DrillReport>; interrupt(): void } {
  const cli = process.argv[1]!;
  const child = spawn(
    process.execPath,
    [
      cli,
      "run",
      scenario.id,
      "--mode",
      "gameday",
      "--auto",
      "--json",
      "--journal-dir",
      journalDir,
      "--url",
      shop.toxiproxyUrl,
    ],
    // A scratch working directory: the drill sees only the bundled samples, and its ledger
    // (which dies with the shop anyway) stays out of the user's tree.
    { cwd: workDir, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  const report: DrillReport = { scenario, exitCode: null };
  createInterface({ input: child.stdout }).on("line", (line) => {
    let parsed: {
      type?: string;
      t?: number;
      event?: TimedEvent["event"];
    } & Partial<DrillResult> & {
        journal?: string;
      };
    try {
      parsed = JSON.parse(line);
    } catch {
      return;
    }
    if (parsed.type === "event" && parsed.event) onEvent({ t: parsed.t ?? 0, event: parsed.event });
    if (parsed.type === "summary" && parsed.outcome) {
      const { type: _summary, ...result } = parsed;
      report.result = result as DrillResult;
      report.journal = parsed.journal;
    }
  });
  const stderr: string[] = [];
  createInterface({ input: child.stderr }).on("line", (line) => {
    stderr.push(line);
    onStderr(line);
  });
  // The drill enforces the scenario's own maxDuration; this only catches a wedged child.
  const limit = setTimeout(() => child.kill("SIGTERM"), scenario.safety.maxDuration + 60_000);
  const done = new Promise<DrillReport>((resolveDone) => {
    child.once("error", (error) => {
      report.error = error.message;
    });
    child.once("close", (code) => {
      clearTimeout(limit);
      report.exitCode = code;
      if (!report.result) report.error ??= stderr.at(-1) ?? `firedrill run exited ${code}`;
      resolveDone(report);
    });
  });
  return { done, interrupt: () => child.kill("SIGINT") };
}

function cells(report: DrillReport, color: boolean): string[] {
  const { scenario, result } = report;
  if (!result) {
    return [
      scenario.id,
      paint("error", "red", color),
      "—",
      "—",
      "—",
      formatDuration(scenario.targets.ttr),
      "—",
    ];
  }
  const outcome = result.withinTarget ? "recovered" : result.outcome;
  return [
    scenario.id,
    paint(outcome, result.withinTarget ? "green" : "red", color),
    formatDuration(result.timings.ttd),
    formatDuration(result.timings.ttm),
    formatDuration(result.timings.ttr),
    formatDuration(scenario.targets.ttr),
    `${result.score} ${result.grade}`,
  ];
}

/** Starts the shop, drills each sample in turn, prints the table, stops the shop. True: all recovered in time. */
async function runHeadlessDemo(options: DemoOptions): Promise<boolean> {
  const json = options.json === true;
  const color = !json && colorAllowed();
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const err = (line: string) => process.stderr.write(`${line}\n`);
  const samples = await sampleScenarios(options.scenario);
  const journalDir = await journalDirFor(options);

  const started = performance.now();
  const shop = await startDemoShop({
    log: options.verbose ? (line) => err(`shop: ${line}`) : undefined,
  });
  const readyMs = performance.now() - started;
  const workDir = await mkdtemp(join(tmpdir(), "firedrill-demo-"));
  if (json) {
    out(
      JSON.stringify({
        type: "shop",
        readyMs: Math.round(readyMs),
        checkoutUrl: shop.checkoutUrl,
        toxiproxyUrl: shop.toxiproxyUrl,
        env: shop.env,
      }),
    );
  } else {
    out(
      `demo shop ready in ${formatDuration(readyMs)}: checkout ${shop.checkoutUrl}, fault proxy ${shop.toxiproxyUrl}`,
    );
  }
  const monitoring = await monitorShop(shop, demoPrometheusDir(), json ? err : out);
  const env = { ...process.env, ...shop.env, ...monitoringEnv(monitoring) };
  const scenarios = samples.filter(runnableWithout(monitoring));
  const left = samples.filter((s) => !scenarios.includes(s)).map((s) => s.id);
  if (left.length > 0)
    (json ? err : out)(`monitoring: without Alertmanager the demo leaves out ${left.join(", ")}`);

  // Ctrl-C reaches the drill child too (same process group); it reverts and reports, then we stop.
  let interrupted = false;
  let current: { interrupt(): void } | undefined;
  const onSignal = () => {
    interrupted = true;
    current?.interrupt();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const reports: DrillReport[] = [];
  try {
    for (const scenario of scenarios) {
      if (interrupted) break;
      if (!json) out(`\n▶ ${scenario.id}: ${scenario.title}`);
      if (reports.length > 0) {
        // --auto rolls its own mitigation back, but a sample whose procedure has no rollback
        // step (or one that failed) would still hide this drill's fault.
        await shop.reset().catch((error: unknown) => {
          err(
            `  warning: could not reset the shop: ${error instanceof Error ? error.message : error}`,
          );
        });
      }
      const verdicts = new Map<string, boolean>();
      const drill = runDrill(
        scenario,
        shop,
        env,
        workDir,
        journalDir,
        (timed) => {
          if (json) return;
          const { event } = timed;
          if (event.type === "probe.result") {
            if (verdicts.get(event.probe) === event.ok) return;
            verdicts.set(event.probe, event.ok);
          }
          out(`  ${eventLine(timed)}`);
        },
        (line) => err(`  ${line}`),
      );
      current = drill;
      const report = await drill.done;
      current = undefined;
      reports.push(report);
      if (json) {
        out(
          JSON.stringify({
            ...report.result,
            type: "drill",
            scenario: scenario.id,
            exitCode: report.exitCode,
            journal: report.journal,
            error: report.error,
            targets: scenario.targets,
          }),
        );
      } else if (report.result) {
        const { result } = report;
        out(
          `  ${result.withinTarget ? "recovered within target" : result.outcome}: TTR ${formatDuration(result.timings.ttr)} (target ${formatDuration(scenario.targets.ttr)}), score ${result.score}/100 (${result.grade})`,
        );
      } else {
        out(`  drill failed: ${report.error}`);
      }
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await monitoring?.stop();
    await shop.stop();
    await rm(workDir, { recursive: true, force: true });
  }

  const ok =
    !interrupted &&
    reports.length === scenarios.length &&
    reports.every((report) => report.result?.withinTarget === true);
  const notRun = scenarios.slice(reports.length).map((s) => s.id);
  if (json) {
    out(
      JSON.stringify({
        type: "summary",
        ok,
        drills: reports.length,
        recovered: reports.filter((r) => r.result?.withinTarget).length,
        notRun,
        journalDir,
      }),
    );
    return ok;
  }
  out("");
  out(
    renderTable(
      ["SCENARIO", "OUTCOME", "TTD", "TTM", "TTR", "TARGET", "SCORE"],
      reports.map((report) => cells(report, color)),
      { color, right: [2, 3, 4, 5, 6] },
    ),
  );
  if (notRun.length > 0) out(`not run (interrupted): ${notRun.join(", ")}`);
  const recovered = reports.filter((r) => r.result?.withinTarget).length;
  out(
    `\n${recovered}/${scenarios.length} drills recovered within target; journals in ${journalDir}`,
  );
  return ok;
}

/** The shipped Prometheus, rules and Alertmanager config of the demo shop. */
function demoPrometheusDir(): string {
  return join(bundledRoot(), "demo", "prometheus");
}

/** Whether something still accepts connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolveListening) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolveListening(true);
    });
    socket.once("error", () => resolveListening(false));
  });
}

/** Stops the shop and says what is left: nothing, or the ports still answering. */
async function stopShop(shop: DemoShop, out: (line: string) => void): Promise<void> {
  const started = performance.now();
  await shop.stop();
  const left = (
    await Promise.all(shop.ports.map(async (port) => ((await listening(port)) ? port : 0)))
  ).filter((port) => port !== 0);
  const ms = Math.round(performance.now() - started);
  out(
    left.length === 0
      ? `demo shop stopped in ${ms} ms: ${shop.services.length} processes ended, fault proxy closed, nothing listens on its ${shop.ports.length} ports`
      : `demo shop stopped in ${ms} ms, but these ports still answer: ${left.join(", ")}`,
  );
}

/**
 * The interactive demo (what \`npm start\` runs): the shop, then the TUI's picker in gameday mode
 * against it. The shop is reset before every drill is planned (its preflight and its start), so the
 * previous drill's mitigation cannot hide the next fault; it is stopped however the TUI ends.
 */
async function runInteractiveDemo(options: DemoOptions): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const only = options.scenario ?? [];
  if (only.length > 1) {
    throw new UsageError(
      "with the TUI, --scenario takes one id (its briefing opens); or use --headless",
    );
  }
  const [scenario] = only.length === 1 ? await sampleScenarios(only) : [];
  const journalDir = await journalDirFor(options);

  // Ctrl-C while the shop starts (the terminal is not raw yet) or while the TUI loads: remember
  // it, finish starting, then stop everything. Once the TUI runs, it handles the signals itself.
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("SIGHUP", onSignal);
  out("firedrill demo · starting the demo shop on 127.0.0.1 (fault proxy and 5 services)");
  const started = performance.now();
  let shop: DemoShop | undefined;
  let monitoring: DemoMonitoring | null = null;
  let workDir: string | undefined;
  try {
    try {
      shop = await startDemoShop({
        onProgress: (step) => out(progressLine(step)),
        log: options.verbose ? (line) => process.stderr.write(`shop: ${line}\n`) : undefined,
      });
    } catch (error) {
      // Ctrl-C reaches the services too (same process group); the launcher stopped the rest.
      if (interrupted) {
        out(
          "firedrill demo: interrupted while the shop started; every process it started is stopped",
        );
        return 130;
      }
      throw new Error(
        `the demo shop could not start: ${error instanceof Error ? error.message : error}`,
      );
    }
    if (interrupted) return 130;
    out(readyLine(performance.now() - started));
    monitoring = await monitorShop(shop, demoPrometheusDir(), out);
    // A scratch working directory, as the headless demo: the picker shows the samples only and
    // the drills' ledgers stay out of the user's tree. Journals go where history reads them.
    workDir = await mkdtemp(join(tmpdir(), "firedrill-demo-"));
    const cwd = workDir;
    const running = shop;
    // The shop's ports reach the samples and the drills' commands through this, not process.env.
    const env = { ...process.env, ...shop.env, ...monitoringEnv(monitoring) };
    const { runInteractive } = await import("../../tui/interactive.js");
    const code = await runInteractive({
      scenario: scenario?.id,
      cwd,
      bundledRoot: bundledRoot(),
      plan: async (workspace, id, mode, responder) => {
        await running.reset().catch((error: unknown) => {
          throw new Error(
            `the demo shop could not be reset: ${error instanceof Error ? error.message : error}`,
          );
        });
        const plan = await planFor(
          workspace,
          id,
          { mode, responder, journalDir, url: running.toxiproxyUrl },
          cwd,
        );
        return { ...plan, env };
      },
      defaultResponder: lastResponder(process.cwd()) ?? defaultResponder(),
      rememberResponder: (name) => rememberResponder(process.cwd(), name),
      journalDir,
      mode: "gameday",
      facilitator: options.facilitator === true,
      env,
    });
    return interrupted && code === 0 ? 130 : code;
  } finally {
    await monitoring?.stop();
    if (shop) await stopShop(shop, out);
    if (workDir) await rm(workDir, { recursive: true, force: true });
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    process.off("SIGHUP", onSignal);
  }
}
