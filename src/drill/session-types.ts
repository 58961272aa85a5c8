import type { FaultBackend, RevertReport } from "../faults/fault-types.js";
import type { MonitoringChecker } from "../probes/monitoring-check.js";
import type { ProbeRunner } from "../probes/probe-types.js";
import type { ActionResult, ResponderAction } from "./actions.js";
import type { Clock, Scheduler } from "./clock.js";
import type { CommandRunner } from "./command-spec.js";
import type { Actor, TimedEvent } from "./events.js";
import type { JournalSummary } from "./journal-format.js";
import type { DrillStop } from "./outcome.js";
import type { OutputChunk, RunningCommand } from "./responder-commands.js";
import type { DrillState } from "./state.js";

/** Where the session writes its journal; `JournalWriter` is one. */
export interface JournalSink {
  readonly path?: string;
  event(timed: TimedEvent): void;
  summary(summary: Omit<JournalSummary, "type">): void;
  close(): void;
}

export interface SessionDeps {
  clock: Clock;
  scheduler: Scheduler;
  /** Applies and reverts faults: simulated in tabletop, Toxiproxy and commands in gameday. */
  backend: FaultBackend;
  /** Runs one probe check (gameday). Default: none, probes are not run. */
  runProbe?: ProbeRunner;
  /** Asks a monitoring signal's server (gameday). Default: none, monitoring signals never show. */
  checkMonitoring?: MonitoringChecker;
  /** Runs responder commands. Default: execa, output streamed. */
  runCommand?: CommandRunner;
  /** Opens the journal when the drill starts; `startedAt` is wall-clock time at `t = 0`. */
  openJournal?: (startedAt: Date) => JournalSink;
  /** Started with the drill in gameday (reverts faults if this process dies); stopped at the end. */
  startWatchdog?: () => { stop(): void };
  /** The wall clock, for the journal's `startedAt`. */
  wallClock?: () => number;
  /** Environment for commands and for redacting secrets out of journaled output. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** How often `elapsed` and hint availability refresh; 0 disables. Default 250 ms. */
  tickMs?: number;
}

export type SessionStatus = "briefing" | "starting" | "live" | "ending" | "finished";

/** Everything a view needs; replaced (never mutated) on every change. */
export interface SessionSnapshot {
  drill: DrillState;
  status: SessionStatus;
  running: RunningCommand | null;
  /** The latest command's output lines, at most 200 (screen only: not redacted). */
  output: string[];
  journalPath: string | null;
  /** What the end-of-drill revert did; set once status is `finished`. */
  revert: RevertReport | null;
  /** Why the session stopped itself, when it did (an internal error). */
  error: string | null;
  /** What stopped the drill from outside its rules (a signal, a hangup, the journal, a bug). */
  stop: DrillStop | null;
}

export interface DrillSession {
  readonly drillId: string;
  getSnapshot(): SessionSnapshot;
  getState(): DrillState;
  /** Called after every change with the new snapshot; returns the unsubscribe function. */
  subscribe(listener: (snapshot: SessionSnapshot) => void): () => void;
  /** Called for every event as it is journaled, derived ones included. */
  onEvent(listener: (event: TimedEvent) => void): () => void;
  /** Streamed output of responder commands. */
  onOutput(listener: (chunk: OutputChunk) => void): () => void;
  /** Milliseconds since the drill started, on the session's clock. */
  now(): number;
  /** Prepares the backend, opens the journal and schedules faults, signals, probes and limits. */
  start(): Promise<void>;
  /**
   * Takes an action as `actor` (default: the facilitator for the facilitator's actions, else the
   * responder); refused when the role may not take it (src/drill/actions.ts, roleRefusal).
   */
  dispatch(action: ResponderAction, actor?: Actor): Promise<ActionResult>;
  /**
   * Ends the drill now (aborted with `reason` unless it already ended), reverts every fault newest
   * first and writes the summary. Idempotent: every call returns the same promise.
   */
  shutdown(reason: string): Promise<DrillState>;
  /** Ends the drill as `shutdown` does, recording why (the first stop wins) for the exit code. */
  stop(stop: DrillStop): Promise<DrillState>;
  /** Resolves once the drill ended and everything was reverted and journaled. */
  readonly finished: Promise<DrillState>;
}
