/**
 * Benchmark of the embedded fault proxy: `npx tsx bench/proxy/run.ts`.
 *
 * Same run, same machine, three processes (upstream servers, proxy under test, this load generator):
 * - throughput of a 256 MB transfer, direct vs through the proxy (no toxics);
 * - round trip of 10,000 small request/responses, direct vs through the proxy (p50, p99);
 * - error of a 20 ms latency toxic (p50, p99);
 * - proxy RSS with 1,000 idle connections.
 * With TOXIPROXY_SERVER=/path/to/toxiproxy-server the same figures are taken through it as well.
 * Env BENCH_MB / BENCH_ROUNDS / BENCH_IDLE shrink the run for a quick look.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";

const MB = 1024 * 1024;
const TRANSFER_MB = Number(process.env.BENCH_MB ?? 256);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10_000);
const LATENCY_ROUNDS = 300;
const IDLE = Number(process.env.BENCH_IDLE ?? 1_000);

const children: ChildProcess[] = [];
process.on("exit", () => {
  for (const child of children) child.kill("SIGKILL");
});

function firstLine(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error("child did not start in 20 s")), 20_000);
    lines.on("line", (line) => {
      const match = pattern.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.once("exit", (code) => reject(new Error(`child exited with ${code}`)));
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function dial(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.setNoDelay(true);
    socket.once("connect", () => resolve(socket));
    socket.once("error", reject);
  });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function throughput(port: number, megabytes: number): Promise<number> {
  const socket = await dial(port);
  const total = megabytes * MB;
  const header = Buffer.alloc(8);
  header.writeBigUInt64BE(BigInt(total));
  const block = Buffer.alloc(MB, 7);
  const acked = new Promise<void>((resolve) => socket.once("data", () => resolve()));
  const started = performance.now();
  socket.write(header);
  for (let sent = 0; sent < total; sent += MB) {
    if (!socket.write(block)) await new Promise((resolve) => socket.once("drain", resolve));
  }
  await acked;
  const seconds = (performance.now() - started) / 1000;
  socket.destroy();
  return megabytes / seconds;
}

async function roundTrips(port: number, rounds: number): Promise<number[]> {
  const socket = await dial(port);
  const message = Buffer.alloc(32, 1);
  const times: number[] = [];
  let pending: (() => void) | undefined;
  let received = 0;
  socket.on("data", (data: Buffer) => {
    received += data.length;
    if (received >= message.length && pending) {
      received -= message.length;
      const done = pending;
      pending = undefined;
      done();
    }
  });
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    await new Promise<void>((resolve) => {
      pending = resolve;
      socket.write(message);
    });
    times.push(performance.now() - started);
  }
  socket.destroy();
  return times;
}

async function api(base: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(base + path, {
    method,
    headers: { "User-Agent": "firedrill-bench" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function createProxy(base: string, name: string, upstream: number): Promise<number> {
  const proxy = (await api(base, "POST", "/proxies", {
    name,
    listen: "127.0.0.1:0",
    upstream: `127.0.0.1:${upstream}`,
  })) as { listen: string };
  return Number(proxy.listen.split(":").at(-1));
}

interface Figures {
  throughput: number;
  rttP50: number;
  rttP99: number;
  latencyErrorP50?: number;
  latencyErrorP99?: number;
  rss?: number;
  /** RSS of the same fresh process before the idle connections. */
  rssIdle0?: number;
}

interface Target {
  label: string;
  sink: number;
  echo: number;
  api?: string;
  throughputs: number[];
  figures: Figures;
}

async function idleRss(pid: number, port: number): Promise<number> {
  const sockets: Socket[] = [];
  for (let i = 0; i < IDLE; i += 100) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(100, IDLE - i) }, async () => {
        const socket = await dial(port);
        await new Promise<void>((resolve) => {
          socket.once("data", () => resolve());
          socket.write("x");
        });
        return socket;
      }),
    );
    sockets.push(...batch);
  }
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const rss = rssMb(pid);
  for (const socket of sockets) socket.destroy();
  return rss;
}

async function waitForApi(base: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      await api(base, "GET", "/version");
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`${base} did not answer`);
}

/** A proxy process on a free API port: firedrill's bundle, or toxiproxy-server. */
async function startProxyProcess(
  kind: "firedrill" | "toxiproxy",
): Promise<{ child: ChildProcess; api: string }> {
  if (kind === "firedrill") {
    const child = spawn(process.execPath, ["dist/firedrill.js", "proxy", "--port", "0", "--json"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(child);
    return { child, api: (await firstLine(child, /"url":"(http:[^"]+)"/))[1]! };
  }
  const port = await freePort();
  const child = spawn(
    process.env.TOXIPROXY_SERVER!,
    ["-host", "127.0.0.1", "-port", String(port)],
    {
      stdio: "ignore",
    },
  );
  children.push(child);
  const base = `http://127.0.0.1:${port}`;
  await waitForApi(base);
  return { child, api: base };
}

function median(values: number[]): number {
  return percentile(values, 50);
}

function fmt(value: number | undefined, digits = 1): string {
  return value === undefined ? "-" : value.toFixed(digits);
}

async function main(): Promise<void> {
  spawnSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
  const upstream = spawn(process.execPath, ["--import", "tsx", "bench/proxy/upstream.ts"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(upstream);
  const ports = JSON.parse((await firstLine(upstream, /^\{.*\}$/))[0]) as {
    echo: number;
    sink: number;
  };
  const binary = process.env.TOXIPROXY_SERVER;
  const kinds = binary ? (["firedrill", "toxiproxy"] as const) : (["firedrill"] as const);
  const processes = new Map<string, { child: ChildProcess; api: string }>();
  const targets: Target[] = [
    {
      label: "direct",
      ...ports,
      throughputs: [],
      figures: { throughput: 0, rttP50: 0, rttP99: 0 },
    },
  ];
  for (const kind of kinds) {
    const started = await startProxyProcess(kind);
    processes.set(kind, started);
    targets.push({
      label: kind,
      api: started.api,
      sink: await createProxy(started.api, "sink", ports.sink),
      echo: await createProxy(started.api, "echo", ports.echo),
      throughputs: [],
      figures: { throughput: 0, rttP50: 0, rttP99: 0 },
    });
  }

  // Warm-up (JIT, page cache, TCP buffers), then interleaved repetitions: the machine's load drifts,
  // interleaving gives every target the same share of it; the median is reported.
  for (const target of targets) {
    await roundTrips(target.echo, 500);
    await throughput(target.sink, 32);
  }
  for (let rep = 0; rep < 3; rep++) {
    for (const target of targets) {
      process.stderr.write(`${target.label}: throughput ${rep + 1}/3...\n`);
      target.throughputs.push(await throughput(target.sink, TRANSFER_MB));
    }
  }
  for (const target of targets) {
    target.figures.throughput = median(target.throughputs);
    process.stderr.write(`${target.label}: round trips...\n`);
    const rtts = await roundTrips(target.echo, ROUNDS);
    target.figures.rttP50 = percentile(rtts, 50);
    target.figures.rttP99 = percentile(rtts, 99);
  }
  const direct = targets[0]!.figures;
  for (const target of targets.slice(1)) {
    process.stderr.write(`${target.label}: latency toxic...\n`);
    await api(target.api!, "POST", "/proxies/echo/toxics", {
      name: "lag",
      type: "latency",
      attributes: { latency: 20, jitter: 0 },
    });
    const errors = (await roundTrips(target.echo, LATENCY_ROUNDS)).map(
      (rtt) => rtt - 20 - direct.rttP50,
    );
    await api(target.api!, "DELETE", "/proxies/echo/toxics/lag");
    target.figures.latencyErrorP50 = percentile(errors, 50);
    target.figures.latencyErrorP99 = percentile(errors, 99);
  }
  for (const { child } of processes.values()) child.kill("SIGTERM");

  // Idle memory on fresh processes: the transfers above leave freed-but-kept heap behind.
  for (const target of targets.slice(1)) {
    process.stderr.write(`${target.label}: ${IDLE} idle connections...\n`);
    const fresh = await startProxyProcess(target.label as "firedrill" | "toxiproxy");
    target.figures.rssIdle0 = rssMb(fresh.child.pid!);
    target.figures.rss = await idleRss(
      fresh.child.pid!,
      await createProxy(fresh.api, "idle", ports.echo),
    );
    fresh.child.kill("SIGTERM");
  }
  const firedrill = targets[1]!.figures;
  const toxiproxy = targets[2]?.figures;

  const us = (ms: number) => ms * 1000;
  const rows: [string, number | undefined, number | undefined, number | undefined, string][] = [
    [
      "throughput, MB/s",
      direct.throughput,
      firedrill.throughput,
      toxiproxy?.throughput,
      "≥ 50 % of direct",
    ],
    [
      "round trip p50, µs",
      us(direct.rttP50),
      us(firedrill.rttP50),
      toxiproxy && us(toxiproxy.rttP50),
      "",
    ],
    [
      "round trip p99, µs",
      us(direct.rttP99),
      us(firedrill.rttP99),
      toxiproxy && us(toxiproxy.rttP99),
      "",
    ],
    [
      "added p50 round trip, µs",
      0,
      us(firedrill.rttP50 - direct.rttP50),
      toxiproxy && us(toxiproxy.rttP50 - direct.rttP50),
      "≤ 150 µs",
    ],
    [
      "20 ms latency error p50, ms",
      undefined,
      firedrill.latencyErrorP50,
      toxiproxy?.latencyErrorP50,
      "≤ 2 ms",
    ],
    [
      "20 ms latency error p99, ms",
      undefined,
      firedrill.latencyErrorP99,
      toxiproxy?.latencyErrorP99,
      "",
    ],
    ["RSS at start, MB", undefined, firedrill.rssIdle0, toxiproxy?.rssIdle0, ""],
    [`RSS, ${IDLE} idle conns, MB`, undefined, firedrill.rss, toxiproxy?.rss, "≤ 150 MB"],
  ];
  const header = [
    "figure",
    "direct",
    "firedrill",
    "fd/direct",
    "toxiproxy",
    "fd/toxiproxy",
    "target",
  ];
  const table = rows.map(([name, d, f, t, target]) => [
    name,
    fmt(d),
    fmt(f),
    d && f !== undefined ? fmt(f / d, 2) : "-",
    fmt(t),
    t && f !== undefined ? fmt(f / t, 2) : "-",
    target,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  process.stdout.write(
    `\nfiredrill proxy benchmark (${TRANSFER_MB} MB, ${ROUNDS} round trips, ${IDLE} idle connections; ${cpus().length} CPUs, load ${loadavg()[0]!.toFixed(1)})\n`,
  );
  process.stdout.write(`${line(header)}\n`);
  for (const row of table) process.stdout.write(`${line(row)}\n`);
  const verdicts = [
    ["throughput ≥ 50 % of direct", firedrill.throughput >= 0.5 * direct.throughput],
    ["added p50 round trip ≤ 150 µs", us(firedrill.rttP50 - direct.rttP50) <= 150],
    ["latency toxic error p50 ≤ 2 ms", Math.abs(firedrill.latencyErrorP50 ?? 99) <= 2],
    ["RSS ≤ 150 MB", (firedrill.rss ?? 999) <= 150],
  ] as const;
  process.stdout.write("\n");
  for (const [name, met] of verdicts) process.stdout.write(`${met ? "met " : "MISS"}  ${name}\n`);
  if (!binary)
    process.stdout.write("(set TOXIPROXY_SERVER to compare with a real toxiproxy-server)\n");
  upstream.kill("SIGTERM");
  // Through a proxy every byte is read and written once more, and on loopback each write also does
  // the receiving side's TCP work: sender, proxy and receiver share the CPUs.
  if (cpus().length <= 2) {
    process.stdout.write(
      "note: on ≤ 2 CPUs the sender, the proxy and the receiver compete for them; figures swing with load\n",
    );
  }
}

await main();
