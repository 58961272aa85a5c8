import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { messageOf } from "../model/message.js";
import type { Scheduler } from "./clock.js";
import {
  checkBeforeDrill,
  type DrillPlan,
  type LaunchedDrill,
  launchDrill,
  type SafetyReport,
} from "./launch.js";
import { type DrillOutcome, type DrillStop, endedOutcome, type StopSignal } from "./outcome.js";
import { figuresOf, pushDrillFigures } from "./pushgateway-push.js";
import type { DrillSession } from "./session.js";
import { forgetTerminalAtExit, type TerminalStreams, watchTerminal } from "./terminal-hangup.js";

export type { TerminalStreams } from "./terminal-hangup.js";

export interface StartDrillOptions {
  /** told at once when a stop arrives, before the clean-up (the headless run says so on stderr) */
  onStop?: (stop: DrillStop) => void;
  /** called with the session before it starts: subscribe to its events here */
  beforeStart?: (session: DrillSession, safety: SafetyReport) => void;
  /** the responder's terminal: EIO or EPIPE on it means it is gone, a hangup */
  terminal?: TerminalStreams;
  /** test seams: how the drill is built and checked */
  launch?: (plan: DrillPlan) => LaunchedDrill;
  check?: (plan: DrillPlan, drillId: string, drill: LaunchedDrill) => Promise<SafetyReport>;
  /** install the process's signal and uncaught-error handlers (default true; tests turn it off) */
  processHandlers?: boolean;
}

/** A drill that passed its preflight and started. */
export interface DrillRun {
  drillId: string;
  session: DrillSession;
  scheduler: Scheduler;
  /** Ends the drill (first stop wins), reverting every fault; resolves with the outcome. */
  stop(stop: DrillStop): Promise<DrillOutcome>;
  /** How the drill ended, once every fault was reverted and the journal closed. */
  readonly outcome: Promise<DrillOutcome>;
}

export type StartedDrill =
  | { ok: true; run: DrillRun; safety: SafetyReport }
  /** refused (nothing applied), or a start that failed and left something it could not revert */
  | { ok: false; outcome: DrillOutcome; safety?: SafetyReport };

const SIGNALS: readonly StopSignal[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/** A file-system error is the workspace's (read-only, full, not a directory), not firedrill's. */
function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  const e = error as NodeJS.ErrnoException;
  return typeof e?.code === "string" && typeof e.syscall === "string";
}

function unwritable(error: NodeJS.ErrnoException, cwd: string): string {
  return `cannot write the drill's files in ${error.path ?? cwd}: ${messageOf(error)}; run from a directory you can write to`;
}

function refused(
  stage: "workspace" | "preflight" | "start",
  reasons: readonly string[],
  safety?: SafetyReport,
): StartedDrill {
  return { ok: false, outcome: { kind: "refused", stage, reasons }, ...(safety ? { safety } : {}) };
}

/**
 * The one way a drill runs, for the TUI and the headless run alike: check that the workspace takes
 * the drill's files, run the preflight (a refusal applies nothing), start, and stop on SIGINT,
 * SIGTERM, SIGHUP, a closed terminal or anything thrown that nobody caught, always reverting every
 * fault and closing the journal. The front-ends only render the outcome.
 */
export async function startDrill(
  plan: DrillPlan,
  options: StartDrillOptions = {},
): Promise<StartedDrill> {
  const cwd = plan.cwd ?? process.cwd();
  let launched: LaunchedDrill;
  try {
    launched = (options.launch ?? launchDrill)(plan);
  } catch (error) {
    if (!isFileSystemError(error)) throw error;
    return refused("workspace", [unwritable(error, cwd)]);
  }
  const { drillId, session, scheduler } = launched;
  const safety = await (options.check ?? checkBeforeDrill)(plan, drillId, launched);
  if (!safety.ok) {
    await session.shutdown("preflight refused");
    const failed = safety.checks.filter((c) => !c.ok && !c.skipped);
    return refused(
      "preflight",
      failed.map((c) => `${c.name}: ${c.detail}`),
      safety,
    );
  }

  try {
    // A drill that cannot keep its record must not begin.
    mkdirSync(resolve(cwd, plan.journalDir), { recursive: true, mode: 0o700 });
  } catch (error) {
    await session.shutdown("cannot write the journal");
    if (!isFileSystemError(error)) throw error;
    return refused("workspace", [unwritable(error, cwd)], safety);
  }

  options.beforeStart?.(session, safety);
  let ending: Promise<DrillOutcome> | undefined;
  // Once per drill, whoever asks first: the outcome, with the figures pushed when --push says so.
  const ended = (): Promise<DrillOutcome> => {
    ending ??= withPush(plan, drillId, endedOutcome(session.getSnapshot(), plan.toxiproxyUrl));
    return ending;
  };
  const stop = (why: DrillStop): Promise<DrillOutcome> => {
    if (session.getSnapshot().stop === null && !session.getState().ended) options.onStop?.(why);
    return session.stop(why).then(ended);
  };
  const remove = installStopHandlers(stop, options);
  try {
    await session.start();
  } catch (error) {
    remove();
    await session.shutdown("could not start");
    if (session.getSnapshot().revert?.failed.length) {
      return { ok: false, outcome: endedOutcome(session.getSnapshot(), plan.toxiproxyUrl), safety };
    }
    return refused("start", [messageOf(error)], safety);
  }
  const outcome = session.finished.then(() => {
    remove();
    return ended();
  });
  return { ok: true, safety, run: { drillId, session, scheduler, stop, outcome } };
}

/** A push that fails is said in the outcome's closing lines; it never changes the exit code. */
async function withPush(
  plan: DrillPlan,
  drillId: string,
  outcome: DrillOutcome,
): Promise<DrillOutcome> {
  if (!plan.pushgateway || outcome.kind !== "ended" || !outcome.result) return outcome;
  const figures = figuresOf(plan, drillId, outcome.result, Date.now());
  return { ...outcome, push: await pushDrillFigures(plan.pushgateway, figures) };
}

function installStopHandlers(
  stop: (why: DrillStop) => Promise<DrillOutcome>,
  options: StartDrillOptions,
): () => void {
  const removers: (() => void)[] = [];
  if (options.terminal) removers.push(watchTerminal(options.terminal, (why) => void stop(why)));
  if (options.processHandlers !== false) {
    const onSignal = (signal: StopSignal) => {
      if (signal === "SIGHUP") forgetTerminalAtExit();
      void stop({ kind: "signal", signal });
    };
    const onError = (error: unknown) => void stop({ kind: "internal", error: messageOf(error) });
    for (const signal of SIGNALS) process.on(signal, onSignal);
    process.on("uncaughtException", onError);
    process.on("unhandledRejection", onError);
    removers.push(() => {
      for (const signal of SIGNALS) process.off(signal, onSignal);
      process.off("uncaughtException", onError);
      process.off("unhandledRejection", onError);
    });
  }
  return () => {
    for (const remove of removers.splice(0)) remove();
  };
}
