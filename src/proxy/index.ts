/**
 * firedrill's embedded Toxiproxy-compatible fault proxy, usable in-process:
 *
 *   const server = await startProxyServer({ host: "127.0.0.1", port: 0 });
 *   const toxiproxy = new Toxiproxy(server.url);
 *   ...
 *   await server.stop();
 */
import { createServer, type Server } from "node:http";
import type { Socket } from "node:net";
import { createApiHandler } from "./api.js";
import { ProxyCollection, type ProxyConfig } from "./collection.js";
import { formatHostPort } from "./listen-address.js";
import { type LogEntry, makeLogger } from "./log.js";

export type { ProxyConfig } from "./collection.js";
export type { LogEntry, LogFields, LogLevel } from "./log.js";
export { formatLogLine } from "./log.js";
export { parseToxiproxyConfig } from "./toxiproxy-config.js";

export interface ProxyServerOptions {
  /** API address; default 127.0.0.1. */
  host?: string;
  /** API port; default 8474, 0 picks a free one. */
  port?: number;
  /** Proxies to create before the API answers (Toxiproxy's -config file contents). */
  proxies?: ProxyConfig[];
  /** Receives one entry per proxy/toxic change and per connection error. */
  log?: (entry: LogEntry) => void;
  /** Reported by GET /version. */
  version?: string;
  /** A request's headers must be in within this time (ms), default 10 s; then 408 and close. */
  headersTimeoutMs?: number;
  /** A request's headers and body must be in within this time (ms), default 15 s (Toxiproxy's ReadTimeout). */
  requestTimeoutMs?: number;
}

export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 15_000;

export interface ProxyServer {
  /** Base URL of the API, e.g. http://127.0.0.1:8474 — pass it to toxiproxy-node-client. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Closes the API and every proxy listener and connection. */
  stop(): Promise<void>;
}

export const DEFAULT_VERSION = "2.12.0+firedrill";

export async function startProxyServer(options: ProxyServerOptions = {}): Promise<ProxyServer> {
  const log = makeLogger(options.log);
  const proxies = new ProxyCollection(log);
  if (options.proxies && options.proxies.length > 0) {
    const result = await proxies.populate(options.proxies);
    if (result.error) {
      await proxies.stopAll();
      const failed = options.proxies[result.proxies.length]?.name;
      throw new Error(failed ? `proxy ${failed}: ${result.error.message}` : result.error.message);
    }
  }
  const requestTimeout = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const http = createServer(
    {
      requestTimeout,
      headersTimeout: Math.min(options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS, requestTimeout),
      // Node checks both timeouts only this often (30 s by default).
      connectionsCheckingInterval: Math.min(1_000, Math.max(50, requestTimeout / 4)),
    },
    createApiHandler(proxies, options.version ?? DEFAULT_VERSION),
  );
  const sockets = new Set<Socket>();
  http.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const host = options.host ?? "127.0.0.1";
  try {
    await listen(http, host, options.port ?? 8474);
  } catch (error) {
    await proxies.stopAll();
    throw error;
  }
  const address = http.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  const url = `http://${formatHostPort(host, port)}`;
  let stopping: Promise<void> | undefined;
  return {
    url,
    host,
    port,
    stop() {
      stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => http.close(() => resolve()));
        for (const socket of sockets) socket.destroy();
        await Promise.all([closed, proxies.stopAll()]);
      })();
      return stopping;
    },
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      const reason = error.code === "EADDRINUSE" ? "address already in use" : error.message;
      reject(new Error(`cannot listen on ${formatHostPort(host, port)}: ${reason}`));
    });
    server.listen({ host, port, exclusive: true }, () => resolve());
  });
}
