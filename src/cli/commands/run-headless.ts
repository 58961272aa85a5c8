import { runAuto, runScript } from "../../drill/drivers.js";
import { debriefLines, eventLine, notesLines } from "../../drill/event-text.js";
import { actorOf, type TimedEvent } from "../../drill/events.js";
import type { DrillPlan } from "../../drill/launch.js";
import { startDrill } from "../../drill/lifecycle.js";
import { closingLines, exitCodeOf, pushLine, stopReason } from "../../drill/outcome.js";
import { secretRedactor } from "../../drill/redact.js";
import { loadScript, type ResponderScript } from "../../drill/script.js";
import type { DrillSession } from "../../drill/session.js";
import { messageOf } from "../../model/message.js";
import { formatProblem } from "../../model/problem.js";
import type { ShareServer } from "../../share/share-server.js";
import { EXIT_FINDING, EXIT_OK, UsageError } from "../exit.js";
import { type RunOptions, resolvePlan } from "../plan.js";
import { startSharing } from "../share-run.js";

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
  // Served before the drill starts, so the join lines are printed before anything happens.
  const share = await startSharing(options, (text) =>
    process.stderr.write(`firedrill: share: ${text}\n`),
  );
  try {
    return await runHeadless(plan, options, script, share);
  } finally {
    // The drill's own outcome was sent when it came; this waits for it to reach every client.
    await share?.close({ lines: ["the drill ended"], exitCode: 0 });
  }
}

async function runHeadless(
  plan: DrillPlan,
  options: RunOptions,
  script: ResponderScript | undefined,
  share: ShareServer | undefined,
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
  const err = (line: string) => process.stderr.write(`${redact(line)}\n`);

  for (const line of share?.joinLines() ?? []) err(`firedrill: join: ${line}`);
  const started = await startDrill(plan, {
    onStop: (stop) =>
      err(
        stop.kind === "signal"
          ? `firedrill: ${stop.signal}: ending the drill and reverting every fault`
          : `firedrill: ${stopReason(stop)}: ending the drill and reverting every fault`,
      ),
    beforeStart: (session, safety) => {
      if (!options.json) {
        out(
          `${plan.scenario.title} (${plan.scenario.id}), ${plan.mode}, responder ${plan.responder}`,
        );
        for (const check of safety.checks) out(`  ✓ ${check.name}: ${check.detail}`);
      }
      printEvents(session, options.json === true, out);
      share?.attach(session);
    },
  });
  if (share) {
    const closing = started.ok ? started.run.outcome : Promise.resolve(started.outcome);
    void closing.then((outcome) =>
      share.close({ lines: closingLines(outcome), exitCode: exitCodeOf(outcome) }),
    );
  }
  for (const warning of started.safety?.warnings ?? []) err(`firedrill: warning: ${warning}`);
  if (!started.ok) {
    const { outcome, safety } = started;
    if (outcome.kind === "refused" && outcome.stage === "preflight") {
      if (options.json)
        out(JSON.stringify({ type: "preflight", ok: false, checks: safety?.checks }));
      err("firedrill: preflight refused the drill; nothing was applied:");
      for (const reason of outcome.reasons) err(`  ✗ ${reason}`);
    } else {
      for (const line of closingLines(outcome)) err(`firedrill: ${line}`);
    }
    return exitCodeOf(outcome);
  }

  const { run } = started;
  const { drillId, session, scheduler } = run;
  const log = (line: string) => (options.json ? undefined : err(line));
  const driver = script
    ? runScript(session, scheduler, script, { log })
    : runAuto(session, scheduler, { log });
  driver.catch((error: unknown) => {
    void run.stop({ kind: "internal", error: `the responder driver failed: ${messageOf(error)}` });
  });
  const outcome = await run.outcome;
  const afterward = (await driver.catch(() => undefined))?.afterward ?? null;
  if (outcome.kind !== "ended") return exitCodeOf(outcome);
  // --auto leaves staging as it found it; what it could not put back is a finding.
  const code =
    exitCodeOf(outcome) === EXIT_OK && afterward?.ok === false ? EXIT_FINDING : exitCodeOf(outcome);

  const result = outcome.result;
  if (options.json) {
    out(
      JSON.stringify({
        type: "summary",
        drillId,
        scenario: plan.scenario.id,
        mode: plan.mode,
        journal: outcome.journalPath,
        targets: plan.scenario.targets,
        ...result,
        reverted: outcome.revert.reverted.length,
        notReverted: outcome.revert.failed,
        exitCode: code,
        ...(outcome.stop ? { stoppedBy: stopReason(outcome.stop) } : {}),
        ...(afterward ? { afterward } : {}),
        ...(outcome.push ? { push: outcome.push } : {}),
      }),
    );
  } else {
    out("");
    if (result) for (const line of debriefLines(result, plan.scenario.targets)) out(line);
    for (const line of notesLines(session.getState().notes)) out(line);
    out(`journal: ${outcome.journalPath ?? "(none)"}`);
  }
  // A normal ending is said above; a stop or a fault left applied is said where it is seen.
  if (outcome.stop || outcome.revert.failed.length > 0) {
    for (const line of closingLines(outcome)) err(`firedrill: ${line}`);
  } else {
    const pushed = pushLine(outcome);
    if (pushed) err(`firedrill: ${pushed}`);
  }
  for (const finding of afterward?.findings ?? []) err(`firedrill: finding: ${finding}`);
  return code;
}

/** Plain mode prints a probe only when its verdict changes; JSON mode prints every event. */
function printEvents(session: DrillSession, json: boolean, out: (line: string) => void): void {
  const verdicts = new Map<string, boolean>();
  session.onEvent((timed: TimedEvent) => {
    if (json) {
      const actor = actorOf(timed);
      out(JSON.stringify({ type: "event", t: Math.round(timed.t), event: timed.event, actor }));
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
