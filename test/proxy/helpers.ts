import { connect, createServer, type Server, type Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { Toxiproxy } from "toxiproxy-node-client";
import { type ProxyServer, startProxyServer } from "../../src/proxy/index.js";

/** Everything a test opened, closed in afterEach. */
export class Resources {
  private readonly closers: (() => Promise<void> | void)[] = [];

  add(close: () => Promise<void> | void): void {
    this.closers.push(close);
  }

  async closeAll(): Promise<void> {
    const closers = this.closers.splice(0).reverse();
    for (const close of closers) await close();
  }
}

export interface TestServer {
  port: number;
  address: string;
  sockets: Set<Socket>;
}

async function listenServer(
  resources: Resources,
  onSocket: (socket: Socket) => void,
): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  resources.add(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return { port, address: `127.0.0.1:${port}`, sockets };
}

/** Echoes every byte back; half-closes when the client does. */
export function startEcho(resources: Resources): Promise<TestServer> {
  return listenServer(resources, (socket) => {
    socket.on("data", (data) => socket.write(data));
    socket.on("end", () => socket.end());
  });
}

/** Sends `payload` to each client as soon as it connects, then ends its side; `ended` says when the peer ended its side too. */
export async function startSender(
  resources: Resources,
  payload: Buffer,
): Promise<TestServer & { ended: Promise<void>[] }> {
  const ended: Promise<void>[] = [];
  const server = await listenServer(resources, (socket) => {
    ended.push(new Promise((resolve) => socket.once("end", resolve)));
    socket.end(payload);
  });
  return { ...server, ended };
}

/** Accepts and holds connections open, keeping what each one sent and when it ended. */
export async function startRecorder(
  resources: Resources,
): Promise<TestServer & { received: Buffer[]; ended: Promise<void>[] }> {
  const received: Buffer[] = [];
  const ended: Promise<void>[] = [];
  const server = await listenServer(resources, (socket) => {
    const index = received.push(Buffer.alloc(0)) - 1;
    socket.on("data", (data: Buffer) => {
      received[index] = Buffer.concat([received[index]!, data]);
    });
    ended.push(
      new Promise((resolve) => {
        socket.on("end", resolve);
        socket.on("close", resolve);
      }),
    );
  });
  return { ...server, received, ended };
}

export interface Harness {
  server: ProxyServer;
  client: Toxiproxy;
  url: string;
}

export async function startHarness(resources: Resources): Promise<Harness> {
  const server = await startProxyServer({ host: "127.0.0.1", port: 0 });
  resources.add(() => server.stop());
  return { server, client: new Toxiproxy(server.url), url: server.url };
}

/** Creates a proxy in front of `upstream` on a free port and answers its listen port. */
export async function createProxy(
  harness: Harness,
  name: string,
  upstream: string,
): Promise<number> {
  const proxy = await harness.client.createProxy({ name, listen: "127.0.0.1:0", upstream });
  return Number(proxy.listen.split(":").at(-1));
}

export function dial(resources: Resources, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port, allowHalfOpen: true });
    socket.setNoDelay(true);
    resources.add(() => {
      socket.destroy();
    });
    socket.once("connect", () => {
      socket.off("error", reject);
      resolve(socket);
    });
    socket.once("error", reject);
  });
}

export interface Received {
  data: Buffer;
  chunks: number;
  /** ms from the start of reading to each chunk's arrival */
  times: number[];
  /** ms from the start until end/close */
  closedAfter: number;
  error?: NodeJS.ErrnoException;
}

/** Reads until the socket ends or closes (or `limitMs` passes; then closedAfter is Infinity). */
export function readUntilClose(socket: Socket, limitMs = 10_000): Promise<Received> {
  const started = performance.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const times: number[] = [];
    let error: NodeJS.ErrnoException | undefined;
    let done = false;
    const finish = (closedAfter: number) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const result: Received = {
        data: Buffer.concat(chunks),
        chunks: chunks.length,
        times,
        closedAfter,
      };
      if (error) result.error = error;
      resolve(result);
    };
    const timer = setTimeout(() => finish(Number.POSITIVE_INFINITY), limitMs);
    socket.on("data", (data: Buffer) => {
      chunks.push(data);
      times.push(performance.now() - started);
    });
    socket.on("error", (e) => {
      error = e;
    });
    socket.on("end", () => finish(performance.now() - started));
    socket.on("close", () => finish(performance.now() - started));
  });
}

/** Reads exactly `length` bytes (or fails after `limitMs`). */
export function readBytes(socket: Socket, length: number, limitMs = 10_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const timer = setTimeout(
      () => reject(new Error(`timed out with ${total}/${length} bytes`)),
      limitMs,
    );
    const onData = (data: Buffer) => {
      chunks.push(data);
      total += data.length;
      if (total >= length) {
        clearTimeout(timer);
        socket.off("data", onData);
        resolve(Buffer.concat(chunks));
      }
    };
    socket.on("data", onData);
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves true if something accepts TCP connections on the port. */
export function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Round trip of one small message through an echo path, in ms. */
export async function roundTrip(socket: Socket, message = "ping"): Promise<number> {
  const started = performance.now();
  socket.write(message);
  await readBytes(socket, Buffer.byteLength(message));
  return performance.now() - started;
}
