import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { importsInkOutput } from "../../scripts/ink-output-swap.mjs";
import Output from "../../src/tui/ink-output.js";

interface GridOutput {
  write(x: number, y: number, text: string, options: { transformers: Transformer[] }): void;
  clip(clip: Clip): void;
  unclip(): void;
  get(): { output: string; height: number };
}
type Transformer = (line: string, index: number) => string;
type Clip = Record<"x1" | "x2" | "y1" | "y2", number | undefined>;
type GridOutputClass = new (options: { width: number; height: number }) => GridOutput;

// ink's own Output, loaded by its file: the package exports only its entry point.
const inkBuild = dirname(createRequire(import.meta.url).resolve("ink"));
const InkOutput = (
  (await import(pathToFileURL(join(inkBuild, "output.js")).href)) as { default: GridOutputClass }
).default;

/** A small seeded generator: a failing case can be replayed from its seed. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return {
    int: (below: number) => Math.floor(next() * below),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    chance: (p: number) => next() < p,
  };
}

const CODES = [
  "\u001B[1m",
  "\u001B[2m",
  "\u001B[22m",
  "\u001B[3m",
  "\u001B[4m",
  "\u001B[24m",
  "\u001B[7m",
  "\u001B[31m",
  "\u001B[32m",
  "\u001B[39m",
  "\u001B[44m",
  "\u001B[49m",
  "\u001B[38;5;208m",
  "\u001B[38;2;10;20;30m",
  "\u001B[0m",
  "\u001B]8;;https://example.com\u0007",
  "\u001B]8;;\u0007",
];
const WORDS = [
  "ok",
  "probe",
  " ",
  "  ",
  "p99 412ms",
  "漢字",
  "🔥",
  "✓",
  "│",
  "e\u0301",
  "⏱ 00:12",
  "─",
];

function styledText(r: ReturnType<typeof random>): string {
  const lines: string[] = [];
  const count = 1 + r.int(3);
  for (let i = 0; i < count; i++) {
    let line = "";
    const parts = r.int(8);
    for (let p = 0; p < parts; p++) line += r.chance(0.4) ? r.pick(CODES) : r.pick(WORDS);
    lines.push(line);
  }
  return lines.join("\n");
}

/** The same random frame drawn into both grids. */
function drawBoth(seed: number): [string, string] {
  const r = random(seed);
  const width = 1 + r.int(40);
  const height = 1 + r.int(12);
  const ink = new InkOutput({ width, height });
  const ours: GridOutput = new Output({ width, height });
  const transformers: Transformer[][] = [
    [],
    [(line) => `\u001B[35m${line}\u001B[39m`],
    [(line, index) => (index === 0 ? line.toUpperCase() : line)],
  ];
  let open = 0;
  const operations = 1 + r.int(12);
  for (let i = 0; i < operations; i++) {
    const roll = r.int(10);
    if (roll === 0) {
      const clip: Clip = {
        x1: r.chance(0.8) ? r.int(width) : undefined,
        x2: r.chance(0.8) ? r.int(width + 5) : undefined,
        y1: r.chance(0.8) ? r.int(height) : undefined,
        y2: r.chance(0.8) ? r.int(height + 3) : undefined,
      };
      ink.clip(clip);
      ours.clip(clip);
      open++;
    } else if (roll === 1 && open > 0) {
      ink.unclip();
      ours.unclip();
      open--;
    } else {
      const x = r.int(width + 4);
      const y = r.int(height + 2) - (r.chance(0.1) ? 1 : 0);
      const text = styledText(r);
      const options = { transformers: r.pick(transformers) };
      ink.write(x, y, text, options);
      ours.write(x, y, text, options);
    }
  }
  return [ink.get().output, ours.get().output];
}

describe("the frame grid swapped into ink", () => {
  it("writes byte for byte what ink's own would, over 2,000 random frames", () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const [ink, ours] = drawBoth(seed);
      if (ours !== ink) expect({ seed, ours }).toEqual({ seed, ours: ink });
    }
  });

  it("gives the same frame again from its caches, also when a line changes", () => {
    const frame = (clock: string) => {
      const output = new Output({ width: 30, height: 3 });
      output.write(0, 0, `\u001B[1mcheckout\u001B[22m ⏱ ${clock}`, { transformers: [] });
      output.write(2, 1, "\u001B[31m✗ probe\u001B[39m 漢字", { transformers: [] });
      return output.get().output;
    };
    const first = frame("00:01");
    expect(frame("00:01")).toBe(first);
    const next = frame("00:02");
    expect(next).not.toBe(first);
    expect(next.split("\n")[1]).toBe(first.split("\n")[1]);
    expect(next).toContain("00:02");
  });

  it("is what ink's renderer loads in the bundle and in these tests", () => {
    const renderer = join(inkBuild, "renderer.js");
    expect(importsInkOutput("./output.js", renderer)).toBe(true);
    expect(importsInkOutput("./output.js", join(inkBuild, "ink.js"))).toBe(false);
    expect(importsInkOutput("./other.js", renderer)).toBe(false);
  });
});
