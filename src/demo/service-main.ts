// Entry point of one demo-shop process (bundled as dist/demo-service.js):
//   demo-service db|cache|payments|checkout [--port N] [--host H] [--watch-parent] [...]
// Prints `READY {"kind":..,"port":..}` on stdout once listening; the launcher waits for that line.
import { parseArgs } from "node:util";
import { messageOf } from "../model/message.js";
import { startCheckoutServer } from "./checkout-server.js";
import { demoCatalogue, startKvServer } from "./kv-server.js";
import { startPaymentsServer } from "./payments-server.js";

const KINDS = ["db", "cache", "payments", "checkout"] as const;
type Kind = (typeof KINDS)[number];

function fail(message: string): never {
  process.stderr.write(`demo-service: ${message}\n`);
  process.exit(2);
}

function number(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) fail(`--${name} must be a whole number, not ${text}`);
  return value;
}

function required(text: string | undefined, name: string): string {
  if (!text) fail(`--${name} is required`);
  return text;
}

/**
 * Exits when the launcher goes away, even by SIGKILL: its end of our stdin pipe closes (EOF), and
 * as a second line of defence we notice being re-parented.
 */
function watchParent(stop: () => Promise<void>): void {
  const quit = () => {
    stop().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 1000).unref();
  };
  process.stdin.on("end", quit);
  process.stdin.on("close", quit);
  process.stdin.on("error", quit);
  process.stdin.resume();
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) quit();
  }, 1000).unref();
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      host: { type: "string", default: "127.0.0.1" },
      port: { type: "string", default: "0" },
      "watch-parent": { type: "boolean", default: false },
      role: { type: "string" },
      "receipt-bytes": { type: "string" },
      db: { type: "string" },
      replica: { type: "string" },
      cache: { type: "string" },
      payments: { type: "string" },
      "pool-size": { type: "string" },
      "health-timeout": { type: "string" },
      "request-timeout": { type: "string" },
    },
  });
  const kind = positionals[0] as Kind | undefined;
  if (!kind || !KINDS.includes(kind)) fail(`first argument must be one of ${KINDS.join(", ")}`);
  const host = values.host;
  const port = number(values.port, "port");
  const log = (line: string) => process.stderr.write(`${kind}: ${line}\n`);

  let service: { port: number; close(): Promise<void> };
  switch (kind) {
    case "db":
      service = await startKvServer({ host, port, seed: demoCatalogue() });
      break;
    case "cache":
      service = await startKvServer({ host, port });
      break;
    case "payments":
      service = await startPaymentsServer({
        host,
        port,
        receiptBytes: number(values["receipt-bytes"], "receipt-bytes"),
      });
      break;
    case "checkout":
      service = await startCheckoutServer({
        host,
        port,
        db: required(values.db, "db"),
        replica: required(values.replica, "replica"),
        cache: required(values.cache, "cache"),
        payments: required(values.payments, "payments"),
        poolSize: number(values["pool-size"], "pool-size"),
        healthTimeoutMs: number(values["health-timeout"], "health-timeout"),
        requestTimeoutMs: number(values["request-timeout"], "request-timeout"),
        log,
      });
      break;
  }
  const stop = () => service.close();
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      stop().finally(() => process.exit(0));
      setTimeout(() => process.exit(0), 1000).unref();
    });
  }
  if (values["watch-parent"]) watchParent(stop);
  process.stdout.write(
    `READY ${JSON.stringify({ kind, role: values.role ?? kind, port: service.port, pid: process.pid })}\n`,
  );
}

main().catch((error: unknown) => fail(messageOf(error)));
