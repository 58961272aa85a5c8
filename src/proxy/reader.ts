/**
 * Large, adaptive socket reads for the proxy's data path.
 *
 * Node reads a socket 64 KB at a time into a fresh buffer. Through a proxy every byte is read and
 * written once more, and on loopback each of those syscalls also carries the peer's TCP work: with
 * sender, proxy and receiver sharing two cores, 64 KB reads held a bulk transfer to about a third of
 * a direct connection. Reading into our own buffers (net's `onread`) lets one read take everything
 * the kernel has queued, up to MAX_READ, and lets a buffer be read into again once its bytes are in
 * the kernel, so a bulk transfer costs a few large syscalls and no fresh pages.
 *
 * The size adapts per socket: a read that fills its buffer makes the next one 4× larger, up to
 * MAX_READ; a read that uses less than 1/16 of it drops back to MIN_READ.
 *
 * At MIN_READ, every socket reads into one shared buffer and what is read is copied out at once
 * (reads run one at a time on this thread, and a small copy costs less than a buffer per socket):
 * an idle connection holds no read buffer at all. Per-socket buffers, read into again once their
 * bytes are in the kernel, exist only while a socket moves bulk data.
 */
import { Socket, type SocketConstructorOpts } from "node:net";

export const MIN_READ = 16 * 1024;
export const MAX_READ = 4 * 1024 * 1024;
/** Buffers kept for reuse per socket: one being read into, the rest waiting for their writes. */
const SPARES = 2;

/**
 * Receives the bytes read. `data === buffer`: a copy the handler owns. Otherwise `data` is a view
 * of `buffer`, which may be read into again after `reader.recycle(buffer)`.
 */
export type ReadHandler = (data: Buffer, buffer: Buffer) => void;

/** Small reads of every socket land here and are copied out before the next read. */
const shared = Buffer.allocUnsafeSlow(MIN_READ);

export class SocketReader {
  private size = MIN_READ;
  /** The largest read allowed now; lowered while toxics hold what is read. */
  private ceiling = MAX_READ;
  private spare: Buffer[] = [];
  private current: Buffer | undefined;
  onData: ReadHandler = () => {};

  /** For `net.connect({ onread })` and `new Socket({ onread })`. */
  readonly onread = {
    buffer: (): Buffer => this.nextBuffer(),
    callback: (bytes: number, _view: Uint8Array): boolean => {
      const buffer = this.current!;
      this.current = undefined;
      this.adapt(bytes, buffer.length);
      if (buffer === shared) {
        const copy = Buffer.allocUnsafe(bytes);
        shared.copy(copy, 0, 0, bytes);
        this.onData(copy, copy);
      } else {
        this.onData(buffer.subarray(0, bytes), buffer);
      }
      return true;
    },
  };

  /** The size of the next read: what a writer may keep queued without stalling the reads. */
  get readSize(): number {
    return this.size;
  }

  /** Caps the reads (from the next one on): toxics buffer what is read, bulk reads only pay off without them. */
  limit(ceiling: number): void {
    this.ceiling = ceiling;
    if (this.size > ceiling) {
      this.size = Math.max(MIN_READ, ceiling);
      this.spare = [];
    }
  }

  recycle(buffer: Buffer): void {
    if (buffer.length === this.size && buffer !== shared && this.spare.length < SPARES) {
      this.spare.push(buffer);
    }
  }

  private nextBuffer(): Buffer {
    const buffer =
      this.size <= MIN_READ ? shared : (this.spare.pop() ?? Buffer.allocUnsafeSlow(this.size));
    this.current = buffer;
    return buffer;
  }

  private adapt(bytes: number, length: number): void {
    if (bytes === length && this.size < this.ceiling) {
      this.size = Math.min(this.ceiling, this.size * 4);
      this.spare = [];
    } else if (bytes < length / 16 && this.size > MIN_READ) {
      this.size = MIN_READ;
      this.spare = [];
    }
  }
}

interface WithHandle {
  _handle?: { readStart?: unknown } | null;
}

/**
 * A server only hands out sockets that read Node's way; this moves an accepted socket's handle,
 * still paused by `pauseOnConnect`, into a socket that reads through `reader`. It relies on net's
 * `_handle` field and `handle` option (how Node itself builds accepted and IPC-passed sockets);
 * where those differ, it returns undefined and the caller keeps the accepted socket as it is.
 */
export function adoptAccepted(accepted: Socket, reader: SocketReader): Socket | undefined {
  const shell = accepted as unknown as WithHandle;
  const handle = shell._handle;
  if (accepted.destroyed || !handle || typeof handle.readStart !== "function") return undefined;
  shell._handle = null;
  let socket: Socket;
  try {
    socket = new Socket({
      handle,
      allowHalfOpen: true,
      readable: true,
      writable: true,
      onread: reader.onread,
    } as SocketConstructorOpts);
  } catch {
    shell._handle = handle;
    return undefined;
  }
  // The handle-less shell closes without touching the connection; the server stops counting it.
  accepted.destroy();
  return socket;
}
