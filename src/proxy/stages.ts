/**
 * Per-connection runtimes of each toxic ("stubs" in Toxiproxy). A link is a chain of stages; each one
 * receives chunks in order, holds or alters them, and forwards them to the next stage or the socket.
 *
 * Toxiproxy semantics kept here:
 * - toxicity is drawn each time a stage (re)starts: when the connection opens and whenever the
 *   chain around it changes (the stage itself updated, a toxic added after it, the one after it
 *   removed); a miss makes the stage a pass-through until the next draw;
 * - interrupting a stage (for a chain change) releases the chunk it holds at once, never drops it;
 * - latency delays are measured from when the chunk was read, so chained latencies add up.
 */
import { performance } from "node:perf_hooks";
import type { ToxicDef } from "./toxic-def.js";

/** The last stretch of a wait is spun with setImmediate; timers only have whole milliseconds. */
const SPIN_MS = 0.3;

export interface Chunk {
  data: Buffer;
  /** performance.now() when read from the socket, moved forward by latency toxics. */
  ts: number;
}
/** "eof": the source finished normally; "close": a toxic (or an error) ends the connection. */
export type EndMode = "eof" | "close";
type Item = Chunk | { end: EndMode };

export interface Sink {
  push(chunk: Chunk): void;
  end(mode: EndMode): void;
}

/** What a stage may tell its link: bytes it discarded are no longer in flight. */
export interface LinkControl {
  release(bytes: number): void;
}

function isEnd(item: Item): item is { end: EndMode } {
  return "end" in item;
}

export abstract class Stage implements Sink {
  protected queue: Item[] = [];
  protected active = false;
  protected running = false;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  /** Has forwarded its end; anything arriving later is discarded. */
  closed = false;

  constructor(
    readonly def: ToxicDef,
    protected readonly link: LinkControl,
    public next: Sink,
  ) {}

  protected get attrs(): Record<string, number> {
    return this.def.attributes;
  }

  push(chunk: Chunk): void {
    if (this.closed) {
      this.link.release(chunk.data.length);
      return;
    }
    this.queue.push(chunk);
    if (this.running) this.pump();
  }

  end(mode: EndMode): void {
    if (this.closed) return;
    this.queue.push({ end: mode });
    if (this.running) this.pump();
  }

  /** (Re)starts the toxic with a fresh toxicity draw, like ToxicStub.Run. */
  start(): void {
    if (this.closed) return;
    this.running = true;
    this.active = Math.random() < this.def.toxicity;
    this.onStart();
    this.pump();
  }

  /** Stops the toxic so the chain can change; whatever it holds mid-flight goes on at once. */
  interrupt(): void {
    if (!this.running || this.closed) return;
    this.running = false;
    this.cancelWake();
    if (this.active) this.releaseInHand();
  }

  /** For removal, after interrupt(): everything still queued, in order. */
  takeQueue(): Item[] {
    const items = this.queue;
    this.queue = [];
    return items;
  }

  /** Removal hook: true if the stage ended the connection instead of handing its data on. */
  cleanup(): boolean {
    return false;
  }

  /** Removal hook: true if the stage must stay alive after removal (a reset already under way). */
  keepsRunningAfterRemoval(): boolean {
    return false;
  }

  dispose(): void {
    this.cancelWake();
    this.running = false;
    this.closed = true;
    this.queue = [];
  }

  protected onStart(): void {}
  protected releaseInHand(): void {}
  protected abstract pumpActive(): void;

  protected pump(): void {
    if (!this.running || this.closed) return;
    if (this.active) {
      this.pumpActive();
      return;
    }
    while (this.queue.length > 0 && !this.closed && this.running) {
      this.forward(this.queue.shift()!);
    }
  }

  protected forward(item: Item): void {
    if (isEnd(item)) {
      this.closed = true;
      this.cancelWake();
      this.dropQueue();
      this.next.end(item.end);
    } else {
      this.next.push(item);
    }
  }

  /** Ends the output now (timeout, limit_data, reset_peer), discarding anything queued. */
  protected closeOutput(mode: EndMode): void {
    if (this.closed) return;
    this.forward({ end: mode });
  }

  protected dropQueue(): void {
    for (const item of this.queue) if (!isEnd(item)) this.link.release(item.data.length);
    this.queue = [];
  }

  protected get waiting(): boolean {
    return this.timer !== undefined || this.immediate !== undefined;
  }

  /**
   * Runs `then` at `due` (performance.now() time) and pumps again. Timers are armed in whole
   * milliseconds and may fire a little early; an early wake waits again, and only the last SPIN_MS
   * is spun with setImmediate (spinning the last 1.5 ms kept half a core busy at 20 connections).
   */
  protected wakeAt(due: number, then: () => void): void {
    this.cancelWake();
    const fire = () => {
      this.timer = undefined;
      this.immediate = undefined;
      const remaining = due - performance.now();
      if (remaining > SPIN_MS) {
        this.timer = setTimeout(fire, Math.ceil(remaining));
      } else if (remaining > 0.02) {
        this.immediate = setImmediate(fire);
      } else if (!this.closed) {
        then();
        this.pump();
      }
    };
    // Never fire synchronously: callers are mid-loop over the queue.
    const remaining = due - performance.now();
    if (remaining > SPIN_MS) this.timer = setTimeout(fire, Math.ceil(remaining));
    else this.immediate = setImmediate(fire);
  }

  protected cancelWake(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }
}

class NoopStage extends Stage {
  protected override pumpActive(): void {
    while (this.queue.length > 0 && !this.closed && this.running) this.forward(this.queue.shift()!);
  }
}

/** latency ± jitter per chunk, measured from when the chunk was read. */
class LatencyStage extends Stage {
  /** For the chunk in hand: Toxiproxy's sleep (delay minus time already spent) and its deadline. */
  private headSleep = 0;
  private headDue: number | undefined;

  private delay(): number {
    const latency = this.attrs.latency ?? 0;
    const jitter = this.attrs.jitter ?? 0;
    return jitter > 0 ? latency + Math.floor(Math.random() * 2 * jitter) - jitter : latency;
  }

  private pass(head: Chunk): void {
    this.queue.shift();
    this.headDue = undefined;
    this.forward({ data: head.data, ts: head.ts + this.headSleep });
  }

  protected override pumpActive(): void {
    while (this.queue.length > 0 && !this.waiting && !this.closed && this.running) {
      const head = this.queue[0]!;
      if (isEnd(head)) {
        this.forward(this.queue.shift()!);
        return;
      }
      const now = performance.now();
      if (this.headDue === undefined) {
        this.headSleep = this.delay() - (now - head.ts);
        this.headDue = now + this.headSleep;
      }
      if (this.headDue - now <= 0.02) {
        this.pass(head);
        continue;
      }
      this.wakeAt(this.headDue, () => this.pass(head));
    }
  }

  protected override releaseInHand(): void {
    if (this.headDue === undefined) return;
    this.headDue = undefined;
    const head = this.queue.shift();
    if (head) this.forward(head);
  }
}

/** rate KB/s (1 KB = 1000 bytes); large chunks go out in 100 ms slices; rate 0 stalls. */
class BandwidthStage extends Stage {
  /** Toxiproxy's carried-over sleep (ms): timer overshoot on one chunk shortens the next wait. */
  private debt = 0;
  private charged = false;

  protected override onStart(): void {
    this.debt = 0;
    this.charged = false;
  }

  protected override pumpActive(): void {
    while (this.queue.length > 0 && !this.waiting && !this.closed && this.running) {
      const head = this.queue[0]!;
      if (isEnd(head)) {
        this.forward(this.queue.shift()!);
        return;
      }
      const rate = this.attrs.rate ?? 0;
      if (rate <= 0) {
        this.charged = true; // held until the toxic changes, as Toxiproxy does with rate 0
        return;
      }
      if (!this.charged) {
        this.debt += head.data.length / rate;
        this.charged = true;
      }
      const slice = rate * 100;
      if (head.data.length > slice) {
        this.wakeAt(performance.now() + 100, () => {
          this.queue[0] = { data: head.data.subarray(slice), ts: head.ts };
          this.debt -= 100;
          this.forward({ data: head.data.subarray(0, slice), ts: head.ts });
        });
        return;
      }
      if (this.debt <= 0) {
        this.queue.shift();
        this.charged = false;
        this.forward(head);
        continue;
      }
      const started = performance.now();
      this.wakeAt(started + this.debt, () => {
        this.debt -= performance.now() - started;
        this.queue.shift();
        this.charged = false;
        this.forward(head);
      });
    }
  }

  protected override releaseInHand(): void {
    if (!this.charged) return;
    this.charged = false;
    const head = this.queue.shift();
    if (head) this.forward(head);
  }
}

/** Holds the end of the stream for `delay` ms; data passes untouched. */
class SlowCloseStage extends Stage {
  protected override pumpActive(): void {
    while (this.queue.length > 0 && !this.waiting && !this.closed && this.running) {
      const head = this.queue[0]!;
      if (!isEnd(head)) {
        this.forward(this.queue.shift()!);
        continue;
      }
      this.wakeAt(performance.now() + (this.attrs.delay ?? 0), () => {
        this.forward(this.queue.shift()!);
      });
      return;
    }
  }
}

/** Drops all data; closes `timeout` ms after the last chunk (0: holds forever). */
class TimeoutStage extends Stage {
  protected override onStart(): void {
    if (this.active) this.arm();
  }

  private arm(): void {
    const timeout = this.attrs.timeout ?? 0;
    if (timeout > 0) this.wakeAt(performance.now() + timeout, () => this.closeOutput("close"));
  }

  protected override pumpActive(): void {
    while (this.queue.length > 0 && !this.closed && this.running) {
      const item = this.queue.shift()!;
      if (isEnd(item)) {
        this.forward(item);
        return;
      }
      this.link.release(item.data.length);
      this.arm();
    }
  }

  override cleanup(): boolean {
    if (!this.active) return false;
    this.closeOutput("close");
    return true;
  }
}

/** On the first chunk (or end), waits `timeout` ms, then drops everything and ends with a reset. */
class ResetPeerStage extends Stage {
  private resetTimer: NodeJS.Timeout | undefined;

  protected override pumpActive(): void {
    if (this.queue.length === 0 || this.resetTimer !== undefined || this.closed) return;
    this.resetTimer = setTimeout(() => {
      this.resetTimer = undefined;
      this.closeOutput("close");
    }, this.attrs.timeout ?? 0);
  }

  /** Once a reset is under way nothing passes any more, whatever a re-draw says (Toxiproxy blocks). */
  protected override pump(): void {
    if (this.resetTimer === undefined) super.pump();
  }

  override keepsRunningAfterRemoval(): boolean {
    return this.resetTimer !== undefined;
  }

  override dispose(): void {
    if (this.resetTimer !== undefined) clearTimeout(this.resetTimer);
    this.resetTimer = undefined;
    super.dispose();
  }
}

/** Cuts each chunk into slices of average_size ± size_variation bytes, `delay` µs apart. */
class SlicerStage extends Stage {
  private offsets: number[] | undefined;
  private index = 0;
  private nextDue = 0;

  protected override pumpActive(): void {
    while (this.queue.length > 0 && !this.waiting && !this.closed && this.running) {
      const head = this.queue[0]!;
      if (isEnd(head)) {
        this.forward(this.queue.shift()!);
        return;
      }
      const now = performance.now();
      if (this.offsets === undefined) {
        this.offsets = [];
        sliceOffsets(
          0,
          head.data.length,
          this.attrs.average_size ?? 1,
          this.attrs.size_variation ?? 0,
          this.offsets,
        );
        this.index = 0;
        this.nextDue = Math.max(this.nextDue, now);
      }
      if (this.nextDue - now > 0.02) {
        this.wakeAt(this.nextDue, () => {});
        return;
      }
      if (this.index * 2 >= this.offsets.length) {
        this.queue.shift();
        this.offsets = undefined;
        continue;
      }
      const from = this.offsets[this.index * 2]!;
      const to = this.offsets[this.index * 2 + 1]!;
      this.index++;
      // A virtual clock: late timers are caught up in a burst, so the average pace holds.
      this.nextDue += (this.attrs.delay ?? 0) / 1000;
      if (to > from) this.forward({ data: head.data.subarray(from, to), ts: head.ts });
    }
  }

  protected override releaseInHand(): void {
    if (this.offsets === undefined) return;
    const head = this.queue.shift() as Chunk | undefined;
    const from = this.offsets[this.index * 2];
    this.offsets = undefined;
    if (head && from !== undefined && from < head.data.length) {
      this.forward({ data: head.data.subarray(from), ts: head.ts });
    }
  }
}

/** Splits [start, end) about in half (± variation) until pieces are within average ± variation. */
export function sliceOffsets(
  start: number,
  end: number,
  average: number,
  variation: number,
  out: number[],
): void {
  if (end - start - average <= variation) {
    out.push(start, end);
    return;
  }
  let mid = start + Math.floor((end - start) / 2);
  if (variation > 0) mid += Math.floor(Math.random() * 2 * variation) - variation;
  sliceOffsets(start, mid, average, variation, out);
  sliceOffsets(mid, end, average, variation, out);
}

/** Passes `bytes` bytes in total (counted across toxic updates), then closes. */
class LimitDataStage extends Stage {
  private transmitted = 0;

  protected override pumpActive(): void {
    while (this.queue.length > 0 && !this.closed && this.running) {
      const item = this.queue.shift()!;
      if (isEnd(item)) {
        this.forward(item);
        return;
      }
      const limit = this.attrs.bytes ?? 0;
      const remaining = Math.max(0, limit - this.transmitted);
      let data = item.data;
      if (data.length > remaining) {
        this.link.release(data.length - remaining);
        data = data.subarray(0, remaining);
      }
      if (data.length > 0) {
        this.transmitted += data.length;
        this.forward({ data, ts: item.ts });
      }
      if (limit - this.transmitted <= 0) {
        this.closeOutput("close");
        return;
      }
    }
  }
}

export function createStage(def: ToxicDef, link: LinkControl, next: Sink): Stage {
  switch (def.type) {
    case "latency":
      return new LatencyStage(def, link, next);
    case "bandwidth":
      return new BandwidthStage(def, link, next);
    case "slow_close":
      return new SlowCloseStage(def, link, next);
    case "timeout":
      return new TimeoutStage(def, link, next);
    case "reset_peer":
      return new ResetPeerStage(def, link, next);
    case "slicer":
      return new SlicerStage(def, link, next);
    case "limit_data":
      return new LimitDataStage(def, link, next);
    case "noop":
      return new NoopStage(def, link, next);
  }
}
