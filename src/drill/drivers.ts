import { runProbe } from "../probes/index.js";
import type { ProbeRunner } from "../probes/probe-types.js";
import type { Scheduler } from "./clock.js";
import { type CommandRunner, runResponderCommand } from "./command-spec.js";
import { monitoringDetects } from "./detection.js";
import type { DrillEvent, TimedEvent } from "./events.js";
import type { ResponderScript, ScriptAction } from "./script.js";
import type { ActionResult, DrillSession, ResponderAction } from "./session.js";
import type { DrillState } from "./state.js";

/** Waits on a session's clock; every wait gives up (resolves false/null) once the drill ended. */
class Waits {
  constructor(
    private readonly session: DrillSession,
    private readonly scheduler: Scheduler,
  ) {}

  get ended(): boolean {
    return this.session.getState().ended;
  }

  /** Resolves true after `ms`, false when the drill ended first. */
  sleep(ms: number): Promise<boolean> {
    if (this.ended) return Promise.resolve(false);
    return new Promise((resolve) => {
      const handle = this.scheduler.setTimeout(() => {
        stop();
        resolve(!this.ended);
      }, ms);
      const stop = this.session.subscribe((s) => {
        if (!s.drill.ended) return;
        stop();
        this.scheduler.clear(handle);
        resolve(false);
      });
    });
  }

  until(t: number): Promise<boolean> {
    return this.sleep(Math.max(0, t - this.session.now()));
  }

  /** The first event matching, already seen or yet to come; null when the drill ended first. */
  event(match: (event: DrillEvent, t: number) => boolean): Promise<TimedEvent | null> {
    const seen = this.session.getState().events.find((e) => match(e.event, e.t));
    if (seen) return Promise.resolve(seen);
    if (this.ended) return Promise.resolve(null);
    return new Promise((resolve) => {
      const offEvent = this.session.onEvent((timed) => {
        if (!match(timed.event, timed.t)) return;
        done();
        resolve(timed);
      });
      const offState = this.session.subscribe((s) => {
        if (!s.drill.ended) return;
        done();
        resolve(null);
      });
      const done = () => {
        offEvent();
        offState();
      };
    });
  }
}

export interface DriverOptions {
  /** Where and how rollback commands run after the drill (default: this process's). */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Runs rollback commands after the drill; default: the same runner as responder commands. */
  runCommand?: CommandRunner;
  /** Checks steady state after the rollback; default: the real probes. */
  runProbe?: ProbeRunner;
  /** Told about what the driver does and what was refused (the headless command prints it). */
  log?: (line: string) => void;
  /** How long a failing verify step is retried in --auto before giving up. Default 30 s. */
  verifyWindowMs?: number;
  /** Pause between verify retries. Default 1 s. */
  retryEveryMs?: number;
}

/**
 * `--auto`, a runbook verification: acknowledges when the first signal or failing probe after the
 * first fault is seen (as a person would; at the fault when there is neither), waits
 * until the incident shows (gameday: the recovery probe fails; otherwise the first alert or failing
 * probe), escalates at each rung's `after`, follows the expected procedure (runs each step's command, a zero exit
 * means done; optional and rollback steps are skipped), declares mitigation after the last action
 * step, then waits for recovery. A required step that fails aborts the drill. In tabletop mode
 * commands are not run: each step is marked done and its outcome revealed.
 */
export async function runAuto(
  session: DrillSession,
  scheduler: Scheduler,
  options: DriverOptions = {},
): Promise<AutoReport> {
  await followProcedure(session, scheduler, options);
  const state = await session.finished;
  if (state.setup.mode !== "gameday" || state.result?.outcome !== "recovered") {
    return { afterward: null };
  }
  return { afterward: await leaveAsFound(state, scheduler, options) };
}

/** What `--auto` did after a recovered gameday drill, once every fault was reverted. */
export interface Afterward {
  rollbacks: { step: string; ok: boolean; detail: string }[];
  steadyState: { probe: string; ok: boolean; detail: string }[];
  ok: boolean;
  /** Each failure in a sentence, for the output; empty when ok. */
  findings: string[];
}

export interface AutoReport {
  /** null unless a gameday drill recovered. */
  afterward: Afterward | null;
}

/**
 * The runbook's own way back: runs the expected procedure's rollback steps (with `run`) in order,
 * then checks steady state with every probe of the scenario (each retried every `retryEveryMs`
 * for up to `verifyWindowMs`), so the next drill finds staging as this one did.
 */
async function leaveAsFound(
  state: DrillState,
  scheduler: Scheduler,
  options: DriverOptions,
): Promise<Afterward> {
  const log = options.log ?? (() => {});
  const run = options.runCommand ?? runResponderCommand;
  const probe = options.runProbe ?? runProbe;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      scheduler.setTimeout(resolve, ms);
    });
  const { setup } = state;
  const procedure = setup.runbook?.procedures.find((p) => p.id === state.expectedProcedure);
  const findings: string[] = [];
  const rollbacks: Afterward["rollbacks"] = [];
  for (const step of procedure?.steps ?? []) {
    if (step.kind !== "rollback" || !step.run) continue;
    const outcome = await run(
      {
        command: step.run,
        shell: step.shell,
        timeoutMs: step.timeout,
        ...(options.cwd ? { cwd: options.cwd } : {}),
        ...(options.env ? { env: options.env } : {}),
      },
      () => {},
    );
    const ok = outcome.exitCode === 0;
    const detail = ok ? "exit 0" : (outcome.failure ?? `exit ${outcome.exitCode ?? "none"}`);
    rollbacks.push({ step: step.id, ok, detail });
    log(`auto: rollback ${step.id}: ${detail}`);
    if (!ok) findings.push(`rollback step ${step.id} failed (${detail})`);
  }
  const window = options.verifyWindowMs ?? 30_000;
  const every = options.retryEveryMs ?? 1000;
  const steadyState: Afterward["steadyState"] = [];
  for (const p of setup.scenario.probes) {
    let result = await probe(p);
    for (let waited = 0; !result.ok && waited + every <= window; waited += every) {
      await sleep(every);
      result = await probe(p);
    }
    steadyState.push({ probe: p.name, ok: result.ok, detail: result.detail });
    log(`auto: steady state ${p.name}: ${result.ok ? "ok" : `FAIL ${result.detail}`}`);
    if (!result.ok)
      findings.push(`steady state not restored: probe ${p.name} fails (${result.detail})`);
  }
  return { rollbacks, steadyState, ok: findings.length === 0, findings };
}

async function followProcedure(
  session: DrillSession,
  scheduler: Scheduler,
  options: DriverOptions,
): Promise<void> {
  const log = options.log ?? (() => {});
  const wait = new Waits(session, scheduler);
  const { setup } = session.getState();
  const expected = session.getState().expectedProcedure;
  const procedure = setup.runbook?.procedures.find((p) => p.id === expected);
  const act = async (action: ResponderAction): Promise<ActionResult> => {
    const result = await session.dispatch(action);
    if (!result.ok && !wait.ended) log(`auto: ${action.type} refused: ${result.error}`);
    return result;
  };

  const first = await wait.event(
    (e) =>
      e.type === "fault.applied" ||
      (e.type === "fault.failed" && session.getState().faults.every((f) => f.status === "failed")),
  );
  if (!first) return;
  if (first.event.type === "fault.failed") {
    await act({ type: "abort", reason: "--auto: no fault could be applied" });
    return;
  }
  // Acknowledge what a person would: the first signal or failing probe after the fault, not the
  // fault itself (which nobody sees). With neither to wait for, the fault is all there is.
  const { scenario } = setup;
  const probesRun = setup.mode === "gameday" && scenario.probes.length > 0;
  // With the team's monitoring watched, what pages is the real alert: wait for it, or for its
  // detection gap (then act on what else shows, as a person told by a customer would).
  const monitored = monitoringDetects(session.getState().events);
  const noticed =
    scenario.signals.length === 0 && !probesRun
      ? first
      : await wait.event((e, t) =>
          monitored
            ? (e.type === "signal.shown" && e.source !== undefined) || e.type === "detection.gap"
            : t >= first.t && (e.type === "signal.shown" || (e.type === "probe.result" && !e.ok)),
        );
  if (!noticed) return;
  await act({ type: "acknowledge" });
  // Act on symptoms, not on the schedule: a fix made before the fault showed proves nothing, and
  // the recovery probe only confirms a recovery from a failure it saw.
  const recoveryProbe = setup.mode === "gameday" ? scenario.recovery?.probe : undefined;
  const watched = session.getState().probes.some((p) => p.name === recoveryProbe);
  const seen = await wait.event(
    (e, t) =>
      t >= first.t &&
      (watched
        ? e.type === "probe.result" && e.probe === recoveryProbe && !e.ok
        : (e.type === "signal.shown" && e.kind === "alert") ||
          (e.type === "probe.result" && !e.ok) ||
          setup.mode === "tabletop"),
  );
  if (!seen) return;

  const start = first.t;
  for (const rung of session.getState().escalations) {
    if (rung.after <= 0) continue;
    void wait.until(start + rung.after).then(async (live) => {
      if (!live) return;
      const current = session.getState().escalations.find((e) => e.level === rung.level);
      if (current?.escalatedT === null) await act({ type: "escalate", level: rung.level });
    });
  }

  if (!procedure) {
    log("auto: the scenario names no expected procedure; declaring mitigation");
    await act({ type: "declareMitigated" });
    return;
  }
  await act({ type: "selectProcedure", procedure: procedure.id });
  const lastAction = procedure.steps.map((s) => s.kind).lastIndexOf("action");
  const verifyWindow = options.verifyWindowMs ?? 30_000;
  const retryEvery = options.retryEveryMs ?? 1000;

  for (const [index, step] of procedure.steps.entries()) {
    if (wait.ended) return;
    if (step.optional) {
      await act({ type: "skipStep", step: step.id, reason: "optional (auto)" });
    } else if (step.kind === "rollback") {
      // Not now: the fault is still on. --auto runs rollbacks once the drill recovered and every
      // fault was reverted (leaveAsFound).
      continue;
    } else if (step.kind === "escalate" && !step.run) {
      const next = session.getState().escalations.find((e) => e.escalatedT === null);
      if (next) await act({ type: "escalate", level: next.level });
      await act({ type: "completeStep", step: step.id, note: "escalated (auto)" });
    } else if (!step.run || setup.mode === "tabletop") {
      const note = step.run ? "tabletop: command not run" : "no command (auto)";
      await act({ type: "completeStep", step: step.id, note });
    } else {
      const deadline = session.now() + (step.kind === "verify" ? verifyWindow : 0);
      for (;;) {
        const ran = await act({ type: "runStepCommand", step: step.id });
        if (wait.ended) return;
        const exit = ran.ok ? ran.command?.exitCode : undefined;
        // A zero exit completes the step (the engine's rule); nothing left to mark.
        if (exit === 0) break;
        const why = ran.ok
          ? (ran.command?.failure ?? `exit ${ran.command?.exitCode ?? "none"}`)
          : ran.error;
        if (session.now() + retryEvery <= deadline && (await wait.sleep(retryEvery))) continue;
        await act({ type: "abort", reason: `--auto: step ${step.id} failed (${why})` });
        return;
      }
    }
    if (index === lastAction) await act({ type: "declareMitigated" });
  }
  if (lastAction === -1 && !wait.ended) await act({ type: "declareMitigated" });
}

const toAction = (a: ScriptAction): ResponderAction | undefined => {
  switch (a.do) {
    case "acknowledge":
      return { type: "acknowledge" };
    case "escalate":
      return { type: "escalate", level: a.level };
    case "select":
      return { type: "selectProcedure", procedure: a.procedure };
    case "complete":
      return {
        type: "completeStep",
        ...(a.step ? { step: a.step } : {}),
        ...(a.note ? { note: a.note } : {}),
      };
    case "skip":
      return {
        type: "skipStep",
        ...(a.step ? { step: a.step } : {}),
        ...(a.reason ? { reason: a.reason } : {}),
      };
    case "run":
      return { type: "runStepCommand", ...(a.step ? { step: a.step } : {}) };
    case "command":
      return { type: "runAdHocCommand", command: a.run, shell: a.shell, timeoutMs: a.timeout };
    case "cancel":
      return { type: "cancelCommand" };
    case "hint":
      return { type: "takeHint", ...(a.hint === undefined ? {} : { hint: a.hint - 1 }) };
    case "mitigate":
      return { type: "declareMitigated" };
    case "abort":
      return { type: "abort", reason: a.reason };
    case "note":
      return { type: "note", text: a.text };
    case "reveal-signal":
      return { type: "revealNextSignal" };
    case "inject-fault":
      return { type: "injectNextFault" };
    case "wait":
      return undefined;
  }
};

/** `--script`: replays a responder's actions at their times; a refused action is logged, not fatal. */
export async function runScript(
  session: DrillSession,
  scheduler: Scheduler,
  script: ResponderScript,
  options: DriverOptions = {},
): Promise<void> {
  const log = options.log ?? (() => {});
  const wait = new Waits(session, scheduler);
  for (const [index, step] of script.actions.entries()) {
    if (wait.ended) return;
    if (step.waitFor) {
      const type = step.waitFor;
      const seen = await wait.event((e) =>
        type === "alert" ? e.type === "signal.shown" && e.kind === "alert" : e.type === type,
      );
      if (!seen) return;
    }
    const live =
      step.at !== undefined ? await wait.until(step.at) : await wait.sleep(step.after ?? 0);
    if (!live) return;
    const action = toAction(step);
    if (!action) continue;
    const pending = session.dispatch(action);
    const refused = (result: ActionResult) => {
      if (!result.ok && !wait.ended)
        log(`script: action ${index + 1} (${step.do}) refused: ${result.error}`);
    };
    if ((step.do === "run" || step.do === "command") && step.background) {
      void pending.then(refused);
      continue;
    }
    const result = await pending;
    if (!result.ok) {
      refused(result);
      continue;
    }
    // In tabletop a step's command is never run: `complete` marks it done all the same.
    if (step.do === "run" && step.complete && result.command?.notRun === "tabletop") {
      await session.dispatch({ type: "completeStep", ...(step.step ? { step: step.step } : {}) });
    }
    // `complete: true` is what a zero exit does anyway (the engine completes the step).
  }
}
