import type { FaultBackend, RevertReport } from "../faults/types.js";
import type { Command } from "../model/common.js";
import { messageOf } from "../model/message.js";
import type { Probe } from "../model/scenario.js";
import type { ProbeRunner } from "../probes/types.js";
import type { Clock, Scheduler, TimerHandle } from "./clock.js";
import {
  type CommandRunner,
  type OutputStream,
  outputTail,
  runResponderCommand,
} from "./command.js";
import type { DrillEvent, TimedEvent } from "./events.js";
import type { JournalSummary } from "./journal-format.js";
import { secretRedactor } from "./redact.js";
import { advance, tick, tiedSignalReady } from "./reducer.js";
import {
  currentStep,
  type DrillResult,
  type DrillSetup,
  type DrillState,
  initialState,
  type ProcedureState,
  type StepState,
} from "./state.js";

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

/** What a responder (or facilitator) can do; the TUI, `--auto` and `--script` all dispatch these. */
export type ResponderAction =
  | { type: "acknowledge" }
  | { type: "escalate"; level: number }
  | { type: "selectProcedure"; procedure: string }
  | { type: "completeStep"; step?: string; note?: string }
  | { type: "skipStep"; step?: string; reason?: string }
  | { type: "runStepCommand"; step?: string }
  | { type: "runAdHocCommand"; command: Command; shell?: boolean; timeoutMs?: number }
  | { type: "cancelCommand" }
  | { type: "takeHint"; hint?: number }
  | { type: "declareMitigated" }
  | { type: "abort"; reason: string }
  | { type: "note"; text: string }
  | { type: "revealNextSignal" }
  | { type: "injectNextFault" };

export interface CommandResult {
  exitCode: number | null;
  cancelled: boolean;
  timedOut: boolean;
  durationMs: number;
  failure?: string;
}

export type ActionResult = { ok: true; command?: CommandResult } | { ok: false; error: string };

export type SessionStatus = "briefing" | "starting" | "live" | "ending" | "finished";

export interface RunningCommand {
  command: Command;
  offRunbook: boolean;
  procedure?: string;
  step?: string;
  startedT: number;
}

export interface OutputChunk {
  text: string;
  stream: OutputStream;
  procedure?: string;
  step?: string;
}

/** Everything a view needs; replaced (never mutated) on every change. */
export interface SessionSnapshot {
  drill: DrillState;
  status: SessionStatus;
  running: RunningCommand | null;
  /** The latest command's output lines, at most OUTPUT_LINES (screen only: not redacted). */
  output: string[];
  journalPath: string | null;
  /** What the end-of-drill revert did; set once status is `finished`. */
  revert: RevertReport | null;
  /** Why the session stopped itself, when it did (an internal error). */
  error: string | null;
}

const OUTPUT_LINES = 200;

/** Events still recorded after the drill ended: the clean-up and whatever was in flight. */
const AFTER_END: ReadonlySet<DrillEvent["type"]> = new Set([
  "fault.reverted",
  "fault.failed",
  "command.ran",
  "note",
]);

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
  dispatch(action: ResponderAction): Promise<ActionResult>;
  /**
   * Ends the drill now (aborted with `reason` unless it already ended), reverts every fault newest
   * first and writes the summary. Idempotent: every call returns the same promise.
   */
  shutdown(reason: string): Promise<DrillState>;
  /** Resolves once the drill ended and everything was reverted and journaled. */
  readonly finished: Promise<DrillState>;
}

export function createSession(setup: DrillSetup, drillId: string, deps: SessionDeps): DrillSession {
  return new Session(setup, drillId, deps);
}

class Session implements DrillSession {
  private snapshot: SessionSnapshot;
  private readonly listeners = new Set<(s: SessionSnapshot) => void>();
  private readonly eventListeners = new Set<(e: TimedEvent) => void>();
  private readonly outputListeners = new Set<(c: OutputChunk) => void>();
  private t0 = 0;
  private journal: JournalSink | null = null;
  private watchdog: { stop(): void } | null = null;
  private readonly timers = new Set<TimerHandle>();
  private readonly faultTimers = new Map<number, TimerHandle>();
  private readonly signalTimers = new Map<number, TimerHandle>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly claimed = new Set<number>();
  private readonly probeAbort = new AbortController();
  private commandAbort: AbortController | null = null;
  private ending: Promise<DrillState> | null = null;
  private resolveFinished!: (state: DrillState) => void;
  readonly finished: Promise<DrillState>;
  private readonly redact: (text: string) => string;
  private readonly runCommand: CommandRunner;

  constructor(
    setup: DrillSetup,
    readonly drillId: string,
    private readonly deps: SessionDeps,
  ) {
    this.snapshot = {
      drill: initialState(setup),
      status: "briefing",
      running: null,
      output: [],
      journalPath: null,
      revert: null,
      error: null,
    };
    this.finished = new Promise((resolve) => {
      this.resolveFinished = resolve;
    });
    this.redact = secretRedactor(deps.env ?? process.env);
    this.runCommand = deps.runCommand ?? runResponderCommand;
  }

  getSnapshot(): SessionSnapshot {
    return this.snapshot;
  }

  getState(): DrillState {
    return this.snapshot.drill;
  }

  subscribe(listener: (snapshot: SessionSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onEvent(listener: (event: TimedEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onOutput(listener: (chunk: OutputChunk) => void): () => void {
    this.outputListeners.add(listener);
    return () => this.outputListeners.delete(listener);
  }

  now(): number {
    return this.snapshot.status === "briefing" ? 0 : this.deps.clock.now() - this.t0;
  }

  private get setup(): DrillSetup {
    return this.snapshot.drill.setup;
  }

  private set(change: Partial<SessionSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of [...this.listeners]) this.guard(() => listener(this.snapshot));
  }

  /** Anything that throws inside the drill stops it, and stopping reverts every fault. */
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    const message = messageOf(error);
    if (this.snapshot.error === null) this.snapshot = { ...this.snapshot, error: message };
    void this.shutdown(`internal error: ${message}`);
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    const done = () => this.inFlight.delete(promise);
    promise.then(done, done);
    return promise;
  }

  private schedule(ms: number, fn: () => void): TimerHandle {
    const handle = this.deps.scheduler.setTimeout(() => {
      this.timers.delete(handle);
      this.guard(fn);
    }, ms);
    this.timers.add(handle);
    return handle;
  }

  private cancel(handle: TimerHandle | undefined): void {
    if (!handle) return;
    this.deps.scheduler.clear(handle);
    this.timers.delete(handle);
  }

  /** Delay until drill time `at`. */
  private until(at: number): number {
    return Math.max(0, at - this.now());
  }

  private emit(event: DrillEvent, t = this.now()): TimedEvent[] {
    const before = this.snapshot.drill;
    if (before.ended && !AFTER_END.has(event.type)) return [];
    const { state, emitted } = advance(before, { t, event });
    for (const timed of emitted) this.journal?.event(this.forJournal(timed));
    this.snapshot = { ...this.snapshot, drill: state };
    for (const timed of emitted) {
      for (const listener of [...this.eventListeners]) this.guard(() => listener(timed));
    }
    this.set({});
    if (state.ended && !before.ended) void this.end();
    return emitted;
  }

  /** Command output and argv may carry secrets from the environment: never journal them. */
  private forJournal(timed: TimedEvent): TimedEvent {
    const { event } = timed;
    if (event.type !== "command.ran") return timed;
    const command =
      typeof event.command === "string"
        ? this.redact(event.command)
        : event.command.map((arg) => this.redact(arg));
    return {
      t: timed.t,
      event: {
        ...event,
        command,
        ...(event.outputTail === undefined ? {} : { outputTail: this.redact(event.outputTail) }),
      },
    };
  }

  async start(): Promise<void> {
    if (this.snapshot.status !== "briefing") return;
    this.set({ status: "starting" });
    const { scenario, mode, responder } = this.setup;
    await this.deps.backend.prepare(scenario);
    if (mode === "gameday" && this.deps.startWatchdog) this.watchdog = this.deps.startWatchdog();
    // t = 0 and the journal's startedAt are the same instant; opening the journal (an fsync)
    // happens after it, so the schedule below already accounts for the time it took.
    this.t0 = this.deps.clock.now();
    const wall = this.deps.wallClock ?? Date.now;
    const startedAt = new Date(wall());
    if (this.deps.openJournal) {
      this.journal = this.deps.openJournal(startedAt);
      this.snapshot = { ...this.snapshot, journalPath: this.journal.path ?? null };
    }
    this.set({ status: "live" });
    this.emit({ type: "drill.started", mode, responder }, 0);

    scenario.faults.forEach((fault, index) => {
      this.faultTimers.set(
        index,
        this.schedule(this.until(fault.at), () => void this.applyFault(index)),
      );
    });
    scenario.signals.forEach((signal, index) => {
      this.signalTimers.set(
        index,
        this.schedule(this.until(signal.at), () => this.showSignal(index)),
      );
    });
    if (mode === "gameday" && this.deps.runProbe) {
      for (const probe of scenario.probes) this.probeLoop(probe, 0);
    }
    const limit = scenario.safety.maxDuration;
    this.schedule(this.until(limit), () => this.emit({ type: "timed.out", limitMs: limit }));
    const tickMs = this.deps.tickMs ?? 250;
    if (tickMs > 0) this.tick(tickMs);
  }

  private tick(every: number): void {
    this.schedule(every, () => {
      if (this.snapshot.drill.ended) return;
      const next = tick(this.snapshot.drill, this.now());
      if (next !== this.snapshot.drill) this.set({ drill: next });
      this.tick(every);
    });
  }

  private live(): boolean {
    return this.snapshot.status === "live" && !this.snapshot.drill.ended;
  }

  private async applyFault(index: number): Promise<void> {
    this.faultTimers.delete(index);
    const fault = this.setup.scenario.faults[index];
    const state = this.snapshot.drill.faults[index];
    if (!fault || !state || this.claimed.has(index) || !this.live()) return;
    // Claimed at once so a facilitator's inject and the timer never apply it twice.
    this.claimed.add(index);
    const began = Math.round(this.now());
    try {
      const applied = await this.track(this.deps.backend.apply(index, fault));
      this.emit({
        type: "fault.applied",
        fault: index,
        label: applied.label,
        applyStartedT: began,
      });
      if (fault.duration !== undefined && this.live()) {
        this.schedule(fault.duration, () => void this.revertFault(index, "duration elapsed"));
      }
    } catch (error) {
      this.emit({
        type: "fault.failed",
        fault: index,
        label: state.label,
        error: messageOf(error),
      });
    }
  }

  private async revertFault(index: number, reason: string): Promise<void> {
    if (!this.live()) return;
    const state = this.snapshot.drill.faults[index];
    if (state?.status !== "active") return;
    try {
      await this.track(this.deps.backend.revert(index, reason));
      this.emit({ type: "fault.reverted", fault: index, label: state.label, reason });
    } catch (error) {
      this.emit({
        type: "note",
        text: `could not revert ${state.label}: ${messageOf(error)}`,
      });
    }
  }

  private showSignal(index: number, forced = false): void {
    this.signalTimers.delete(index);
    const signal = this.setup.scenario.signals[index];
    if (!signal || this.snapshot.drill.signals.some((s) => s.index === index)) return;
    // Tied to a probe (gameday): the probe's result shows it, when it comes (reducer.ts rules).
    if (!forced && !tiedSignalReady(this.snapshot.drill, index, Math.max(this.now(), signal.at)))
      return;
    this.emit({ type: "signal.shown", signal: index, kind: signal.kind, text: signal.text });
  }

  /** Checks a probe at a fixed cadence: the next check is due `every` after the last one began. */
  private probeLoop(probe: Probe, delay: number): void {
    this.schedule(delay, () => {
      if (!this.live()) return;
      const began = this.deps.clock.now();
      const check = this.deps.runProbe?.(probe, { signal: this.probeAbort.signal });
      if (!check) return;
      void this.track(check).then(
        (result) => {
          if (!this.live()) return;
          this.emit({
            type: "probe.result",
            probe: probe.name,
            ok: result.ok,
            latencyMs: Math.round(result.latencyMs),
            detail: result.detail,
          });
          const spent = this.deps.clock.now() - began;
          this.probeLoop(probe, Math.max(0, probe.every - spent));
        },
        (error: unknown) => this.fail(error),
      );
    });
  }

  async dispatch(action: ResponderAction): Promise<ActionResult> {
    try {
      return await this.act(action);
    } catch (error) {
      this.fail(error);
      return { ok: false, error: messageOf(error) };
    }
  }

  private async act(action: ResponderAction): Promise<ActionResult> {
    // Judge the action against the state as of now, not as of the last tick.
    if (this.live()) {
      const fresh = tick(this.snapshot.drill, this.now());
      if (fresh !== this.snapshot.drill) this.snapshot = { ...this.snapshot, drill: fresh };
    }
    const state = this.snapshot.drill;
    if (action.type === "abort") {
      if (state.ended) return refuse("the drill is already over");
      this.emit({ type: "aborted", by: this.setup.responder, reason: action.reason });
      return { ok: true };
    }
    if (action.type === "cancelCommand") {
      if (!this.commandAbort) return refuse("no command is running");
      this.commandAbort.abort();
      return { ok: true };
    }
    if (this.snapshot.status === "briefing" || this.snapshot.status === "starting") {
      return refuse("the drill has not started yet");
    }
    if (!this.live()) return refuse("the drill is over");
    const by = this.setup.responder;

    switch (action.type) {
      case "acknowledge":
        if (state.acknowledgedBy) return refuse(`already acknowledged by ${state.acknowledgedBy}`);
        this.emit({ type: "acknowledged", by });
        return { ok: true };
      case "escalate": {
        const rung = state.escalations.find((e) => e.level === action.level);
        if (!rung) {
          const levels = state.escalations.map((e) => `${e.level} (${e.who})`).join(", ");
          return refuse(
            levels
              ? `no escalation level ${action.level}; the ladder has ${levels}`
              : "the runbook has no escalation ladder",
          );
        }
        this.emit({ type: "escalated", level: rung.level, who: rung.who });
        return { ok: true };
      }
      case "selectProcedure": {
        if (!state.procedures.some((p) => p.id === action.procedure)) {
          return refuse(
            `no procedure "${action.procedure}"; the runbook has ${state.procedures.map((p) => p.id).join(", ") || "none"}`,
          );
        }
        this.emit({ type: "procedure.selected", procedure: action.procedure });
        return { ok: true };
      }
      case "completeStep":
      case "skipStep": {
        const found = this.findStep(action.step);
        if ("error" in found) return refuse(found.error);
        const { procedure, step } = found;
        // A step done by its command exiting 0 can still be marked otherwise (docs/scoring.md).
        const remark = action.type === "skipStep" && step.doneByCommand === true;
        if ((step.status === "done" || step.status === "skipped") && !remark) {
          return refuse(`step ${step.id} is already ${step.status}`);
        }
        if (action.type === "skipStep") {
          this.emit({
            type: "step.skipped",
            procedure: procedure.id,
            step: step.id,
            ...(action.reason ? { reason: action.reason } : {}),
          });
          return { ok: true };
        }
        const outcome =
          this.setup.mode === "tabletop"
            ? this.setup.scenario.tabletop.outcomes[step.id]
            : undefined;
        this.emit({
          type: "step.completed",
          procedure: procedure.id,
          step: step.id,
          ...(action.note ? { note: action.note } : {}),
          ...(outcome ? { outcome } : {}),
        });
        return { ok: true };
      }
      case "runStepCommand": {
        const found = this.findStep(action.step);
        if ("error" in found) return refuse(found.error);
        const { procedure, step } = found;
        const spec = this.setup.runbook?.procedures
          .find((p) => p.id === procedure.id)
          ?.steps.find((s) => s.id === step.id);
        if (!spec?.run) return refuse(`step ${step.id} has no command to run`);
        return this.runResponderCommand(spec.run, spec.shell, spec.timeout, procedure.id, step.id);
      }
      case "runAdHocCommand":
        return this.runResponderCommand(
          action.command,
          action.shell ?? false,
          action.timeoutMs ?? 60_000,
        );
      case "takeHint": {
        const hint =
          action.hint === undefined
            ? state.hints.find((h) => h.available && !h.taken)
            : state.hints.find((h) => h.index === action.hint);
        if (!hint) return refuse("no hint is available yet");
        if (hint.taken) return refuse(`hint ${hint.index + 1} was already taken`);
        if (!hint.available && this.now() < hint.after)
          return refuse("that hint is not available yet");
        this.emit({ type: "hint.taken", hint: hint.index, cost: hint.cost, text: hint.text });
        return { ok: true };
      }
      case "declareMitigated":
        if (state.phase === "mitigated") return refuse("already declared mitigated");
        this.emit({ type: "mitigated", by });
        return { ok: true };
      case "note":
        this.emit({ type: "note", text: action.text });
        return { ok: true };
      case "revealNextSignal": {
        const next = this.setup.scenario.signals.findIndex(
          (_s, index) => !state.signals.some((shown) => shown.index === index),
        );
        if (next === -1) return refuse("every signal has been shown");
        this.cancel(this.signalTimers.get(next));
        this.showSignal(next, true);
        return { ok: true };
      }
      case "injectNextFault": {
        const next = state.faults.find((f) => f.status === "pending" && !this.claimed.has(f.index));
        if (!next) return refuse("every fault has been injected");
        this.cancel(this.faultTimers.get(next.index));
        this.faultTimers.delete(next.index);
        await this.applyFault(next.index);
        return { ok: true };
      }
    }
  }

  private findStep(
    stepId: string | undefined,
  ): { procedure: ProcedureState; step: StepState } | { error: string } {
    const state = this.snapshot.drill;
    const procedure = state.procedures.find((p) => p.id === state.selectedProcedure);
    if (!procedure) return { error: "select a procedure first" };
    const step =
      stepId === undefined ? currentStep(procedure) : procedure.steps.find((s) => s.id === stepId);
    if (!step) {
      return {
        error:
          stepId === undefined
            ? `every step of ${procedure.id} is done`
            : `no step "${stepId}" in ${procedure.id}; it has ${procedure.steps.map((s) => s.id).join(", ")}`,
      };
    }
    return { procedure, step };
  }

  private async runResponderCommand(
    command: Command,
    shell: boolean,
    timeoutMs: number,
    procedure?: string,
    step?: string,
  ): Promise<ActionResult> {
    if (this.snapshot.running) return refuse("a command is already running; cancel it first");
    const where = procedure && step ? { procedure, step } : {};
    if (procedure && step) this.emit({ type: "step.started", procedure, step });
    const abort = new AbortController();
    this.commandAbort = abort;
    this.set({
      running: { command, offRunbook: !step, ...where, startedT: this.now() },
      output: [],
    });
    let partial = "";
    const outcome = await this.track(
      this.runCommand(
        {
          command,
          shell,
          timeoutMs,
          signal: abort.signal,
          ...(this.deps.cwd ? { cwd: this.deps.cwd } : {}),
          ...(this.deps.env ? { env: this.deps.env } : {}),
        },
        (text, stream) => {
          for (const listener of [...this.outputListeners]) {
            this.guard(() => listener({ text, stream, ...where }));
          }
          const lines = (partial + text).split(/\r?\n/);
          partial = lines.pop() ?? "";
          if (lines.length > 0)
            this.set({ output: [...this.snapshot.output, ...lines].slice(-OUTPUT_LINES) });
        },
      ),
    );
    if (partial) this.set({ output: [...this.snapshot.output, partial].slice(-OUTPUT_LINES) });
    this.commandAbort = null;
    this.set({ running: null });
    const tail = outputTail(outcome.output);
    this.emit({
      type: "command.ran",
      command,
      exitCode: outcome.exitCode,
      durationMs: outcome.durationMs,
      offRunbook: !step,
      ...where,
      ...(outcome.cancelled ? { cancelled: true } : {}),
      ...(tail ? { outputTail: tail } : {}),
    });
    return {
      ok: true,
      command: {
        exitCode: outcome.exitCode,
        cancelled: outcome.cancelled,
        timedOut: outcome.timedOut,
        durationMs: outcome.durationMs,
        ...(outcome.failure ? { failure: outcome.failure } : {}),
      },
    };
  }

  shutdown(reason: string): Promise<DrillState> {
    if (this.ending) return this.ending;
    if (!this.snapshot.drill.ended) {
      this.emit({ type: "aborted", by: "firedrill", reason });
    }
    return this.end();
  }

  /** Stops everything, reverts every fault newest first, writes the summary. Runs once. */
  private end(): Promise<DrillState> {
    if (!this.ending) this.ending = this.cleanUp();
    return this.ending;
  }

  private async cleanUp(): Promise<DrillState> {
    // Let the emit that ended the drill return before the clean-up's own events.
    await Promise.resolve();
    this.set({ status: "ending" });
    for (const handle of this.timers) this.deps.scheduler.clear(handle);
    this.timers.clear();
    this.probeAbort.abort();
    this.commandAbort?.abort();
    // A fault whose apply is still in flight must land in the backend before revertAll sees it.
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);

    const reason = this.snapshot.drill.result?.outcome ?? "drill ended";
    const report: RevertReport = { reverted: [], failed: [] };
    try {
      const all = await this.deps.backend.revertAll(reason);
      report.reverted.push(...all.reverted);
      report.failed.push(...all.failed);
      const disposed = await this.deps.backend.dispose();
      report.reverted.push(...disposed.reverted);
      report.failed.push(...disposed.failed);
    } catch (error) {
      report.failed.push({ index: -1, label: "faults", error: String(error) });
    }
    for (const fault of report.reverted) {
      this.emit({ type: "fault.reverted", fault: fault.index, label: fault.label, reason });
    }
    for (const failure of report.failed) {
      this.emit({ type: "note", text: `could not revert ${failure.label}: ${failure.error}` });
    }
    this.watchdog?.stop();

    const drill = this.snapshot.drill;
    const result: DrillResult | null = drill.result;
    if (this.journal && result) {
      const wall = this.deps.wallClock ?? Date.now;
      this.journal.summary({
        endedAt: new Date(wall()).toISOString(),
        outcome: result.outcome,
        timings: result.timings,
        withinTarget: result.withinTarget,
        score: result.score,
        grade: result.grade,
        breakdown: result.breakdown,
      });
    }
    this.journal?.close();
    this.set({ status: "finished", revert: report });
    this.resolveFinished(drill);
    return drill;
  }
}

function refuse(error: string): ActionResult {
  return { ok: false, error };
}
