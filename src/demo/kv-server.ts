import { createServer, type Server } from "node:net";
import { readLines } from "./line-protocol.js";
import { listenTracked } from "./listen.js";
import { Counter, Histogram, metricsText } from "./shop-metrics.js";

/**
 * The demo's database and cache: an in-memory key/value store speaking one command per line, so a
 * proxy toxic on the connection (latency, timeout, reset, bandwidth) hurts the caller for real.
 *
 *   PING            → PONG
 *   GET key         → VALUE text | NIL
 *   SET key text    → OK
 *   DEL key         → OK
 *   INCR key        → VALUE n
 *   KEYS            → VALUE count
 *   anything else   → ERR reason
 *
 * A connection whose first line is `GET /metrics HTTP/1.x` gets the store's metrics as an HTTP
 * answer instead, so Prometheus scrapes the store on the port it serves.
 */
export interface KvServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

export interface KvServerOptions {
  host?: string;
  port?: number;
  /** initial contents, e.g. the product catalogue both db primary and replica start with */
  seed?: Record<string, string>;
}

/** The catalogue primary and replica share, so a failover serves the same products. */
export function demoCatalogue(): Record<string, string> {
  const seed: Record<string, string> = {};
  for (let n = 1; n <= 20; n++) {
    seed[`sku:${n}`] = JSON.stringify({ sku: n, name: `Widget ${n}`, priceCents: 500 + n * 25 });
    seed[`stock:${n}`] = "1000";
  }
  return seed;
}

export function answer(store: Map<string, string>, line: string): string {
  const [command = "", key, ...rest] = line.trim().split(" ");
  switch (command.toUpperCase()) {
    case "PING":
      return "PONG";
    case "GET": {
      if (!key) return "ERR GET needs a key";
      const value = store.get(key);
      return value === undefined ? "NIL" : `VALUE ${value}`;
    }
    case "SET":
      if (!key || rest.length === 0) return "ERR SET needs a key and a value";
      store.set(key, rest.join(" "));
      return "OK";
    case "DEL":
      if (!key) return "ERR DEL needs a key";
      store.delete(key);
      return "OK";
    case "INCR": {
      if (!key) return "ERR INCR needs a key";
      const next = (Number(store.get(key) ?? "0") || 0) + 1;
      store.set(key, String(next));
      return `VALUE ${next}`;
    }
    case "KEYS":
      return `VALUE ${store.size}`;
    default:
      return `ERR unknown command ${JSON.stringify(command)}`;
  }
}

const COMMANDS = ["PING", "GET", "SET", "DEL", "INCR", "KEYS"];

/** The store's commands, counted and timed, by command name (unknown ones as `other`). */
function kvInstruments() {
  const commands = new Counter("shop_kv_commands", "Commands answered, by command and result.");
  const duration = new Histogram(
    "shop_kv_command_duration_seconds",
    "Time to answer a command, by command.",
  );
  return {
    answer(store: Map<string, string>, line: string): string {
      const started = performance.now();
      const reply = answer(store, line);
      const word = (line.trim().split(" ")[0] ?? "").toUpperCase();
      const command = COMMANDS.includes(word) ? word : "other";
      commands.inc({ command, result: reply.startsWith("ERR") ? "error" : "ok" });
      duration.observe({ command }, (performance.now() - started) / 1000);
      return reply;
    },
    http(): string {
      const { type, body } = metricsText([commands, duration]);
      const head = `HTTP/1.1 200 OK\r\ncontent-type: ${type}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n`;
      return head + body;
    },
  };
}

export async function startKvServer(options: KvServerOptions = {}): Promise<KvServer> {
  const store = new Map(Object.entries(options.seed ?? {}));
  const metrics = kvInstruments();
  const server = createServer((socket) => {
    // A reset from a toxic is an ordinary event here, not a crash.
    socket.on("error", () => socket.destroy());
    let first = true;
    let scraped = false;
    readLines(socket, (line) => {
      if (first && /^GET \/metrics(\?\S*)? HTTP\/1\.[01]$/.test(line)) scraped = true;
      first = false;
      // a scrape's request headers follow; its answer goes once they end (the empty line)
      if (scraped) {
        if (line === "") socket.end(metrics.http());
        return;
      }
      if (line.trim() === "") return;
      socket.write(`${metrics.answer(store, line)}\n`);
    });
  });
  const { port, close } = await listenTracked(server, options);
  return {
    server,
    port,
    close,
  };
}
