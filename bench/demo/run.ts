// `npx tsx bench/demo/run.ts` (or `npm run bench demo`): how long `firedrill demo` (what
// `npm start` runs) takes to put the scenario picker on screen, with the demo shop (5 processes,
// fault proxy, health) started first, and how long it takes to stop everything when you leave.
// Needs tmux and the bundle (`npm run build`; `npm run bench` builds it).
//   start → picker: process start until the picker's full frame is on screen (capture-pane every
//     20 ms), median of 5; the shop's own share is the "demo shop ready in N ms" line it prints.
//   baseline: `firedrill` with no command (the same picker, no shop), in the same run.
//   stop: Esc on the picker until the process is gone (its shop stopped first).
// Target: start → picker < 2 s.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { hasTmux, Tmux } from "../../test/tui/tmux.js";

const CLI = resolve("dist/firedrill.js");
const RUNS = 5;
const POLL_MS = 20;
const TARGET_MS = 2000;

const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const fmt = (xs: number[]) =>
  `median ${median(xs).toFixed(0)} ms  (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}; ${xs.map((x) => x.toFixed(0)).join(", ")})`;

const pickerReady = (s: string) =>
  /choose a scenario \((\d+) of \1\)/.test(s) && s.includes("Esc quit");
const exited = (s: string) => s.includes("[exit ");

async function until(t: Tmux, test: (s: string) => boolean, started: number): Promise<number> {
  await t.waitFor(test, 30_000, POLL_MS);
  return performance.now() - started;
}

interface Run {
  picker: number;
  stop: number;
  shopReady?: number;
}

async function once(name: string, argv: string[], cwd: string): Promise<Run> {
  const t = new Tmux(name, 120, 40);
  try {
    const started = performance.now();
    t.start([process.execPath, CLI, ...argv], {}, cwd);
    const picker = await until(t, pickerReady, started);
    const quit = performance.now();
    t.keys("Escape");
    const stop = await until(t, exited, quit);
    const shopReady = /demo shop ready in (\d+) ms/.exec(t.screen())?.[1];
    return { picker, stop, ...(shopReady ? { shopReady: Number(shopReady) } : {}) };
  } finally {
    t.kill();
  }
}

async function main(): Promise<void> {
  if (!hasTmux()) {
    console.error("bench/demo: tmux is not installed");
    process.exit(2);
  }
  const load = loadavg().map((x) => x.toFixed(2));
  console.log(`${cpus().length} CPUs, load ${load.join(" ")}; node ${process.version}`);
  const dir = mkdtempSync(join(tmpdir(), "firedrill-bench-demo-"));
  const journals = join(dir, "journals");
  const base: Run[] = [];
  const demo: Run[] = [];
  try {
    // Interleaved, so a burst of load on the machine hits both alike.
    for (let i = 0; i < RUNS; i++) {
      base.push(await once(`bench-demo-base-${i}`, [], dir));
      demo.push(await once(`bench-demo-${i}`, ["demo", "--journal-dir", journals], dir));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const leftovers = execFileSync("ps", ["-eo", "args="], { encoding: "utf8" })
    .split("\n")
    .filter((line) => line.includes("demo-service.js") && line.includes("--watch-parent"));

  const pickerBase = median(base.map((r) => r.picker));
  const pickerDemo = median(demo.map((r) => r.picker));
  console.log("\nstart → picker on screen (tmux capture-pane every 20 ms)");
  console.log(`  firedrill (no shop, baseline)  ${fmt(base.map((r) => r.picker))}`);
  console.log(`  firedrill demo                 ${fmt(demo.map((r) => r.picker))}`);
  const shop = demo.flatMap((r) => (r.shopReady === undefined ? [] : [r.shopReady]));
  if (shop.length > 0) console.log(`    of which the shop (its own clock) ${fmt(shop)}`);
  console.log(
    `  demo / baseline ${(pickerDemo / pickerBase).toFixed(2)}×, +${(pickerDemo - pickerBase).toFixed(0)} ms; target < ${TARGET_MS} ms: ${pickerDemo < TARGET_MS ? "ok" : "OVER TARGET"}`,
  );
  console.log("\nEsc on the picker → process gone");
  console.log(`  firedrill (baseline)           ${fmt(base.map((r) => r.stop))}`);
  console.log(`  firedrill demo (shop stopped)  ${fmt(demo.map((r) => r.stop))}`);
  console.log(
    `\ndemo processes left running afterwards: ${leftovers.length === 0 ? "none" : leftovers.length}`,
  );
  if (pickerDemo >= TARGET_MS || leftovers.length > 0) process.exitCode = 1;
}

await main();
