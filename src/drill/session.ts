import type { RevertReport } from "../faults/fault-types.js";
import { messageOf } from "../model/message.js";
import { isMonitoringSignal, type Probe } from "../model/scenario.js";
import { type MonitoringCheck, sourceName } from "../probes/monitoring-check.js";
import { type ActionResult, defaultActor, type ResponderAction, roleRefusal } from "./actions.js";
import type { TimerHandle } from "./clock.js";
import { type CommandRunner, runResponderCommand } from "./command-spec.js";
import type { Actor, DrillEvent, TimedEvent } from "./events.js";
import { JournalWriteError } from "./journal.js";
import { type DrillStop, stopReason } from "./outcome.js";
import { advance, tick, tiedSignalReady } from "./reducer.js";
import { findStep, hintFor, hintToGive, refusal, stepCommandOf } from "./refusals.js";
import { type OutputChunk, ResponderCommands } from "./responder-commands.js";
import type { DrillSession, JournalSink, SessionDeps, SessionSnapshot } from "./session-types.js";
import { type DrillResult, type DrillSetup, type DrillState, initialState } from "./state.js";

export type { ActionResult, CommandResult, ResponderAction } from "./actions.js";
export type { OutputChunk, RunningCommand } from "./responder-commands.js";
export type {
  DrillSession,
  JournalSink,
  SessionDeps,
  SessionSnapshot,
  SessionStatus,
} from "./session-types.js";

const OUTPUT_LINES = 200;
/** How long a command still running at recovery may take to finish before it is cancelled. */
const RECOVERY_GRACE_MS = 3000;

/** Events still recorded after the drill ended: the clean-up and whatever was in flight. */
const AFTER_END: ReadonlySet<DrillEvent["type"]> = new Set([
  "fault.reverted",
  "fault.failed",
  "command.ran",
  "note",
]);

/**
 * A timer on the drill's clock: `at` is drill time, so a paused clock (tabletop) holds it back;
 * `handle` is the scheduler's, absent while the clock is paused.
 */
interface DrillTimer {
  at: number;
  fn: () => void;
  handle: TimerHandle | null;
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
  private readonly timers = new Set<DrillTimer>();
  private readonly faultTimers = new Map<number, DrillTimer>();
  private readonly signalTimers = new Map<number, DrillTimer>();
  /** Process-clock time the drill clock was paused at (tabletop), or null while it runs. */
  private pausedAt: number | null = null;
  /** Milliseconds the drill clock spent paused: not drill time. */
  private pausedTotal = 0;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly claimed = new Set<number>();
  /** wall-clock ms at t = 0: turns an alert's own time into drill time */
  private startedWall = 0;
  /** the last error polling each monitoring signal, so a server that stays down is noted once */
  private readonly monitoringErrors = new Map<number, string>();
  private gapsScheduled = false;
  private readonly probeAbort = new AbortController();
  private readonly commands: ResponderCommands;
  private ending: Promise<DrillState> | null = null;
  private resolveFinished!: (state: DrillState) => void;
  readonly finished: Promise<DrillState>;

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
      stop: null,
    };
    this.finished = new Promise((resolve) => {
      this.resolveFinished = resolve;
    });
    this.commands = this.responderCommands(deps.runCommand ?? runResponderCommand);
  }

  private responderCommands(runCommand: CommandRunner): ResponderCommands {
    return new ResponderCommands({
      mode: this.setup.mode,
      tabletopOutcome: (step) =>
        step === undefined ? undefined : this.setup.scenario.tabletop.outcomes[step],
      now: () => this.now(),
      emit: (event) => void this.emit(event, "responder"),
      show: (running, output) => this.set({ running, ...(output ? { output: [...output] } : {}) }),
      append: (lines) =>
        this.set({ output: [...this.snapshot.output, ...lines].slice(-OUTPUT_LINES) }),
      stream: (chunk) => {
        for (const listener of [...this.outputListeners]) this.guard(() => listener(chunk));
      },
      track: (promise) => this.track(promise),
      runCommand,
      ...(this.deps.cwd ? { cwd: this.deps.cwd } : {}),
      ...(this.deps.env ? { env: this.deps.env } : {}),
    });
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
    if (this.snapshot.status === "briefing") return 0;
    return (this.pausedAt ?? this.deps.clock.now()) - this.t0 - this.pausedTotal;
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
    void this.stop({ kind: "internal", error: message });
  }

  /**
   * Writes to the journal. A drill that cannot keep its record stops: the failure is remembered
   * (which file, why), the journal is dropped so the clean-up's own events cannot fail again, and
   * the shutdown, which reverts every fault, runs once the current event has been taken in.
   */
  private record(write: (journal: JournalSink) => void): void {
    const journal = this.journal;
    if (!journal) return;
    try {
      write(journal);
    } catch (error) {
      this.journal = null;
      try {
        journal.close();
      } catch {
        // the write already failed; closing is only tidying up
      }
      const stop: DrillStop = {
        kind: "journal",
        path: journal.path ?? null,
        // The stop names the file itself: keep only why the write failed.
        error: error instanceof JournalWriteError ? error.reason : messageOf(error),
      };
      void Promise.resolve().then(() => this.stop(stop));
    }
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    const done = () => this.inFlight.delete(promise);
    promise.then(done, done);
    return promise;
  }

  private schedule(ms: number, fn: () => void): DrillTimer {
    const timer: DrillTimer = { at: this.now() + Math.max(0, ms), fn, handle: null };
    this.timers.add(timer);
    if (this.pausedAt === null) this.arm(timer);
    return timer;
  }

  private arm(timer: DrillTimer): void {
    timer.handle = this.deps.scheduler.setTimeout(() => {
      this.timers.delete(timer);
      this.guard(timer.fn);
    }, this.until(timer.at));
  }

  private disarm(timer: DrillTimer): void {
    if (timer.handle) this.deps.scheduler.clear(timer.handle);
    timer.handle = null;
  }

  private cancel(timer: DrillTimer | undefined): void {
    if (!timer) return;
    this.disarm(timer);
    this.timers.delete(timer);
  }

  /** Delay until drill time `at`. */
  private until(at: number): number {
    return Math.max(0, at - this.now());
  }

  private emit(event: DrillEvent, actor: Actor = "firedrill", t = this.now()): TimedEvent[] {
    const before = this.snapshot.drill;
    if (before.ended && !AFTER_END.has(event.type)) return [];
    const { state, emitted } = advance(before, { t, event, actor });
    this.snapshot = { ...this.snapshot, drill: state };
    for (const timed of emitted) this.record((journal) => journal.event(timed));
    for (const timed of emitted) {
      for (const listener of [...this.eventListeners]) this.guard(() => listener(timed));
    }
    this.set({});
    if (state.ended && !before.ended) void this.end();
    return emitted;
  }

  async start(): Promise<void> {
    if (this.snapshot.status !== "briefing") return;
    this.set({ status: "starting" });
    const { scenario, mode, responder } = this.setup;
    await this.deps.backend.prepare(scenario);
    // Stopped while preparing (a signal): the clean-up has run or is running; schedule nothing.
    if (this.ending) return;
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
    this.startedWall = startedAt.getTime();
    this.set({ status: "live" });
    const monitored = mode === "gameday" && scenario.signals.some(isMonitoringSignal);
    this.emit(
      { type: "drill.started", mode, responder, ...(monitored ? { ttdFrom: "monitoring" } : {}) },
      "firedrill",
      0,
    );

    scenario.faults.forEach((fault, index) => {
      this.faultTimers.set(
        index,
        this.schedule(this.until(fault.at), () => void this.applyFault(index)),
      );
    });
    scenario.signals.forEach((signal, index) => {
      // A monitoring signal: tabletop shows it at its `at` (none: not shown; nothing is polled),
      // a gameday when the team's monitoring fires (monitoring-watch.ts).
      const at = mode === "gameday" && isMonitoringSignal(signal) ? undefined : signal.at;
      if (at === undefined) return;
      this.signalTimers.set(
        index,
        this.schedule(this.until(at), () => this.showSignal(index)),
      );
    });
    if (mode === "gameday" && this.deps.runProbe) {
      for (const probe of scenario.probes) this.probeLoop(probe, 0);
    }
    if (mode === "gameday" && this.deps.checkMonitoring) {
      scenario.signals.forEach((signal, index) => {
        if (isMonitoringSignal(signal)) this.monitoringLoop(index, 0);
      });
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

  private async applyFault(index: number, actor: Actor = "firedrill"): Promise<void> {
    this.faultTimers.delete(index);
    const fault = this.setup.scenario.faults[index];
    const state = this.snapshot.drill.faults[index];
    if (!fault || !state || this.claimed.has(index) || !this.live()) return;
    // Claimed at once so a facilitator's inject and the timer never apply it twice.
    this.claimed.add(index);
    const began = Math.round(this.now());
    try {
      const applied = await this.track(this.deps.backend.apply(index, fault));
      this.emit(
        { type: "fault.applied", fault: index, label: applied.label, applyStartedT: began },
        actor,
      );
      this.scheduleDetectionGaps();
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

  private showSignal(index: number, forced = false, actor: Actor = "firedrill"): void {
    this.signalTimers.delete(index);
    const signal = this.setup.scenario.signals[index];
    if (!signal || this.snapshot.drill.signals.some((s) => s.index === index)) return;
    // Tied to a probe (gameday): the probe's result shows it, when it comes (reducer.ts rules).
    if (
      !forced &&
      !tiedSignalReady(this.snapshot.drill, index, Math.max(this.now(), signal.at ?? 0))
    )
      return;
    this.emit({ type: "signal.shown", signal: index, kind: signal.kind, text: signal.text }, actor);
  }

  /**
   * From the first fault on, each monitoring signal with `expect.within` has that long to fire;
   * one that has not by then is a detection gap. A drill that ends sooner closes no window.
   */
  private scheduleDetectionGaps(): void {
    const start = this.snapshot.drill.incidentStart;
    if (this.gapsScheduled || start === null || this.setup.mode !== "gameday") return;
    this.gapsScheduled = true;
    this.setup.scenario.signals.forEach((signal, index) => {
      const within = signal.expect?.within;
      if (within === undefined || !isMonitoringSignal(signal)) return;
      this.schedule(this.until(start + within), () => {
        if (!this.live() || this.snapshot.drill.signals.some((s) => s.index === index)) return;
        this.emit({
          type: "detection.gap",
          signal: index,
          name: sourceName(signal),
          withinMs: within,
        });
      });
    });
  }

  /**
   * Polls a monitoring signal every `every` until it fires; then it is shown once, with the
   * alert's own time beside the time firedrill saw it. A server that cannot be asked is noted
   * (once per distinct error) and asked again: the drill goes on.
   */
  private monitoringLoop(index: number, delay: number): void {
    const signal = this.setup.scenario.signals[index];
    const check = this.deps.checkMonitoring;
    if (!signal || !check) return;
    this.schedule(delay, () => {
      if (!this.live() || this.snapshot.drill.signals.some((s) => s.index === index)) return;
      const began = this.deps.clock.now();
      const asked = check(signal, {
        signal: this.probeAbort.signal,
        notBefore: this.startedWall,
        ...(this.deps.env ? { env: this.deps.env } : {}),
      });
      void this.track(asked).then(
        (result) => {
          if (!this.live()) return;
          this.monitoringErrors.delete(index);
          if (result.firing) {
            this.showMonitoringSignal(index, result);
            return;
          }
          this.monitoringLoop(index, Math.max(0, signal.every - (this.deps.clock.now() - began)));
        },
        (error: unknown) => {
          if (!this.live()) return;
          const message = messageOf(error);
          if (this.monitoringErrors.get(index) !== message) {
            this.monitoringErrors.set(index, message);
            this.emit({ type: "note", text: `monitoring: ${message}` });
          }
          this.monitoringLoop(index, Math.max(0, signal.every - (this.deps.clock.now() - began)));
        },
      );
    });
  }

  private showMonitoringSignal(index: number, result: MonitoringCheck): void {
    const signal = this.setup.scenario.signals[index];
    if (!signal || this.snapshot.drill.signals.some((s) => s.index === index)) return;
    const source = signal.alertmanager ? "alertmanager" : "prometheus";
    const value = result.value === undefined ? "" : ` (${result.detail})`;
    this.emit({
      type: "signal.shown",
      signal: index,
      kind: signal.kind,
      text: `${signal.text}${value}`,
      source,
      ...(result.activeAt === undefined
        ? {}
        : {
            activeAt: new Date(result.activeAt).toISOString(),
            activeT: Math.round(result.activeAt - this.startedWall),
          }),
      ...(result.value === undefined ? {} : { value: result.value }),
    });
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

  async dispatch(action: ResponderAction, actor?: Actor): Promise<ActionResult> {
    try {
      return await this.act(action, actor ?? defaultActor(action));
    } catch (error) {
      this.fail(error);
      return { ok: false, error: messageOf(error) };
    }
  }

  private async act(action: ResponderAction, actor: Actor): Promise<ActionResult> {
    const notYours = roleRefusal(actor, action);
    if (notYours) return refuse(notYours);
    // Judge the action against the state as of now, not as of the last tick.
    if (this.live()) {
      const fresh = tick(this.snapshot.drill, this.now());
      if (fresh !== this.snapshot.drill) this.snapshot = { ...this.snapshot, drill: fresh };
    }
    const state = this.snapshot.drill;
    const { status } = this.snapshot;
    const why = refusal(state, action, {
      started: status !== "briefing" && status !== "starting",
      commandRunning: this.commands.running,
      now: this.now(),
    });
    if (why) return refuse(why);
    if (action.type === "abort" || action.type === "cancelCommand") {
      if (action.type === "abort") {
        const by = actor === "responder" ? this.setup.responder : actor;
        this.emit({ type: "aborted", by, reason: action.reason }, actor);
      } else this.commands.cancel();
      return { ok: true };
    }
    if (!this.live()) return refuse("the drill is over");
    const by = this.setup.responder;

    switch (action.type) {
      case "acknowledge":
        this.emit({ type: "acknowledged", by }, actor);
        return { ok: true };
      case "escalate": {
        const rung = state.escalations.find((e) => e.level === action.level);
        if (rung) this.emit({ type: "escalated", level: rung.level, who: rung.who }, actor);
        return { ok: true };
      }
      case "selectProcedure":
        this.emit({ type: "procedure.selected", procedure: action.procedure }, actor);
        return { ok: true };
      case "completeStep":
      case "skipStep": {
        const found = findStep(state, action.step);
        if ("error" in found) return refuse(found.error);
        const { procedure, step } = found;
        if (action.type === "skipStep") {
          this.emit(
            {
              type: "step.skipped",
              procedure: procedure.id,
              step: step.id,
              ...(action.reason ? { reason: action.reason } : {}),
            },
            actor,
          );
          return { ok: true };
        }
        const outcome =
          this.setup.mode === "tabletop"
            ? this.setup.scenario.tabletop.outcomes[step.id]
            : undefined;
        this.emit(
          {
            type: "step.completed",
            procedure: procedure.id,
            step: step.id,
            ...(action.note ? { note: action.note } : {}),
            ...(outcome ? { outcome } : {}),
          },
          actor,
        );
        return { ok: true };
      }
      case "runStepCommand": {
        const found = findStep(state, action.step);
        if ("error" in found) return refuse(found.error);
        const { procedure, step } = found;
        const spec = stepCommandOf(state, procedure.id, step.id);
        if (!spec) return refuse(`step ${step.id} has no command to run`);
        return this.commands.run({
          command: spec.run,
          shell: spec.shell,
          timeoutMs: spec.timeout,
          procedure: procedure.id,
          step: step.id,
        });
      }
      case "runAdHocCommand":
        return this.commands.run({
          command: action.command,
          shell: action.shell ?? false,
          timeoutMs: action.timeoutMs ?? 60_000,
        });
      case "takeHint": {
        const hint = hintFor(state, action.hint);
        if (hint)
          this.emit(
            { type: "hint.taken", hint: hint.index, cost: hint.cost, text: hint.text },
            actor,
          );
        return { ok: true };
      }
      case "giveHint": {
        const hint = hintToGive(state, action.hint);
        if (hint)
          this.emit(
            { type: "hint.taken", hint: hint.index, cost: hint.cost, text: hint.text },
            actor,
          );
        return { ok: true };
      }
      case "pauseClock":
        this.pause();
        this.emit(
          { type: "clock.paused", ...(action.reason ? { reason: action.reason } : {}) },
          actor,
        );
        return { ok: true };
      case "resumeClock": {
        const pausedMs = this.resume();
        this.emit({ type: "clock.resumed", pausedMs: Math.round(pausedMs) }, actor);
        return { ok: true };
      }
      case "endDrill":
        this.emit({ type: "drill.ended", by: actor, reason: action.reason }, actor);
        return { ok: true };
      case "declareMitigated":
        this.emit({ type: "mitigated", by }, actor);
        return { ok: true };
      case "note":
        this.emit(
          { type: "note", text: action.text, ...(action.tag ? { tag: action.tag } : {}) },
          actor,
        );
        return { ok: true };
      case "revealNextSignal": {
        const next = this.setup.scenario.signals.findIndex(
          (_s, index) => !state.signals.some((shown) => shown.index === index),
        );
        this.cancel(this.signalTimers.get(next));
        this.showSignal(next, true, actor);
        return { ok: true };
      }
      case "injectNextFault": {
        // A fault whose apply is in flight is pending in the state but already claimed here.
        const next = state.faults.find((f) => f.status === "pending" && !this.claimed.has(f.index));
        if (!next) return refuse("every fault has been injected");
        this.cancel(this.faultTimers.get(next.index));
        this.faultTimers.delete(next.index);
        await this.applyFault(next.index, actor);
        return { ok: true };
      }
    }
  }

  /** Stops the drill clock: every timer waits, `now()` stands still until resume. */
  private pause(): void {
    if (this.pausedAt !== null) return;
    this.pausedAt = this.deps.clock.now();
    for (const timer of this.timers) this.disarm(timer);
  }

  /** Starts the drill clock again where it stopped; returns how long it was paused. */
  private resume(): number {
    if (this.pausedAt === null) return 0;
    const paused = this.deps.clock.now() - this.pausedAt;
    this.pausedTotal += paused;
    this.pausedAt = null;
    for (const timer of this.timers) this.arm(timer);
    return paused;
  }

  shutdown(reason: string): Promise<DrillState> {
    if (this.ending) return this.ending;
    if (!this.snapshot.drill.ended) {
      this.emit({ type: "aborted", by: "firedrill", reason });
    }
    return this.end();
  }

  stop(stop: DrillStop): Promise<DrillState> {
    if (this.snapshot.stop === null) this.snapshot = { ...this.snapshot, stop };
    return this.shutdown(stopReason(stop));
  }

  /** Stops everything, reverts every fault newest first, writes the summary. Runs once. */
  private end(): Promise<DrillState> {
    if (!this.ending) this.ending = this.cleanUp();
    return this.ending;
  }

  private async cleanUp(): Promise<DrillState> {
    // Let the emit that ended the drill return before the clean-up's own events.
    await Promise.resolve();
    try {
      await this.revertEverything();
    } catch (error) {
      if (!this.snapshot.revert) {
        const failed = [{ index: -1, label: "faults", error: messageOf(error) }];
        this.snapshot = { ...this.snapshot, revert: { reverted: [], failed } };
      }
    } finally {
      // Whatever failed above, the journal is closed and whoever waits for the end hears of it.
      this.record((journal) => journal.close());
      this.journal = null;
      const drill = this.snapshot.drill;
      this.set({
        status: "finished",
        revert: this.snapshot.revert ?? { reverted: [], failed: [] },
      });
      this.resolveFinished(drill);
    }
    return this.snapshot.drill;
  }

  private async revertEverything(): Promise<void> {
    this.set({ status: "ending" });
    for (const timer of this.timers) this.disarm(timer);
    this.timers.clear();
    this.probeAbort.abort();
    // The command that brought recovery is often still exiting when the probe sees it: let it
    // finish for a moment so it is journaled as it ended (and counts), not as cancelled.
    let grace: TimerHandle | undefined;
    if (this.snapshot.drill.result?.outcome === "recovered" && this.commands.running) {
      grace = this.deps.scheduler.setTimeout(() => this.commands.cancel(), RECOVERY_GRACE_MS);
    } else this.commands.cancel();
    // A fault whose apply is still in flight must land in the backend before revertAll sees it.
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    if (grace) this.deps.scheduler.clear(grace);

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
      report.failed.push({ index: -1, label: "faults", error: messageOf(error) });
    }
    this.snapshot = { ...this.snapshot, revert: report };
    for (const fault of report.reverted) {
      this.emit({ type: "fault.reverted", fault: fault.index, label: fault.label, reason });
    }
    for (const failure of report.failed) {
      this.emit({ type: "note", text: `could not revert ${failure.label}: ${failure.error}` });
    }
    try {
      this.watchdog?.stop();
    } catch {
      // the watchdog outlives us at worst, and it only reverts what is already reverted
    }

    const result: DrillResult | null = this.snapshot.drill.result;
    if (result) {
      const wall = this.deps.wallClock ?? Date.now;
      this.record((journal) =>
        journal.summary({
          endedAt: new Date(wall()).toISOString(),
          outcome: result.outcome,
          timings: result.timings,
          withinTarget: result.withinTarget,
          score: result.score,
          grade: result.grade,
          breakdown: result.breakdown,
        }),
      );
    }
  }
}

function refuse(error: string): ActionResult {
  return { ok: false, error };
}
