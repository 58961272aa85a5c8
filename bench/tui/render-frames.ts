// Bundled and run by bench/tui/run.ts the way the CLI is (esbuild, React's production build):
// times the cockpit's frames and prints them as JSON on stdout.
import { Writable } from "node:stream";
import { Box, render, renderToString, Text } from "ink";
import { createElement } from "react";
import { initialCockpitUi } from "../../src/tui/cockpit-state.js";
import { Cockpit } from "../../src/tui/components/cockpit-panes.js";
import { paintFor, ThemeProvider } from "../../src/tui/theme.js";
import { bigCockpit } from "./big-cockpit.js";

export interface FrameTimes {
  size: string;
  lines: number;
  kbPerFrame: number;
  first: number[];
  later: number[];
  /** CPU time of the same frames (user + system): what a busy machine stretches far less */
  firstCpu: number[];
  laterCpu: number[];
}

const FRAMES = Number(process.argv[2] ?? 200);
const SIZES = [
  [80, 24],
  [120, 40],
  [160, 50],
] as const;

const snapshot = bigCockpit();
const paint = paintFor(true);
const cockpit = (i: number, cols: number, rows: number) =>
  createElement(
    ThemeProvider,
    { value: paint },
    createElement(Cockpit, {
      snapshot,
      ui: { ...initialCockpitUi, browsing: false, cursor: i % 30 },
      elapsed: 200_800 + i * 1000,
      cols,
      rows,
    }),
  );

let lastCpu = 0;

/** Wall time of `run` in ms; its CPU time is left in `lastCpu`. */
function time(run: () => void): number {
  const cpu = process.cpuUsage();
  const started = performance.now();
  run();
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  lastCpu = (used.user + used.system) / 1000;
  return wall;
}

const baseline = Array.from({ length: FRAMES }, () =>
  time(() => renderToString(createElement(Text, null, "baseline"), { columns: 80 })),
);

const sizes: FrameTimes[] = SIZES.map(([cols, rows]) => {
  let lines = 0;
  // A screen's first frame: mount, layout and output from nothing.
  const firstCpu: number[] = [];
  const first = Array.from({ length: FRAMES }, (_, i) => {
    const wall = time(() => {
      lines = renderToString(cockpit(i, cols, rows), { columns: cols }).split("\n").length;
    });
    firstCpu.push(lastCpu);
    return wall;
  });
  // Every later frame: the mounted cockpit re-rendered for a new clock and cursor, as the TUI
  // does every second; debug mode writes each frame at once instead of throttling.
  let written = 0;
  const stdout = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        written += chunk.length;
        done();
      },
    }),
    { columns: cols, rows, isTTY: true },
  );
  const instance = render(cockpit(0, cols, rows), {
    stdout: stdout as unknown as NodeJS.WriteStream,
    debug: true,
    patchConsole: false,
    exitOnCtrlC: false,
  });
  written = 0;
  const laterCpu: number[] = [];
  const later = Array.from({ length: FRAMES }, (_, i) => {
    const wall = time(() => instance.rerender(cockpit(i + 1, cols, rows)));
    laterCpu.push(lastCpu);
    return wall;
  });
  instance.unmount();
  return {
    size: `${cols}×${rows}`,
    lines,
    kbPerFrame: Math.round(written / FRAMES / 1024),
    first,
    later,
    firstCpu,
    laterCpu,
  };
});

/**
 * Heap kept after 400 frames of 48 lines never seen before (a command streaming output for a
 * while): what ink's caches hold on to. Needs `node --expose-gc`.
 */
function retainedAfterNewLines(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return Number.NaN;
  const stdout = Object.assign(
    new Writable({
      write(_chunk: Buffer, _encoding, done) {
        done();
      },
    }),
    { columns: 160, rows: 50, isTTY: true },
  );
  const frame = (f: number) =>
    createElement(
      Box,
      { flexDirection: "column" },
      ...Array.from({ length: 48 }, (_, y) =>
        createElement(Text, { key: y, color: "green" }, `line ${f}-${y} `.padEnd(150, "x")),
      ),
    );
  gc();
  const before = process.memoryUsage().heapUsed;
  const instance = render(frame(0), {
    stdout: stdout as unknown as NodeJS.WriteStream,
    debug: true,
    patchConsole: false,
    exitOnCtrlC: false,
  });
  for (let f = 1; f < 400; f++) instance.rerender(frame(f));
  instance.unmount();
  gc();
  return (process.memoryUsage().heapUsed - before) / 1e6;
}

const retainedMb = retainedAfterNewLines();

process.stdout.write(JSON.stringify({ baseline, sizes, retainedMb }));
process.exit(0);
