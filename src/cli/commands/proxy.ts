import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { messageOf } from "../../model/message.js";
import {
  formatLogLine,
  type LogEntry,
  type ProxyConfig,
  parseToxiproxyConfig,
  startProxyServer,
} from "../../proxy/index.js";
import { UsageError } from "../exit.js";
import { VERSION } from "../version.js";

interface ProxyOptions {
  host: string;
  port: string;
  config?: string;
  json?: boolean;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new UsageError(`--port must be a number from 0 to 65535, got '${value}'`);
  }
  return port;
}

async function loadConfig(file: string): Promise<ProxyConfig[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : String(error);
    throw new UsageError(`cannot read --config ${file}: ${reason}`);
  }
  try {
    return parseToxiproxyConfig(text, file);
  } catch (error) {
    throw new UsageError(messageOf(error));
  }
}

export function registerProxy(program: Command): void {
  program
    .command("proxy")
    .description("Run the embedded Toxiproxy-compatible fault proxy in the foreground.")
    .option("--host <host>", "address for the HTTP API", "127.0.0.1")
    .option("--port <port>", "port for the HTTP API (0 picks a free one)", "8474")
    .option("--config <file>", "Toxiproxy JSON config: proxies to create at start")
    .option("--json", "log one JSON object per line")
    .addHelpText(
      "after",
      `
Speaks Toxiproxy 2.x's HTTP API, so toxiproxy-node-client, toxiproxy-cli and curl
scripts written for Toxiproxy work unchanged. Stops cleanly on Ctrl-C or SIGTERM.

Examples:
  firedrill proxy
  firedrill proxy --port 0 --config toxiproxy.json
  curl -s -X POST localhost:8474/proxies \\
    -d '{"name":"redis","listen":"127.0.0.1:26379","upstream":"127.0.0.1:6379"}'
  curl -s -X POST localhost:8474/proxies/redis/toxics \\
    -d '{"type":"latency","attributes":{"latency":200,"jitter":50}}'`,
    )
    .action((options: ProxyOptions) => serve(options));
}

/** Runs the proxy until SIGINT or SIGTERM. */
async function serve(options: ProxyOptions): Promise<void> {
  const port = parsePort(options.port);
  const proxies = options.config ? await loadConfig(options.config) : [];
  const write = (entry: LogEntry) => {
    const line = options.json
      ? JSON.stringify({
          time: new Date().toISOString(),
          level: entry.level,
          message: entry.message,
          ...entry.fields,
        })
      : formatLogLine(entry);
    process.stdout.write(`${line}\n`);
  };
  // Listen for signals before anything is started, so an early Ctrl-C still stops cleanly.
  let signalled: (signal: NodeJS.Signals) => void = () => {};
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    signalled = resolve;
  });
  const onSignal = (signal: NodeJS.Signals) => signalled(signal);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  let server: Awaited<ReturnType<typeof startProxyServer>>;
  try {
    server = await startProxyServer({
      host: options.host,
      port,
      proxies,
      log: write,
      version: `2.12.0+firedrill.${VERSION}`,
    });
  } catch (error) {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    throw new UsageError(messageOf(error));
  }
  write({
    level: "info",
    message: "API listening",
    fields: { url: server.url, proxies: proxies.length },
  });
  const signal = await stopped;
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  write({ level: "info", message: "shutting down", fields: { signal } });
  await server.stop();
  write({ level: "info", message: "stopped", fields: {} });
}

const VALUE_FLAGS = { "--host": "host", "--port": "port", "--config": "config" } as const;

/**
 * `firedrill proxy` without commander: a long-running server should start as fast and as small as
 * it can, so main.ts calls this before loading the command line parser and the other commands.
 * Answers undefined for anything but the plain flags (help, a typo, an unknown option): commander
 * then parses as usual, with its messages.
 */
export async function runProxyFast(args: readonly string[]): Promise<number | undefined> {
  const options: ProxyOptions = { host: "127.0.0.1", port: "8474" };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--json") {
      options.json = true;
      continue;
    }
    const eq = arg.indexOf("=");
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (!Object.hasOwn(VALUE_FLAGS, flag)) return undefined;
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || (eq < 0 && value.startsWith("-"))) return undefined;
    options[VALUE_FLAGS[flag as keyof typeof VALUE_FLAGS]] = value;
  }
  await serve(options);
  return 0;
}
