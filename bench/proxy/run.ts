/**
 * Benchmark of the embedded fault proxy: `npx tsx bench/proxy/run.ts`.
 *
 * Same run, same machine, three processes (upstream servers, proxy under test, this load generator):
 * - throughput of a 256 MB transfer, direct vs through the proxy (no toxics), and the proxy's CPU
 *   time per GB;
 * - round trip of 10,000 small request/responses (p50, p99), and of 1,000 new connections with one
 *   round trip each;
 * - error of a 20 ms latency toxic (p50, p99), alone and with 50 connections at once;
 * - proxy RSS at start, with 1,000 idle connections, and at its peak; startup until the API accepts.
 * With TOXIPROXY_SERVER=/path/to/toxiproxy-server the same figures are taken through it as well,
 * with firedrill/Toxiproxy ratios. Every figure is the median of BENCH_RUNS (3) runs, each with fresh
 * processes. Env BENCH_MB / BENCH_ROUNDS / BENCH_CONNECTS / BENCH_IDLE shrink a run.
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
const CONNECTS = Number(process.env.BENCH_CONNECTS ?? 1_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

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
  /** CPU seconds the proxy process spent per GB carried (user + system). */
  cpuPerGb?: number;
  rttP50: number;
  rttP99: number;
  /** A fresh connection plus one round trip. */
  connectP50?: number;
  connectP99?: number;
  latencyErrorP50?: number;
  latencyErrorP99?: number;
  /** The same, with 50 connections round-tripping through the toxic at once. */
  latencyLoadP99?: number;
  rss?: number;
  /** RSS of the same fresh process before the idle connections. */
  rssIdle0?: number;
  /** VmHWM of the process that ran the transfers and round trips. */
  rssPeak?: number;
  /** Spawn until the API accepts a connection, ms. */
  startup?: number;
}

interface Target {
  label: string;
  sink: number;
  echo: number;
  api?: string;
  pid?: number;
  figures: Figures;
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  // utime and stime are fields 14 and 15 of stat, counted after "pid (comm)"
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function connectRoundTrips(port: number, count: number): Promise<number[]> {
  const message = Buffer.alloc(32, 2);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const socket = await dial(port);
    await new Promise<void>((resolve) => {
      let received = 0;
      socket.on("data", (data: Buffer) => {
        received += data.length;
        if (received >= message.length) resolve();
      });
      socket.write(message);
    });
    times.push(performance.now() - started);
    socket.destroy();
  }
  return times;
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

/** Resolves once something accepts TCP connections on the port (polled every millisecond). */
async function accepting(port: number): Promise<void> {
  for (let i = 0; i < 20_000; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: "127.0.0.1", port });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error(`nothing listens on ${port}`);
}

type Kind = "firedrill" | "toxiproxy";

/**
 * A proxy process on a free API port, `firedrill proxy` from the bundle or toxiproxy-server, and
 * how long it took from spawn to accepting API connections (both polled the same way).
 */
async function startProxyProcess(
  kind: Kind,
): Promise<{ child: ChildProcess; api: string; startup: number }> {
  const port = await freePort();
  const started = performance.now();
  const child =
    kind === "firedrill"
      ? spawn(process.execPath, ["dist/firedrill.js", "proxy", "--port", String(port)], {
          stdio: "ignore",
        })
      : spawn(process.env.TOXIPROXY_SERVER!, ["-host", "127.0.0.1", "-port", String(port)], {
          stdio: "ignore",
        });
  children.push(child);
  await accepting(port);
  const startup = performance.now() - started;
  const base = `http://127.0.0.1:${port}`;
  await waitForApi(base);
  return { child, api: base, startup };
}

function median(values: number[]): number {
  return percentile(values, 50);
}

function fmt(value: number | undefined, digits = 1): string {
  return value === undefined || Number.isNaN(value) ? "-" : value.toFixed(digits);
}

async function latencyErrors(target: Target, baseline: number, concurrent: number) {
  const per = Math.max(20, Math.floor(LATENCY_ROUNDS / concurrent));
  const all = await Promise.all(
    Array.from({ length: concurrent }, () => roundTrips(target.echo, per)),
  );
  return all.flat().map((rtt) => rtt - 20 - baseline);
}

/** One full pass over every target with fresh proxy processes: the figures of one run. */
async function measureRun(ports: { echo: number; sink: number }, kinds: readonly Kind[]) {
  const targets: Target[] = [
    { label: "direct", ...ports, figures: { throughput: 0, rttP50: 0, rttP99: 0 } },
  ];
  const processes: ChildProcess[] = [];
  for (const kind of kinds) {
    const started = await startProxyProcess(kind);
    processes.push(started.child);
    targets.push({
      label: kind,
      api: started.api,
      pid: started.child.pid!,
      sink: await createProxy(started.api, "sink", ports.sink),
      echo: await createProxy(started.api, "echo", ports.echo),
      figures: { throughput: 0, rttP50: 0, rttP99: 0, startup: started.startup },
    });
  }
  // Warm-up (JIT, page cache, TCP buffers), then each figure for every target in turn, so that a
  // change in the machine's load hits them alike.
  for (const target of targets) {
    await roundTrips(target.echo, 500);
    await throughput(target.sink, 32);
  }
  for (const target of targets) {
    process.stderr.write(`${target.label}: throughput...\n`);
    const cpu = target.pid ? cpuSeconds(target.pid) : 0;
    target.figures.throughput = await throughput(target.sink, TRANSFER_MB);
    if (target.pid) {
      target.figures.cpuPerGb = (cpuSeconds(target.pid) - cpu) / (TRANSFER_MB / 1024);
    }
  }
  for (const target of targets) {
    process.stderr.write(`${target.label}: round trips...\n`);
    const rtts = await roundTrips(target.echo, ROUNDS);
    target.figures.rttP50 = percentile(rtts, 50);
    target.figures.rttP99 = percentile(rtts, 99);
  }
  for (const target of targets) {
    process.stderr.write(`${target.label}: new connections...\n`);
    const times = await connectRoundTrips(target.echo, CONNECTS);
    target.figures.connectP50 = percentile(times, 50);
    target.figures.connectP99 = percentile(times, 99);
  }
  const direct = targets[0]!.figures;
  for (const target of targets.slice(1)) {
    process.stderr.write(`${target.label}: latency toxic...\n`);
    await api(target.api!, "POST", "/proxies/echo/toxics", {
      name: "lag",
      type: "latency",
      attributes: { latency: 20, jitter: 0 },
    });
    const errors = await latencyErrors(target, direct.rttP50, 1);
    target.figures.latencyErrorP50 = percentile(errors, 50);
    target.figures.latencyErrorP99 = percentile(errors, 99);
    target.figures.latencyLoadP99 = percentile(await latencyErrors(target, direct.rttP50, 50), 99);
    await api(target.api!, "DELETE", "/proxies/echo/toxics/lag");
    target.figures.rssPeak = peakRssMb(target.pid!);
  }
  for (const child of processes) child.kill("SIGTERM");

  // Idle memory on fresh processes: the transfers above leave freed-but-kept heap behind.
  for (const target of targets.slice(1)) {
    process.stderr.write(`${target.label}: ${IDLE} idle connections...\n`);
    const fresh = await startProxyProcess(target.label as Kind);
    await new Promise((resolve) => setTimeout(resolve, 300));
    target.figures.rssIdle0 = rssMb(fresh.child.pid!);
    target.figures.rss = await idleRss(
      fresh.child.pid!,
      await createProxy(fresh.api, "idle", ports.echo),
    );
    fresh.child.kill("SIGTERM");
  }
  return targets;
}

type Row = [name: string, pick: (f: Figures) => number | undefined, unit: number, target: string];

const ROWS: Row[] = [
  ["throughput, MB/s", (f) => f.throughput, 1, "≥ 2× toxiproxy"],
  ["CPU per GB, s", (f) => f.cpuPerGb, 1, "≤ 0.5× toxiproxy"],
  ["round trip p50, µs", (f) => f.rttP50, 1000, ""],
  ["round trip p99, µs", (f) => f.rttP99, 1000, "≤ toxiproxy"],
  ["new connection + round trip p50, µs", (f) => f.connectP50, 1000, ""],
  ["new connection + round trip p99, µs", (f) => f.connectP99, 1000, "≤ toxiproxy"],
  ["20 ms latency error p50, ms", (f) => f.latencyErrorP50, 1, "≤ 2 ms"],
  ["20 ms latency error p99, ms", (f) => f.latencyErrorP99, 1, "≤ toxiproxy"],
  ["  same, 50 connections, p99, ms", (f) => f.latencyLoadP99, 1, "≤ toxiproxy"],
  ["RSS at start, MB", (f) => f.rssIdle0, 1, ""],
  [`RSS, ${IDLE} idle conns, MB`, (f) => f.rss, 1, "≤ toxiproxy"],
  ["peak RSS, MB", (f) => f.rssPeak, 1, ""],
  ["startup to API, ms", (f) => f.startup, 1, ""],
];

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
  const kinds: Kind[] = binary ? ["firedrill", "toxiproxy"] : ["firedrill"];
  const runs: Target[][] = [];
  for (let run = 0; run < RUNS; run++) {
    process.stderr.write(`run ${run + 1}/${RUNS}\n`);
    runs.push(await measureRun(ports, kinds));
  }
  upstream.kill("SIGTERM");

  const labels = ["direct", ...kinds];
  /** Per target and figure: the median over the runs, and each run's firedrill/toxiproxy ratio. */
  const perRun = (label: string, pick: Row[1]) =>
    runs.map((run) => pick(run.find((t) => t.label === label)!.figures));
  const med = (values: (number | undefined)[]) => {
    const defined = values.filter((v): v is number => v !== undefined);
    return defined.length > 0 ? median(defined) : undefined;
  };
  const header = [
    "figure",
    ...labels,
    ...(binary ? ["fd/toxiproxy", "ratio range"] : []),
    "target",
  ];
  const table = ROWS.map(([name, pick, unit, goal]) => {
    const cells = labels.map((label) => {
      const value = med(perRun(label, pick));
      return fmt(value === undefined ? undefined : value * unit, unit === 1000 ? 0 : 1);
    });
    const extra: string[] = [];
    if (binary) {
      const fd = perRun("firedrill", pick);
      const tp = perRun("toxiproxy", pick);
      const ratios = fd
        .map((v, i) => (v !== undefined && tp[i] ? v / tp[i]! : undefined))
        .filter((v): v is number => v !== undefined);
      extra.push(
        fmt(med(ratios), 2),
        ratios.length > 0 ? `${fmt(Math.min(...ratios), 2)}–${fmt(Math.max(...ratios), 2)}` : "-",
      );
    }
    return [name, ...cells, ...extra, goal];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  process.stdout.write(
    `\nfiredrill proxy benchmark: median of ${RUNS} run(s) (${TRANSFER_MB} MB, ${ROUNDS} round trips, ${CONNECTS} new connections, ${IDLE} idle connections; ${cpus().length} CPUs, load ${loadavg()[0]!.toFixed(1)})\n`,
  );
  process.stdout.write(`${line(header)}\n`);
  for (const row of table) process.stdout.write(`${line(row)}\n`);
  if (!binary) {
    process.stdout.write("(set TOXIPROXY_SERVER to compare with a real toxiproxy-server)\n");
  } else {
    process.stdout.write(
      "fd/toxiproxy: median of the per-run ratios; ratio range: lowest and highest run\n",
    );
  }
  // Through a proxy every byte is read and written once more, and on loopback each write also does
  // the receiving side's TCP work: sender, proxy and receiver share the CPUs.
  if (cpus().length <= 2) {
    process.stdout.write(
      "note: on ≤ 2 CPUs the sender, the proxy and the receiver compete for them; single runs swing with load, compare medians of several (BENCH_RUNS)\n",
    );
  }
}

await main();
