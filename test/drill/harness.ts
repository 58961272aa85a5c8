import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { ToxiproxyApi } from "../../src/faults/index.js";
import { type ProxyServer, startProxyServer } from "../../src/proxy/index.js";

export const NODE = process.execPath;
export const CLI = join(process.cwd(), "dist/firedrill.js");
const SERVICE = join(process.cwd(), "test/drill/fixtures/service.mjs");

/**
 * A port free right now, for a listener whose address must be known before it exists (a
 * scenario's declared proxy, a service's dependency). It comes from below Linux's ephemeral
 * range (32768–60999): a port from bind(0) is handed out again by the next connect() or
 * bind(0) anywhere on the machine, which once took a rig's port between this call and the
 * proxy's listen (CI: "bind: address already in use").
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canListen(port)) return port;
  }
  throw new Error("no free port below the ephemeral range after 50 tries");
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

export interface Service {
  port: number;
  dep: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts the fixture service reaching its dependency through `127.0.0.1:<viaPort>`. */
export async function startService(viaPort: number): Promise<Service> {
  const child = spawn(NODE, [SERVICE, "--via", `127.0.0.1:${viaPort}`], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<{ port: number; dep: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("service did not start in 10s")), 10_000);
    lines.on("line", (line) => {
      if (!line.startsWith("READY ")) return;
      clearTimeout(timer);
      resolve(JSON.parse(line.slice(6)) as { port: number; dep: number });
    });
    child.once("exit", (code) => reject(new Error(`service exited early (${code})`)));
  });
  return {
    ...ready,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      }),
  };
}

export async function createProxy(apiUrl: string, name: string, listen: string, upstream: string) {
  await new ToxiproxyApi(apiUrl).createProxy({ name, listen, upstream, enabled: true });
}

/** The proxy's toxics; a proxy that is not there fails the test (it should be). */
export async function toxicsOf(
  apiUrl: string,
  proxy: string,
): Promise<{ name: string; type: string }[]> {
  const found = await new ToxiproxyApi(apiUrl).proxy(proxy);
  if (!found) throw new Error(`no proxy ${proxy} at ${apiUrl}`);
  return found.toxics;
}

export { until } from "../support/until.js";

export interface DrillFiles {
  servicePort: number;
  proxyPort: number;
  depPort: number;
  faultAt?: string;
  maxDuration?: string;
  /** replaces the failover command (e.g. one that fails) */
  failover?: string[];
  allowHosts?: string[];
}

const fetchExit = (url: string, method = "GET") => [
  NODE,
  "-e",
  `fetch(${JSON.stringify(url)}, { method: ${JSON.stringify(method)} }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(2))`,
];

/** Writes scenarios/ and runbooks/ for the fixture service into `dir`. */
export function writeDrill(dir: string, f: DrillFiles): string {
  mkdirSync(join(dir, "scenarios"), { recursive: true });
  mkdirSync(join(dir, "runbooks"), { recursive: true });
  const svc = `http://127.0.0.1:${f.servicePort}`;
  const scenario = {
    id: "svc-dep-latency",
    title: "Service dependency answers slowly",
    service: "svc",
    modes: ["tabletop", "gameday"],
    targets: { ttr: "30s", tta: "10s" },
    briefing: "The service's dependency is slow.",
    proxies: [
      { name: "dep", listen: `127.0.0.1:${f.proxyPort}`, upstream: `127.0.0.1:${f.depPort}` },
    ],
    faults: [
      { at: f.faultAt ?? "500ms", proxy: "dep", toxic: "latency", attributes: { latency: 1000 } },
    ],
    signals: [{ at: "1s", kind: "alert", text: "svc health failing" }],
    probes: [{ name: "health", every: "200ms", timeout: "1s", http: { url: `${svc}/health` } }],
    recovery: { probe: "health", consecutive: 3 },
    procedure: "dep-slow",
    tabletop: { outcomes: { failover: "Direct path, healthy." }, resolvedBy: ["failover"] },
    safety: {
      maxDuration: f.maxDuration ?? "20s",
      ...(f.allowHosts ? { allowHosts: f.allowHosts } : {}),
    },
  };
  const runbook = {
    service: "svc",
    owner: "team-svc",
    escalation: [{ level: 1, who: "svc on-call" }],
    procedures: [
      {
        id: "dep-slow",
        title: "Dependency slow",
        steps: [
          {
            id: "status",
            kind: "check",
            title: "Read status",
            run: fetchExit(`${svc}/admin/status`),
          },
          {
            id: "failover",
            kind: "action",
            title: "Fail over to the direct path",
            run: f.failover ?? fetchExit(`${svc}/admin/failover`, "POST"),
          },
          { id: "verify", kind: "verify", title: "Health is 200", run: fetchExit(`${svc}/health`) },
          {
            id: "failback",
            kind: "rollback",
            title: "Fail back",
            run: fetchExit(`${svc}/admin/failback`, "POST"),
          },
        ],
      },
    ],
  };
  // JSON is YAML: no quoting surprises in the commands.
  writeFileSync(join(dir, "scenarios", "svc-dep-latency.yaml"), JSON.stringify(scenario, null, 2));
  writeFileSync(join(dir, "runbooks", "svc.yaml"), JSON.stringify(runbook, null, 2));
  return join(dir, "scenarios", "svc-dep-latency.yaml");
}

export interface CliRun {
  child: ChildProcess;
  stdout: string[];
  done: Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>;
}

/** Spawns the bundled CLI in `cwd`, collecting output; `done` resolves when it exits. */
export function firedrill(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliRun {
  const child = spawn(NODE, [CLI, ...args], {
    cwd,
    env: { ...process.env, ...env, NO_COLOR: "1", CI: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stdout: string[] = [];
  let out = "";
  let err = "";
  child.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
    stdout.push(d.toString());
  });
  child.stderr?.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const done = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal, stdout: out, stderr: err })),
  );
  return { child, stdout, done };
}

/** A fault proxy server and a service whose dependency goes through its proxy `dep`. */
export interface DepRig {
  proxy: ProxyServer;
  /** where `dep` listens: the service dials this */
  proxyPort: number;
  service: Service;
  stop(): Promise<void>;
}

export async function startDepRig(): Promise<DepRig> {
  const proxy = await startProxyServer({ host: "127.0.0.1", port: 0 });
  const proxyPort = await freePort();
  const service = await startService(proxyPort);
  await createProxy(proxy.url, "dep", `127.0.0.1:${proxyPort}`, `127.0.0.1:${service.dep}`);
  return {
    proxy,
    proxyPort,
    service,
    async stop() {
      await service.stop();
      await proxy.stop();
    },
  };
}
