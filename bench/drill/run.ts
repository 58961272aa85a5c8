// `npx tsx bench/drill/run.ts`: how fast `firedrill run` puts a fault in place and takes it away,
// measured from outside through the proxy's API, like a responder's tooling would see it:
//   injection lag        the fault's scheduled `at` → its toxic visible in GET /proxies/dep
//                        (and, for attribution, the journaled `fault.applied` t − `at`: timer delay
//                        plus the backend's write-ahead ledger and its API call)
//   revert on abort      the journaled `aborted` event → the toxic gone
//   revert on SIGTERM    the signal sent → the toxic gone
//   watchdog after -9    SIGKILL sent → the toxic gone (the detached watchdog reverts the ledger)
// Median and max over RUNS drills each, against a baseline measured in the same run: one raw
// add-toxic request to the same API. Targets: injection < 20 ms median, revert < 100 ms, watchdog < 2 s.
// Needs the bundle (`npm run build`; `npm run bench` builds it).
import { type ChildProcess, spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ToxiproxyApi } from "../../src/faults/index.js";
import { startProxyServer } from "../../src/proxy/index.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const FAULT_AT = 400;
const CLI = resolve("dist/firedrill.js");
const TARGETS = { injection: 20, revert: 100, watchdog: 2000 };

const root = mkdtempSync(join(tmpdir(), "firedrill-bench-drill-"));
const upstream: Server = createServer((socket) => socket.on("error", () => {}).end());
await new Promise<void>((done) => upstream.listen(0, "127.0.0.1", done));
const upstreamPort = (upstream.address() as { port: number }).port;
const proxy = await startProxyServer({ host: "127.0.0.1", port: 0 });
const api = proxy.url;

const client = new ToxiproxyApi(api);
await client.createProxy({
  name: "dep",
  listen: "127.0.0.1:0",
  upstream: `127.0.0.1:${upstreamPort}`,
  enabled: true,
});

async function toxicCount(): Promise<number> {
  return (await client.proxy("dep"))?.toxics.length ?? 0;
}

/** Polls the API as fast as it answers; the wall time (ms) when `want` first held. */
async function waitFor(want: (n: number) => boolean, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const n = await toxicCount();
    const now = performance.timeOrigin + performance.now();
    if (want(n)) return now;
    if (Date.now() > deadline) throw new Error("timed out waiting on the proxy API");
  }
}

mkdirSync(join(root, "scenarios"));
mkdirSync(join(root, "runbooks"));
writeFileSync(
  join(root, "scenarios", "bench.yaml"),
  JSON.stringify({
    id: "bench-latency",
    title: "Bench",
    service: "bench",
    modes: ["gameday"],
    targets: { ttr: "1m" },
    briefing: "bench",
    proxies: [{ name: "dep", upstream: `127.0.0.1:${upstreamPort}` }],
    faults: [{ at: FAULT_AT, proxy: "dep", toxic: "latency", attributes: { latency: 100 } }],
    safety: { maxDuration: "30s" },
  }),
);
writeFileSync(
  join(root, "runbooks", "bench.yaml"),
  JSON.stringify({
    service: "bench",
    owner: "bench",
    procedures: [{ id: "p", title: "p", steps: [{ id: "s", kind: "action", title: "s" }] }],
  }),
);
const waitScript = join(root, "wait.yaml");
writeFileSync(waitScript, "actions:\n  - do: wait\n    at: 25s\n");
const abortScript = join(root, "abort.yaml");
writeFileSync(abortScript, `actions:\n  - do: abort\n    at: ${FAULT_AT + 300}ms\n`);

function drill(script: string): { child: ChildProcess; exited: Promise<void> } {
  const child = spawn(
    process.execPath,
    [CLI, "run", "bench-latency", "--mode", "gameday", "--script", script, "--url", api, "--json"],
    { cwd: root, stdio: ["ignore", "ignore", "ignore"], env: { ...process.env, CI: "1" } },
  );
  return { child, exited: new Promise((done) => child.once("exit", () => done())) };
}

/** The newest journal: its header's start time and its lines. */
function journal(): {
  startedMs: number;
  lines: { type: string; at?: string; event?: { type: string } }[];
} {
  const dir = join(root, ".firedrill", "drills");
  const newest = readdirSync(dir).sort().at(-1) ?? "";
  const lines = readFileSync(join(dir, newest), "utf8")
    .trim()
    .split("\n")
    .map(
      (l) =>
        JSON.parse(l) as {
          type: string;
          startedAt?: string;
          at?: string;
          event?: { type: string };
        },
    );
  return { startedMs: Date.parse(lines[0]?.startedAt ?? ""), lines };
}

const injection: number[] = [];
/** `fault.applied` as the engine journaled it, minus `at`: the timer's delay plus the backend's apply. */
const journaled: number[] = [];
/** When the engine began the apply, minus `at`: the engine's own timer delay. */
const began: number[] = [];
const onAbort: number[] = [];
const onSigterm: number[] = [];
const watchdog: number[] = [];

async function measure(kind: "abort" | "sigterm" | "kill"): Promise<void> {
  const run = drill(kind === "abort" ? abortScript : waitScript);
  const visible = await waitFor((n) => n > 0);
  let gone: number;
  let from: number;
  if (kind === "abort") {
    gone = await waitFor((n) => n === 0);
    await run.exited;
    const aborted = journal().lines.find((l) => l.event?.type === "aborted");
    from = Date.parse(aborted?.at ?? "");
  } else {
    from = performance.timeOrigin + performance.now();
    run.child.kill(kind === "sigterm" ? "SIGTERM" : "SIGKILL");
    gone = await waitFor((n) => n === 0);
    await run.exited;
  }
  const { startedMs, lines } = journal();
  injection.push(visible - (startedMs + FAULT_AT));
  const applied = lines.find((l) => l.event?.type === "fault.applied") as
    | { t?: number; event?: { applyStartedT?: number } }
    | undefined;
  // A drill killed with -9 may die between the toxic landing and the journal line.
  if (applied?.t !== undefined) journaled.push(applied.t - FAULT_AT);
  const started = applied?.event?.applyStartedT;
  if (started !== undefined) began.push(started - FAULT_AT);
  (kind === "abort" ? onAbort : kind === "sigterm" ? onSigterm : watchdog).push(gone - from);
  if ((await toxicCount()) !== 0) throw new Error("a toxic was left behind");
  await claimReleased();
}

/**
 * A drill claims its proxies (a `firedrill-claim.*` proxy) so no second drill stacks faults on
 * them; after kill -9 the watchdog keeps undoing until the dead drill's requests could no longer
 * land (~6 s), then removes its ledger. The next run waits for that: a drill started meanwhile is
 * refused (its claim can be taken for the dead drill's).
 */
async function claimReleased(timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const proxies = await client.proxies();
    const claimed = proxies.some((p) => p.name.startsWith("firedrill-claim."));
    // The watchdog keeps undoing until its ledger is gone: a drill started before that is refused.
    const run = join(root, ".firedrill", "run");
    const ledgers = existsSync(run)
      ? readdirSync(run).filter((n) => n.endsWith(".ledger.json"))
      : [];
    if (!claimed && ledgers.length === 0) return;
    if (Date.now() > deadline) throw new Error("a drill's claim on dep was never released");
    await new Promise((done) => setTimeout(done, 50));
  }
}

// Baseline: the raw cost of adding a toxic through the same API from this process.
const baseline: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const started = performance.now();
  await client.addToxic("dep", {
    name: `b${i}`,
    type: "latency",
    stream: "downstream",
    toxicity: 1,
    attributes: { latency: 1 },
  });
  baseline.push(performance.now() - started);
  await client.removeToxic("dep", `b${i}`);
}

for (let i = 0; i < RUNS; i++) {
  for (const kind of ["abort", "sigterm", "kill"] as const) await measure(kind);
  process.stdout.write(".");
}
process.stdout.write("\n");

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};
const base = median(baseline);
const row = (name: string, xs: number[], target: number, medianTarget: boolean) => {
  const m = median(xs);
  const max = Math.max(...xs);
  const judged = medianTarget ? m : max;
  const verdict = judged < target ? "ok" : "OVER";
  return `${name.padEnd(22)} median ${m.toFixed(1).padStart(7)} ms  max ${max.toFixed(1).padStart(7)} ms  (${(m / base).toFixed(1)}× baseline)  target ${medianTarget ? "median" : "max"} < ${target} ms: ${verdict}`;
};
console.log(`drill bench: ${RUNS} drills per measure, polled through ${api}`);
console.log(
  `${"baseline (raw POST)".padEnd(22)} median ${base.toFixed(1).padStart(7)} ms  max ${Math.max(
    ...baseline,
  )
    .toFixed(1)
    .padStart(7)} ms`,
);
console.log(row("injection lag", injection, TARGETS.injection, true));
console.log(row("  engine timer delay", began, TARGETS.injection, true));
console.log(row("  journaled apply lag", journaled, TARGETS.injection, true));
console.log(row("revert on abort", onAbort, TARGETS.revert, false));
console.log(row("revert on SIGTERM", onSigterm, TARGETS.revert, false));
console.log(row("watchdog after kill -9", watchdog, TARGETS.watchdog, false));

await proxy.stop();
upstream.close();
rmSync(root, { recursive: true, force: true });
