import type { Scheduler } from "./clock.js";
import type { DrillEvent, TimedEvent } from "./events.js";
import type { ResponderScript, ScriptAction } from "./script.js";
import type { ActionResult, DrillSession, ResponderAction } from "./session.js";

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
  event(match: (event: DrillEvent) => boolean): Promise<TimedEvent | null> {
    const seen = this.session.getState().events.find((e) => match(e.event));
    if (seen) return Promise.resolve(seen);
    if (this.ended) return Promise.resolve(null);
    return new Promise((resolve) => {
      const offEvent = this.session.onEvent((timed) => {
        if (!match(timed.event)) return;
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
  /** Told about what the driver does and what was refused (the headless command prints it). */
  log?: (line: string) => void;
  /** How long a failing verify step is retried in --auto before giving up. Default 30 s. */
  verifyWindowMs?: number;
  /** Pause between verify retries. Default 1 s. */
  retryEveryMs?: number;
}

/**
 * `--auto`, a runbook verification: acknowledges as soon as the first fault is applied, waits
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
  await act({ type: "acknowledge" });
  // Act on symptoms, not on the schedule: a fix made before the fault showed proves nothing, and
  // the recovery probe only confirms a recovery from a failure it saw.
  const recoveryProbe = setup.mode === "gameday" ? setup.scenario.recovery?.probe : undefined;
  const watched = session.getState().probes.some((p) => p.name === recoveryProbe);
  const seen = await wait.event((e) =>
    watched
      ? e.type === "probe.result" && e.probe === recoveryProbe && !e.ok
      : (e.type === "signal.shown" && e.kind === "alert") ||
        (e.type === "probe.result" && !e.ok) ||
        setup.mode === "tabletop",
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
      await act({ type: "skipStep", step: step.id, reason: "rollback: not run by --auto" });
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
        if (exit === 0) {
          await act({ type: "completeStep", step: step.id, note: "exit 0 (auto)" });
          break;
        }
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
    const done = result.command?.exitCode === 0 || result.command?.notRun === "tabletop";
    if (step.do === "run" && step.complete && done) {
      await session.dispatch({ type: "completeStep", ...(step.step ? { step: step.step } : {}) });
    }
  }
}
