/**
 * One proxied TCP connection: two links (upstream = client→server, downstream = server→client), each
 * a chain of toxic stages between a source socket and a destination socket.
 *
 * Backpressure: bytes read but not yet handed to the destination socket are counted per link; the
 * source is paused above HIGH_WATER (or when the destination's buffer is full) and resumed once both
 * have drained, so a stalled or slow toxic never buffers a whole transfer in memory.
 */
import type { Socket } from "node:net";
import { performance } from "node:perf_hooks";
import type { Stream } from "../model/toxics.js";
import { MAX_READ, type SocketReader } from "./reader.js";
import {
  type Chunk,
  createStage,
  type EndMode,
  type LinkControl,
  type Sink,
  type Stage,
} from "./stages.js";
import type { ToxicDef } from "./toxic-def.js";

const HIGH_WATER = 4 * 1024 * 1024;
const LOW_WATER = HIGH_WATER / 2;
const WRITE_BUFFER = 512 * 1024;
/** What toxics see per chunk: Toxiproxy copies through a 32 KB buffer (Go's io.Copy). */
const TOXIC_CHUNK = 32 * 1024;
/** Reads while toxics are on the link: Node's own size, so toxics hold no more than they did. */
const TOXIC_READ = 64 * 1024;

export class Link implements LinkControl {
  readonly stages: Stage[] = [];
  private inflight = 0;
  private paused = false;
  private waitingDrain = false;
  /** The source finished (or an end was injected): no more input. */
  inputEnded = false;
  /** The end reached the destination. */
  outputEnded = false;
  private readonly sink: Sink;
  private readonly reader: SocketReader | undefined;

  constructor(
    private readonly conn: Connection,
    readonly direction: Stream,
    readonly source: Socket,
    readonly dest: Socket,
    defs: readonly ToxicDef[],
    reader?: SocketReader,
  ) {
    this.sink = {
      push: (chunk) => this.write(chunk),
      end: () => this.finish(),
    };
    for (const def of defs) this.append(createStage(def, this, this.sink));
    for (const stage of this.stages) stage.start();
    this.reader = reader;
    if (reader) reader.onData = (data, buffer) => this.readInto(data, buffer, reader);
    else source.on("data", (data: Buffer) => this.read(data));
    this.chainChanged();
    source.on("end", () => this.endInput("eof"));
    dest.on("drain", () => {
      this.waitingDrain = false;
      this.maybeResume();
    });
  }

  private chainChanged(): void {
    this.reader?.limit(this.stages.length > 0 ? TOXIC_READ : MAX_READ);
  }

  private append(stage: Stage): void {
    const last = this.stages.at(-1);
    if (last) last.next = stage;
    this.stages.push(stage);
  }

  private input(): Sink {
    return this.stages[0] ?? this.sink;
  }

  private read(data: Buffer): void {
    this.inflight += data.length;
    this.input().push({ data, ts: performance.now() });
    if (this.inflight >= HIGH_WATER) this.pause();
  }

  private readInto(data: Buffer, buffer: Buffer, reader: SocketReader): void {
    if (this.stages.length === 0) {
      // No toxics: straight to the destination, and the buffer is read into again once written.
      if (this.outputEnded || this.dest.destroyed) return;
      const queued =
        data === buffer
          ? !this.dest.write(data)
          : !this.dest.write(data, () => reader.recycle(buffer));
      if (queued && this.dest.writableLength >= Math.max(WRITE_BUFFER, 2 * reader.readSize)) {
        this.waitingDrain = true;
        this.pause();
      }
      return;
    }
    // Toxics may hold chunks for a long time: they get their own copies (a small read already is
    // one), in Toxiproxy-sized pieces.
    const ts = performance.now();
    const owned = data === buffer && data.length <= TOXIC_CHUNK;
    for (let start = 0; start < data.length; start += TOXIC_CHUNK) {
      const piece = owned ? data : Buffer.from(data.subarray(start, start + TOXIC_CHUNK));
      this.inflight += piece.length;
      this.input().push({ data: piece, ts });
    }
    reader.recycle(buffer);
    if (this.inflight >= HIGH_WATER) this.pause();
  }

  endInput(mode: EndMode): void {
    if (this.inputEnded) return;
    this.inputEnded = true;
    this.input().end(mode);
  }

  release(bytes: number): void {
    this.inflight -= bytes;
    this.maybeResume();
  }

  private write(chunk: Chunk): void {
    this.inflight -= chunk.data.length;
    if (this.outputEnded || this.dest.destroyed) {
      this.maybeResume();
      return;
    }
    // Let the destination buffer up to WRITE_BUFFER before pausing: pausing at the default 16 KB
    // high-water mark costs a readStop/readStart pair per 64 KB read and halves bulk throughput.
    if (!this.dest.write(chunk.data) && this.dest.writableLength >= WRITE_BUFFER) {
      this.waitingDrain = true;
      this.pause();
    } else {
      this.maybeResume();
    }
  }

  private finish(): void {
    if (this.outputEnded) return;
    this.outputEnded = true;
    this.conn.linkFinished(this);
  }

  private pause(): void {
    if (!this.paused) {
      this.paused = true;
      this.source.pause();
    }
  }

  private maybeResume(): void {
    if (this.paused && !this.waitingDrain && this.inflight < LOW_WATER) {
      this.paused = false;
      if (!this.source.destroyed) this.source.resume();
    }
  }

  addToxic(def: ToxicDef): void {
    if (this.outputEnded) return;
    const previous = this.stages.at(-1);
    // The previous stage lets go of what it holds before it is re-pointed, as in Toxiproxy.
    previous?.interrupt();
    const stage = createStage(def, this, this.sink);
    this.append(stage);
    stage.start();
    previous?.start();
    this.chainChanged();
  }

  updateToxic(name: string): void {
    const stage = this.stages.find((s) => s.def.name === name);
    if (!stage) return;
    stage.interrupt();
    stage.start();
  }

  removeToxic(name: string): void {
    const index = this.stages.findIndex((s) => s.def.name === name);
    if (index < 0) return;
    const stage = this.stages[index]!;
    const previous = this.stages[index - 1];
    const next = this.stages[index + 1] ?? this.sink;
    stage.interrupt();
    if (stage.cleanup()) return; // it closed the connection (timeout toxic)
    this.stages.splice(index, 1);
    this.chainChanged();
    if (previous) previous.next = next;
    if (!stage.keepsRunningAfterRemoval()) {
      for (const item of stage.takeQueue()) {
        if ("end" in item) next.end(item.end);
        else next.push(item);
      }
      stage.dispose();
    }
    if (previous) {
      previous.interrupt();
      previous.start();
    }
  }

  dispose(): void {
    for (const stage of this.stages) stage.dispose();
  }
}

export interface ConnectionOwner {
  connectionClosed(conn: Connection): void;
  connectionError(conn: Connection, side: "client" | "upstream", error: Error): void;
}

export class Connection {
  readonly up: Link;
  readonly down: Link;
  /** A reset_peer toxic existed when the connection opened: closes are RSTs (SO_LINGER 0). */
  readonly lingerZero: boolean;
  private closedSockets = 0;
  private done = false;

  constructor(
    private readonly owner: ConnectionOwner,
    readonly client: Socket,
    readonly upstream: Socket,
    toxics: { upstream: readonly ToxicDef[]; downstream: readonly ToxicDef[] },
    readers: { client?: SocketReader; upstream?: SocketReader } = {},
  ) {
    this.lingerZero = [...toxics.upstream, ...toxics.downstream].some(
      (t) => t.type === "reset_peer",
    );
    this.up = new Link(this, "upstream", client, upstream, toxics.upstream, readers.client);
    this.down = new Link(this, "downstream", upstream, client, toxics.downstream, readers.upstream);
    for (const [socket, side] of [
      [client, "client"],
      [upstream, "upstream"],
    ] as const) {
      socket.on("error", (error) => {
        owner.connectionError(this, side, error);
        socket.destroy();
      });
      socket.on("close", () => {
        // Whatever was read from the gone side still flows on, then the other side closes; if
        // that already happened, nothing can reach this side any more: close the other one now.
        const reading = socket === client ? this.up : this.down;
        reading.endInput("close");
        if (reading.outputEnded) closeAfterFlush(socket === client ? upstream : client);
        this.closedSockets++;
        if (this.closedSockets === 2) this.finished();
      });
    }
  }

  link(direction: Stream): Link {
    return direction === "upstream" ? this.up : this.down;
  }

  /**
   * One direction delivered its end (the source's EOF, or a toxic closing it): as Toxiproxy's
   * link.go does (`dest.Close()`), the whole connection closes, not just that direction.
   */
  linkFinished(link: Link): void {
    if (this.lingerZero) {
      this.reset();
      return;
    }
    closeAfterFlush(link.dest);
    // The other direction reads from the socket just closed: end it the same way, after its data.
    (link === this.up ? this.down : this.up).endInput("close");
  }

  /** Both sockets closed with RST, as a Go close with SO_LINGER 0. */
  reset(): void {
    for (const socket of [this.client, this.upstream]) {
      if (socket.destroyed) continue;
      try {
        socket.resetAndDestroy();
      } catch {
        socket.destroy();
      }
    }
  }

  /** Proxy disabled or deleted: close both sides now. */
  destroy(): void {
    if (this.lingerZero) this.reset();
    this.client.destroy();
    this.upstream.destroy();
  }

  private finished(): void {
    if (this.done) return;
    this.done = true;
    this.up.dispose();
    this.down.dispose();
    this.owner.connectionClosed(this);
  }
}

function closeAfterFlush(socket: Socket): void {
  if (socket.destroyed) return;
  if (socket.writableFinished) {
    socket.destroy();
    return;
  }
  socket.once("finish", () => socket.destroy());
  if (!socket.writableEnded) socket.end();
}
