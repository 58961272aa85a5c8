// `npx tsx bench/tui/run.ts` (or `npm run bench tui`): how fast the TUI appears and how little it
// costs while it waits. Needs tmux and the bundle (`npm run build`; `npm run bench` builds it).
//   first frame: process start → the picker's full frame, and → the cockpit's (briefing, Enter)
//   idle CPU: a cockpit left alone for 30 s, clock ticking: tabletop, and gameday on the demo
//   shop with its probes checking (from /proc/<pid>/stat)
//   render: a cockpit with 200 signals and a 30-step procedure: its first frame (renderToString)
//   and every later one (a rerender of the mounted cockpit), bundled as the CLI is
//   (render-frames.ts); wall and CPU time (CPU time stretches far less on a busy machine)
//   BENCH_TUI_RENDER_ONLY=1 skips the tmux parts.
// No JSX here: the bench runner calls `tsx bench/<area>/run.ts`.
// Targets: first frame < 400 ms, idle CPU < 3 % of one core, render < 10 ms. Baselines measured
// in the same run: `node -e` printing one line in the same tmux, and a one-line ink frame.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startDemoShop } from "../../src/demo/index.js";
import { hasTmux, Tmux } from "../../test/tui/tmux.js";
import type { FrameTimes } from "./render-frames.js";

const CLI = resolve("dist/firedrill.js");
const RUNS = 5;
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 30);
const TARGET_FIRST_FRAME_MS = 400;
const TARGET_IDLE_CPU = 3;
const TARGET_RENDER_MS = 10;
const FRAMES = 200;

const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const ms = (x: number) => `${x.toFixed(1)} ms`;
const verdict = (ok: boolean) => (ok ? "ok" : "OVER TARGET");
let failed = false;

async function timeTo(t: Tmux, test: (s: string) => boolean, started: number): Promise<number> {
  await t.waitFor(test, 15_000, 2);
  return performance.now() - started;
}

const pickerReady = (s: string) =>
  /choose a scenario \((\d+) of \1\)/.test(s) && s.includes("Esc quit");
const briefingReady = (s: string) => s.includes("Enter start drill") && s.includes("Responder");
const cockpitReady = (s: string) => s.includes("choose a procedure") && s.includes("? help");

const HZ = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/** CPU time (user + system) the pane's program used so far, in ms: robust to a busy machine. */
function cpuMs(t: Tmux): number {
  return (cpuTicks(t.nodePid()) / HZ) * 1000;
}

interface Sample {
  wall: number;
  cpu: number;
}

async function firstFrames(): Promise<void> {
  const journals = mkdtempSync(join(tmpdir(), "firedrill-bench-tui-"));
  const baseline: Sample[] = [];
  const picker: Sample[] = [];
  const briefing: Sample[] = [];
  const cockpit: number[] = [];
  const enterToCockpit: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      let t = new Tmux(`bench-base-${i}`, 100, 30);
      let started = performance.now();
      t.start([
        process.execPath,
        "-e",
        "process.stdout.write('baseline ready'); setTimeout(() => {}, 60000)",
      ]);
      baseline.push({
        wall: await timeTo(t, (s) => s.includes("baseline ready"), started),
        cpu: cpuMs(t),
      });
      t.kill();

      t = new Tmux(`bench-picker-${i}`, 100, 30);
      started = performance.now();
      t.start([process.execPath, CLI]);
      picker.push({ wall: await timeTo(t, pickerReady, started), cpu: cpuMs(t) });
      t.kill();

      t = new Tmux(`bench-cockpit-${i}`, 100, 30);
      started = performance.now();
      t.start([process.execPath, CLI, "run", "checkout-db-latency", "--journal-dir", journals]);
      briefing.push({ wall: await timeTo(t, briefingReady, started), cpu: cpuMs(t) });
      const enter = performance.now();
      t.keys("Enter");
      await t.waitFor(cockpitReady, 15_000, 2);
      enterToCockpit.push(performance.now() - enter);
      cockpit.push(performance.now() - started);
      t.keys("C-c");
      await t.waitFor((s) => s.includes("[exit"), 15_000);
      t.kill();
    }
  } finally {
    rmSync(journals, { recursive: true, force: true });
  }
  const base = median(baseline.map((b) => b.wall));
  const baseCpu = median(baseline.map((b) => b.cpu));
  const row = (label: string, xs: Sample[] | number[], target?: number) => {
    const walls = xs.map((x) => (typeof x === "number" ? x : x.wall));
    const cpus = xs.map((x) => (typeof x === "number" ? Number.NaN : x.cpu));
    const m = median(walls);
    const c = median(cpus);
    const cpu = Number.isNaN(c) ? "" : `  cpu ${ms(c)} (${(c / baseCpu).toFixed(1)}×)`;
    const check = target === undefined ? "" : `  target < ${target} ms: ${verdict(m < target)}`;
    if (target !== undefined && m >= target) failed = true;
    console.log(
      `${label.padEnd(38)} ${ms(m).padStart(10)} (${(m / base).toFixed(1)}×)${cpu}${check}`,
    );
  };
  console.log(
    `first frame, median of ${RUNS}: wall time (× baseline), CPU used by then (× baseline):`,
  );
  console.log(
    `${"baseline: node -e, one line".padEnd(38)} ${ms(base).padStart(10)}         cpu ${ms(baseCpu)}`,
  );
  row("picker: `firedrill`", picker, TARGET_FIRST_FRAME_MS);
  row("briefing: `firedrill run <scenario>`", briefing, TARGET_FIRST_FRAME_MS);
  row("cockpit: Enter on the briefing →", enterToCockpit);
  row("cockpit: process start → (incl. Enter)", cockpit);
  console.log(
    `load average now: ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")} (2 cores: wall times stretch with load, CPU times much less)`,
  );
}

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of stat(5); index 11 and 12 after the command name.
  return Number(fields[11]) + Number(fields[12]);
}

/** CPU share of a cockpit left alone for IDLE_SECONDS, started with `argv` in `env`. */
async function idleCpu(
  label: string,
  argv: string[],
  env: Record<string, string> = {},
): Promise<void> {
  const t = new Tmux(`bench-idle-${label.split(" ")[0]}`, 120, 40);
  try {
    t.start([process.execPath, CLI, ...argv], env);
    await t.waitFor((s) => briefingReady(s) && !s.includes("checking Toxiproxy"), 20_000);
    t.keys("Enter");
    await t.waitFor(cockpitReady, 20_000);
    const pid = t.nodePid();
    // Let start-up work (JIT, the first timers) settle before measuring.
    await new Promise((r) => setTimeout(r, 1000));
    const before = cpuTicks(pid);
    const wall = performance.now();
    await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
    const used = (cpuTicks(pid) - before) / HZ;
    const seconds = (performance.now() - wall) / 1000;
    const share = (used / seconds) * 100;
    const clock = /⏱ (\S+)/.exec(t.screen())?.[1] ?? "?";
    if (share >= TARGET_IDLE_CPU) failed = true;
    console.log(
      `${label.padEnd(44)} ${seconds.toFixed(0)} s (clock ${clock}): ${used.toFixed(2)} s CPU = ${share.toFixed(2)} % of one core  target < ${TARGET_IDLE_CPU} %: ${verdict(share < TARGET_IDLE_CPU)}`,
    );
    t.keys("C-c");
    await t.waitFor((s) => s.includes("[exit"), 15_000);
  } finally {
    t.kill();
  }
}

async function idleCockpits(): Promise<void> {
  const journals = mkdtempSync(join(tmpdir(), "firedrill-bench-tui-"));
  console.log("\nidle cockpit, 120×40, nobody typing (whole process: TUI, engine, probes):");
  const shop = await startDemoShop();
  try {
    const run = ["run", "checkout-db-latency", "--journal-dir", journals];
    await idleCpu("tabletop (clock, scripted signals)", run);
    await idleCpu(
      "gameday on the demo shop (2 probes checking)",
      [...run, "--mode", "gameday"],
      shop.env,
    );
  } finally {
    await shop.stop();
    rmSync(journals, { recursive: true, force: true });
  }
}

/** Bundles render-frames.ts as the CLI is bundled, runs it, and returns what it measured. */
async function measureFrames(): Promise<FrameReport> {
  const { build } = await import("esbuild");
  const { bundleOptions } = await import("../../scripts/bundle-options.mjs");
  const dir = mkdtempSync(join(tmpdir(), "firedrill-bench-frames-"));
  try {
    await build({
      ...bundleOptions,
      entryPoints: { frames: "bench/tui/render-frames.ts" },
      outdir: dir,
      sourcemap: false,
    });
    const json = execFileSync(
      process.execPath,
      ["--expose-gc", join(dir, "frames.js"), String(FRAMES)],
      {
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    return JSON.parse(json) as FrameReport;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface FrameReport {
  baseline: number[];
  sizes: FrameTimes[];
  retainedMb: number;
}

async function renderTimes(): Promise<void> {
  const frames = await measureFrames();
  const baseMs = median(frames.baseline);
  const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? 0;
  const report = (label: string, times: number[], cpu: number[], extra: string) => {
    const m = median(times);
    if (m >= TARGET_RENDER_MS) failed = true;
    console.log(
      `${label.padEnd(38)} ${ms(m).padStart(9)}  p95 ${ms(p95(times)).padStart(8)}  cpu ${ms(median(cpu)).padStart(8)}  ${(m / baseMs).toFixed(0)}× baseline${extra}  target < ${TARGET_RENDER_MS} ms: ${verdict(m < TARGET_RENDER_MS)}`,
    );
  };
  console.log(`\nrender, median and p95 of ${FRAMES} frames, wall time, and median CPU time:`);
  console.log(`${"baseline: one Text (renderToString)".padEnd(38)} ${ms(baseMs).padStart(9)}`);
  const kinds = [
    ["first frame of a screen (renderToString: mount + layout + output):", "first"],
    ["every later frame (rerender of a mounted cockpit, as each clock tick):", "later"],
  ] as const;
  for (const [title, kind] of kinds) {
    console.log(title);
    for (const size of frames.sizes) {
      const extra =
        kind === "first" ? `, ${size.lines} lines` : `, ${size.kbPerFrame} KB written per frame`;
      report(
        `  cockpit ${size.size}, 200 signals, 30 steps`,
        size[kind],
        size[`${kind}Cpu`],
        extra,
      );
    }
  }
  console.log(
    `heap kept after 400 frames of 48 new 150-column lines: ${frames.retainedMb.toFixed(1)} MB`,
  );
}

if (!hasTmux()) {
  console.log(
    "bench/tui: tmux is not installed; first-frame and idle CPU need a terminal, skipped",
  );
} else if (process.env.BENCH_TUI_RENDER_ONLY !== "1") {
  await firstFrames();
  await idleCockpits();
}
await renderTimes();
process.exit(failed ? 1 : 0);
