import { closingLines, type DrillOutcome, endedOutcome, exitCodeOf } from "../drill/outcome.js";
import type { DrillSession, ResponderAction, SessionSnapshot } from "../drill/session.js";
import type {
  DrillClosing,
  DrillPort,
  DrillSnapshot,
  LiveCommand,
  ShutdownReport,
} from "./drill-port.js";

/**
 * Whether a new session snapshot changes anything on screen. The engine ticks `elapsed` four times
 * a second; the cockpit keeps its own once-a-second clock, so a bare tick is not a change.
 */
function changed(a: SessionSnapshot, b: SessionSnapshot): boolean {
  if (
    a.status !== b.status ||
    a.running !== b.running ||
    a.output !== b.output ||
    a.journalPath !== b.journalPath ||
    a.revert !== b.revert ||
    a.error !== b.error ||
    a.stop !== b.stop
  )
    return true;
  const x = a.drill;
  const y = b.drill;
  if (x.events !== y.events || x.phase !== y.phase || x.ended !== y.ended) return true;
  return x.hints.some((h, i) => h.available !== y.hints[i]?.available);
}

/**
 * A change made only of probe results: the cockpit's once-a-second clock picks it up at the next
 * tick instead of drawing a frame per probe check (gameday checks every probe every second).
 */
function onlyProbeResults(a: SessionSnapshot, b: SessionSnapshot): boolean {
  if (a.status !== b.status || a.running !== b.running || a.output !== b.output) return false;
  if (a.revert !== b.revert || a.error !== b.error || a.journalPath !== b.journalPath) return false;
  if (a.stop !== b.stop) return false;
  const x = a.drill;
  const y = b.drill;
  if (x.phase !== y.phase || x.ended !== y.ended || y.events.length <= x.events.length)
    return false;
  if (x.hints.some((h, i) => h.available !== y.hints[i]?.available)) return false;
  for (let i = x.events.length; i < y.events.length; i++) {
    if (y.events[i]?.event.type !== "probe.result") return false;
  }
  return true;
}

function liveCommand(s: SessionSnapshot): LiveCommand | undefined {
  if (s.running) {
    return {
      command: s.running.command,
      offRunbook: s.running.offRunbook,
      ...(s.running.procedure ? { procedure: s.running.procedure } : {}),
      ...(s.running.step ? { step: s.running.step } : {}),
      startedAt: s.running.startedT,
      output: s.output,
      running: true,
    };
  }
  const last = s.drill.commands[0];
  if (!last) return undefined;
  return {
    command: last.command,
    offRunbook: last.offRunbook,
    ...(last.procedure ? { procedure: last.procedure } : {}),
    ...(last.step ? { step: last.step } : {}),
    startedAt: last.t - last.durationMs,
    output: last.notRun
      ? (last.outcome?.split("\n") ?? [])
      : s.output.length > 0
        ? s.output
        : (last.outputTail?.split("\n") ?? []),
    running: false,
    exitCode: last.exitCode,
    durationMs: last.durationMs,
    ...(last.cancelled ? { cancelled: true } : {}),
    ...(last.notRun ? { notRun: last.notRun } : {}),
  };
}

function cleanupText(s: SessionSnapshot): string | undefined {
  if (!s.revert) return undefined;
  const n = s.revert.reverted.length;
  const failed = s.revert.failed.map((f) => `${f.label}: ${f.error}`);
  return `${n} fault${n === 1 ? "" : "s"} reverted${failed.length ? `; NOT reverted: ${failed.join("; ")}` : ""}`;
}

export interface PortContext {
  /** the Toxiproxy the drill used, for the clean-up command when a fault stays applied */
  toxiproxyUrl?: string;
  /** the lifecycle's outcome once the drill has started (it carries the --push report) */
  outcome?: () => Promise<DrillOutcome> | undefined;
  /** `run --share`: who has joined the drill, and a way to hear when that changes */
  joined?: { text(): string; subscribe(onChange: () => void): () => void };
}

/** The engine's session seen through the TUI's port. */
export function sessionPort(session: DrillSession, context: PortContext = {}): DrillPort {
  let source = session.getSnapshot();
  let notice: string | undefined;
  const build = (): DrillSnapshot => {
    const command = liveCommand(source);
    const cleanup = cleanupText(source);
    return {
      state: source.drill,
      drillId: session.drillId,
      ...(command ? { command } : {}),
      ...(source.journalPath ? { journalPath: source.journalPath } : {}),
      ...(cleanup ? { cleanup } : {}),
      ...(notice ? { notice } : {}),
      ...(source.stop ? { stop: source.stop } : {}),
      ...(context.joined ? { joined: context.joined.text() } : {}),
    };
  };
  let current = build();
  const listeners = new Set<() => void>();
  const refresh = () => {
    current = build();
    for (const listener of [...listeners]) listener();
  };
  context.joined?.subscribe(() => refresh());
  session.subscribe((next) => {
    const visible = changed(source, next);
    const later = visible && onlyProbeResults(source, next);
    source = next;
    if (visible && !later) refresh();
    // Up to date for whoever draws next, without asking anyone to draw now.
    else current = later ? build() : { ...current, state: next.drill };
  });
  return {
    snapshot: () => current,
    subscribe(onChange) {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    elapsed: () => session.now(),
    dispatch(action: ResponderAction) {
      void session.dispatch(action).then((result) => {
        const next = result.ok ? undefined : result.error;
        if (next !== notice) {
          notice = next;
          refresh();
        }
      });
    },
    async shutdown(reason: string): Promise<ShutdownReport> {
      await session.shutdown(reason);
      const s = session.getSnapshot();
      return {
        reverted: s.revert?.reverted.length ?? 0,
        failed: (s.revert?.failed ?? []).map((f) => `${f.label}: ${f.error}`),
        ...(s.journalPath ? { journalPath: s.journalPath } : {}),
      };
    },
    stop(stop) {
      void session.stop(stop);
    },
    async closing(): Promise<DrillClosing> {
      await session.finished;
      const snapshot = session.getSnapshot();
      const outcome = (await context.outcome?.()) ?? endedOutcome(snapshot, context.toxiproxyUrl);
      return {
        exitCode: exitCodeOf(outcome),
        lines: closingLines(outcome),
        stopped: snapshot.stop !== null,
      };
    },
  };
}
