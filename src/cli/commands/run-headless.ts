import { debriefLines, eventLine } from "../../drill/describe.js";
import { runAuto, runScript } from "../../drill/drivers.js";
import type { TimedEvent } from "../../drill/events.js";
import { checkBeforeDrill, type DrillPlan, launchDrill } from "../../drill/launch.js";
import { secretRedactor } from "../../drill/redact.js";
import { loadScript, type ResponderScript } from "../../drill/script.js";
import type { DrillSession } from "../../drill/session.js";
import { messageOf } from "../../model/message.js";
import { formatProblem } from "../../model/problem.js";
import { EXIT_FINDING, EXIT_OK, EXIT_USAGE, UsageError } from "../exit.js";
import { type RunOptions, resolvePlan } from "../plan.js";

/** `run --auto` / `run --script`: the drill engine without a terminal. Loaded only for those. */
export async function runHeadlessCommand(
  scenarioArg: string,
  options: RunOptions,
): Promise<number> {
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
  // Every line leaves redacted: events, `--json` lines, preflight details, errors.
  const redact = secretRedactor();
  const out = (line: string) => {
    if (reading) process.stdout.write(`${redact(line)}\n`);
  };
  const err = (line: string) =>
    process.stderr.write(`${redact(line)}
`);
  const launched = launchDrill(plan);
  const { drillId, session, scheduler } = launched;

  const safety = await checkBeforeDrill(plan, drillId, launched);
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
    throw new UsageError(`cannot start the drill: ${messageOf(error)}`);
  }
  const log = (line: string) => (options.json ? undefined : err(line));
  const driver = script
    ? runScript(session, scheduler, script, { log })
    : runAuto(session, scheduler, { log });
  driver.catch((error: unknown) => {
    void session.shutdown(`driver failed: ${messageOf(error)}`);
  });
  const state = await session.finished;
  stop();
  const afterward = (await driver.catch(() => undefined))?.afterward ?? null;

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
        ...(afterward ? { afterward } : {}),
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
  // --auto leaves staging as it found it, or says what it could not put back (a finding).
  for (const finding of afterward?.findings ?? []) err(`firedrill: finding: ${finding}`);
  return result?.withinTarget && afterward?.ok !== false ? EXIT_OK : EXIT_FINDING;
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
    err(`firedrill: internal error: ${messageOf(error)}`);
    void session.shutdown(`internal error: ${messageOf(error)}`);
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
