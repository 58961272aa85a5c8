import { connect, type Socket } from "node:net";
import { readLines } from "./line-protocol.js";

/** A dependency call that failed; `message` is what /health reports, e.g. "timed out after 300ms". */
export class DependencyError extends Error {}

/** One persistent connection to a line-protocol server; at most one request in flight. */
class LineConnection {
  private waiting?: { resolve(line: string): void; reject(error: Error): void };
  broken = false;

  constructor(
    readonly socket: Socket,
    readonly generation: number,
  ) {
    readLines(socket, (line) => {
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.resolve(line);
    });
    const fail = (error: Error) => {
      this.broken = true;
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.reject(error);
    };
    socket.on("error", (error: NodeJS.ErrnoException) =>
      fail(new DependencyError(error.code ?? error.message)),
    );
    socket.on("close", () => fail(new DependencyError("connection closed")));
  }

  /** `budgetMs` is the caller's whole deadline, named in the error (it may include queueing). */
  request(line: string, timeoutMs: number, budgetMs = timeoutMs): Promise<string> {
    if (this.broken) return Promise.reject(new DependencyError("connection closed"));
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => {
          // The reply may still arrive later and would be read as the answer to the next request.
          this.broken = true;
          this.waiting = undefined;
          this.socket.destroy();
          reject(new DependencyError(`timed out after ${Math.round(budgetMs)}ms`));
        },
        Math.max(0, timeoutMs),
      );
      this.waiting = {
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.socket.write(`${line}\n`);
    });
  }

  destroy(): void {
    this.broken = true;
    this.socket.destroy();
  }
}

function open(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(
      () => {
        socket.destroy();
        reject(new DependencyError(`connect timed out after ${Math.round(timeoutMs)}ms`));
      },
      Math.max(0, timeoutMs),
    );
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.setNoDelay(true);
      socket.removeAllListeners("error");
      resolve(socket);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new DependencyError(error.code ?? error.message));
    });
  });
}

interface Waiter {
  resolve(connection: LineConnection): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
  deadline: number;
}

export interface PoolStats {
  size: number;
  open: number;
  busy: number;
  idle: number;
  waiting: number;
}

/**
 * A fixed-size pool of line-protocol connections, like an application's database pool: when every
 * connection is busy (a slow dependency holds them), callers queue and time out, which is the
 * failure mode the pool-size admin endpoint exists to relieve.
 */
export class LinePool {
  private generation = 0;
  private connecting = 0;
  private readonly open = new Set<LineConnection>();
  private readonly busy = new Set<LineConnection>();
  private idle: LineConnection[] = [];
  private waiters: Waiter[] = [];
  private closed = false;

  constructor(
    private target: { host: string; port: number },
    private size: number,
  ) {}

  get address(): string {
    return `${this.target.host}:${this.target.port}`;
  }

  stats(): PoolStats {
    return {
      size: this.size,
      open: this.open.size + this.connecting,
      busy: this.busy.size,
      idle: this.idle.length,
      waiting: this.waiters.length,
    };
  }

  /** Points new connections at `target`; idle ones close now, busy ones when released. */
  retarget(target: { host: string; port: number }): void {
    this.target = target;
    this.generation++;
    for (const connection of this.idle) this.discard(connection);
    this.idle = [];
    this.fillWaiters();
  }

  resize(size: number): void {
    this.size = size;
    while (this.idle.length > 0 && this.open.size > size) this.discard(this.idle.pop()!);
    this.fillWaiters();
  }

  /** Sends one command and returns the reply line, all within `timeoutMs` including the queue. */
  async query(line: string, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    const connection = await this.acquire(deadline, timeoutMs);
    let reusable = false;
    try {
      const reply = await connection.request(line, deadline - Date.now(), timeoutMs);
      reusable = true;
      return reply;
    } finally {
      this.release(connection, reusable);
    }
  }

  close(): void {
    this.closed = true;
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new DependencyError("pool closed"));
    }
    this.waiters = [];
    for (const connection of this.open) connection.destroy();
    this.open.clear();
    this.busy.clear();
    this.idle = [];
  }

  private acquire(deadline: number, timeoutMs: number): Promise<LineConnection> {
    if (this.closed) return Promise.reject(new DependencyError("pool closed"));
    for (let connection = this.idle.pop(); connection; connection = this.idle.pop()) {
      if (!connection.broken && connection.generation === this.generation) {
        this.busy.add(connection);
        return Promise.resolve(connection);
      }
      this.discard(connection);
    }
    if (this.open.size + this.connecting < this.size) return this.connectFor(deadline);
    return new Promise<LineConnection>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        deadline,
        timer: setTimeout(
          () => {
            this.waiters = this.waiters.filter((w) => w !== waiter);
            const { size, busy } = this.stats();
            reject(
              new DependencyError(
                `pool exhausted: no connection within ${Math.round(timeoutMs)}ms (size ${size}, busy ${busy})`,
              ),
            );
          },
          Math.max(0, deadline - Date.now()),
        ),
      };
      this.waiters.push(waiter);
    });
  }

  private async connectFor(deadline: number): Promise<LineConnection> {
    this.connecting++;
    const generation = this.generation;
    const { host, port } = this.target;
    try {
      const socket = await open(host, port, deadline - Date.now());
      const connection = new LineConnection(socket, generation);
      if (this.closed) {
        connection.destroy();
        throw new DependencyError("pool closed");
      }
      this.open.add(connection);
      this.busy.add(connection);
      return connection;
    } finally {
      this.connecting--;
    }
  }

  private release(connection: LineConnection, reusable: boolean): void {
    this.busy.delete(connection);
    if (
      !reusable ||
      connection.broken ||
      connection.generation !== this.generation ||
      this.open.size > this.size ||
      this.closed
    ) {
      this.discard(connection);
      this.fillWaiters();
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter) {
      clearTimeout(waiter.timer);
      this.busy.add(connection);
      waiter.resolve(connection);
      return;
    }
    this.idle.push(connection);
  }

  private discard(connection: LineConnection): void {
    connection.destroy();
    this.open.delete(connection);
  }

  /** Opens connections for queued callers while there is room (after a discard, resize or retarget). */
  private fillWaiters(): void {
    while (this.waiters.length > 0 && this.open.size + this.connecting < this.size) {
      const waiter = this.waiters.shift()!;
      clearTimeout(waiter.timer);
      this.connectFor(waiter.deadline).then(waiter.resolve, waiter.reject);
    }
  }
}
