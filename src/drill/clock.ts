/** Milliseconds on a monotonic clock; only differences are meaningful. */
export interface Clock {
  now(): number;
}

/** An opaque timer handle; only the scheduler that made it can clear it. */
export type TimerHandle = { readonly timer: unknown };

export interface Scheduler {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clear(handle: TimerHandle): void;
}

/** The process clock: monotonic, so a wall-clock jump (NTP, DST) never distorts a drill's timings. */
export const systemClock: Clock = { now: () => performance.now() };

export const systemScheduler: Scheduler = {
  setTimeout(fn, ms) {
    return { timer: setTimeout(fn, Math.max(0, ms)) };
  },
  clear(handle) {
    clearTimeout(handle.timer as ReturnType<typeof setTimeout>);
  },
};

interface FakeTimer {
  id: number;
  due: number;
  fn: () => void;
}

/**
 * A clock and scheduler that only move when told to, so a thirty-minute drill runs in a unit test
 * in milliseconds. Timers fire in due order (ties in creation order), each seeing `now()` equal to
 * its due time.
 */
export class FakeClock implements Clock, Scheduler {
  private current: number;
  private nextId = 1;
  private timers: FakeTimer[] = [];

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer = { id: this.nextId++, due: this.current + Math.max(0, ms), fn };
    this.timers.push(timer);
    return { timer: timer.id };
  }

  clear(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.id !== handle.timer);
  }

  /** Timers not yet fired. */
  get pending(): number {
    return this.timers.length;
  }

  private takeNext(until: number): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const t of this.timers) {
      if (t.due > until) continue;
      if (!best || t.due < best.due || (t.due === best.due && t.id < best.id)) best = t;
    }
    if (best) this.timers = this.timers.filter((t) => t !== best);
    return best;
  }

  /** Moves time forward synchronously, firing every timer due on the way. */
  advance(ms: number): void {
    const until = this.current + ms;
    for (let t = this.takeNext(until); t; t = this.takeNext(until)) {
      this.current = t.due;
      t.fn();
    }
    this.current = until;
  }

  /**
   * Moves time forward, letting promises settle after every timer: the session awaits backends,
   * probes and commands, and their continuations must run before the next timer fires.
   */
  async advanceAsync(ms: number): Promise<void> {
    const until = this.current + ms;
    await settle();
    for (let t = this.takeNext(until); t; t = this.takeNext(until)) {
      this.current = t.due;
      t.fn();
      await settle();
    }
    this.current = until;
    await settle();
  }
}

/** Lets pending promise continuations (and I/O callbacks already queued) run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
