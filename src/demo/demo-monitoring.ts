import { type ChildProcess, spawn } from "node:child_process";
import {
  accessSync,
  constants,
  cpSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { messageOf } from "../model/message.js";

/**
 * The demo shop's monitoring: the Prometheus and Alertmanager installed on PATH, run on free
 * loopback ports with the shipped `demo/prometheus/` config, scraping every shop process. The
 * demo works without them; with them a drill's responder can see a real alert fire.
 */
export interface DemoMonitoring {
  prometheusUrl: string;
  /** "" when no Alertmanager is installed: Prometheus alone still evaluates the rules */
  alertmanagerUrl: string;
  /** stops both and removes their scratch directory; safe to call twice */
  stop(): Promise<void>;
}

export const MONITORING_INSTALL_HINT = "apt-get install prometheus prometheus-alertmanager";

export interface DemoMonitoringOptions {
  /** the shipped `demo/prometheus/` directory (prometheus.yml, rules.yml, alertmanager.yml) */
  configDir: string;
  /** what Prometheus scrapes: each shop process by name and port */
  targets: readonly { name: string; port: number }[];
  /** PATH to look in (default: $PATH) */
  path?: string;
  readyTimeoutMs?: number;
  log?: (line: string) => void;
}

/** The first of `names` that is an executable file in one of PATH's directories. */
export function findOnPath(
  names: readonly string[],
  path = process.env.PATH ?? "",
): string | undefined {
  for (const name of names) {
    for (const dir of path.split(delimiter)) {
      if (!dir) continue;
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs a server binary (argv after the script) and stops it when our end of its stdin closes:
 * when firedrill exits, even by SIGKILL, Prometheus and Alertmanager go with it, as the shop's
 * services do (they watch their stdin too). SIGTERM, SIGINT or SIGHUP to the keeper stops the
 * server as well: a closing terminal hangs up the whole process group, and Prometheus and
 * Alertmanager take SIGHUP as "reload the config", so without the keeper they would outlive it.
 */
const KEEPER = `
const { spawn } = require("node:child_process");
const [bin, ...args] = process.argv.slice(1);
const child = spawn(bin, args, { stdio: ["ignore", "ignore", "inherit"] });
const stop = () => {
  child.kill("SIGTERM");
  setTimeout(() => child.kill("SIGKILL"), 5000).unref();
};
for (const event of ["end", "close", "error"]) process.stdin.on(event, stop);
process.stdin.resume();
for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(signal, stop);
child.on("exit", (code) => process.exit(code ?? 0));
child.on("error", (error) => {
  process.stderr.write(error.message + "\\n");
  process.exit(127);
});
`;

interface Daemon {
  url: string;
  stop(): Promise<void>;
}

/**
 * A port from bind(0) can be taken again by anyone before the server binds it; a server that
 * says so gets another port, twice at most.
 */
async function startDaemon(
  name: string,
  bin: string,
  args: (port: number) => string[],
  cwd: string,
  deadline: number,
): Promise<Daemon> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDaemonOnce(name, bin, args, cwd, deadline);
    } catch (error) {
      if (attempt >= 3 || !/address already in use/.test(messageOf(error))) throw error;
    }
  }
}

/** Starts a server binary and waits for its `/-/ready`; its last stderr lines explain a failure. */
async function startDaemonOnce(
  name: string,
  bin: string,
  args: (port: number) => string[],
  cwd: string,
  deadline: number,
): Promise<Daemon> {
  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, ["-e", KEEPER, bin, ...args(port)], {
    cwd,
    stdio: ["pipe", "ignore", "pipe"],
  });
  let tail = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-2000);
  });
  let exited = false;
  const gone = new Promise<void>((resolve) => {
    child.once("exit", () => {
      exited = true;
      resolve();
    });
    child.once("error", (error) => {
      tail += messageOf(error);
      exited = true;
      resolve();
    });
  });
  const stop = async () => {
    if (exited) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 8000);
    await gone;
    clearTimeout(timer);
  };
  while (Date.now() < deadline && !exited) {
    const ready = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { url, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  const why = tail.trim().split("\n").slice(-2).join(" ").slice(0, 400);
  throw new Error(`${name} did not become ready${why ? `: ${why}` : ""}`);
}

/**
 * Starts Prometheus (and Alertmanager when installed) for the shop; null when Prometheus is not on
 * PATH. Throws when one is installed but does not start: the caller says so and goes on.
 */
export async function startDemoMonitoring(
  options: DemoMonitoringOptions,
): Promise<DemoMonitoring | null> {
  const path = options.path ?? process.env.PATH ?? "";
  const prometheusBin = findOnPath(["prometheus"], path);
  if (!prometheusBin) return null;
  const alertmanagerBin = findOnPath(["alertmanager", "prometheus-alertmanager"], path);
  const log = options.log ?? (() => {});
  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
  const dir = mkdtempSync(join(tmpdir(), "firedrill-demo-monitoring-"));
  const daemons: Daemon[] = [];
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      await Promise.all(daemons.map((d) => d.stop()));
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopped;
  };
  try {
    cpSync(options.configDir, dir, { recursive: true });
    mkdirSync(join(dir, "targets"), { recursive: true });
    const shop = options.targets.map((t) => ({
      targets: [`127.0.0.1:${t.port}`],
      labels: { service: t.name },
    }));
    writeFileSync(join(dir, "targets", "shop.json"), `${JSON.stringify(shop, null, 2)}\n`);

    let alertmanagerUrl = "";
    if (alertmanagerBin) {
      const alertmanager = await startDaemon(
        "Alertmanager",
        alertmanagerBin,
        (port) => [
          `--config.file=${join(dir, "alertmanager.yml")}`,
          `--storage.path=${join(dir, "alertmanager-data")}`,
          `--web.listen-address=127.0.0.1:${port}`,
          // one instance, no gossip: an empty address turns clustering off
          "--cluster.listen-address=",
        ],
        dir,
        deadline,
      );
      daemons.push(alertmanager);
      alertmanagerUrl = alertmanager.url;
      log(`alertmanager ${alertmanagerUrl}`);
    }
    const alertTargets = alertmanagerUrl ? [{ targets: [new URL(alertmanagerUrl).host] }] : [];
    writeFileSync(join(dir, "targets", "alertmanager.json"), `${JSON.stringify(alertTargets)}\n`);

    const prometheus = await startDaemon(
      "Prometheus",
      prometheusBin,
      (port) => [
        `--config.file=${join(dir, "prometheus.yml")}`,
        `--storage.tsdb.path=${join(dir, "prometheus-data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      dir,
      deadline,
    );
    daemons.push(prometheus);
    log(`prometheus ${prometheus.url}`);
    return { prometheusUrl: prometheus.url, alertmanagerUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
