/**
 * A drop-in for ink 6.8's `build/output.js` (the grid every frame is drawn into), swapped in by the
 * bundle (scripts/ink-output-swap.mjs) because ink's own was ~85 % of a frame: it re-tokenised every
 * line into per-cell objects with their own style arrays, on every frame, and diffed those arrays
 * cell by cell. This one produces the same bytes (test/tui/ink-output.test.ts compares the two) but
 * parses a line once across frames, shares one style array per run of cells, and remembers the
 * escape codes between two styles, so an unchanged line costs a map lookup.
 */
import {
  type AnsiCode,
  ansiCodesToString,
  diffAnsiCodes,
  reduceAnsiCodesIncremental,
  tokenize,
} from "@alcalzone/ansi-tokenize";
import sliceAnsi from "slice-ansi";
import stringWidth from "string-width";

type Styles = readonly AnsiCode[];

interface Cell {
  readonly value: string;
  readonly styles: Styles;
  readonly width: number;
  /** What covers the columns after the first of a wide character (ink clears them this way). */
  readonly filler: Cell | undefined;
}

interface Clip {
  x1: number | undefined;
  x2: number | undefined;
  y1: number | undefined;
  y2: number | undefined;
}

type Transformer = (line: string, index: number) => string;

type Operation =
  | { type: "write"; x: number; y: number; text: string; transformers: Transformer[] }
  | { type: "clip"; clip: Clip }
  | { type: "unclip" };

const NO_STYLES: Styles = [];
const BLANK: Cell = { value: " ", styles: NO_STYLES, width: 1, filler: undefined };

/**
 * A cache that forgets in two generations: a frame's lines stay found while the clock, the
 * signal feed and a streaming command keep adding new ones, and memory stays bounded.
 */
class Recent<V> {
  private current = new Map<string, V>();
  private previous = new Map<string, V>();
  constructor(private readonly limit: number) {}

  get(key: string, make: (key: string) => V): V {
    let value = this.current.get(key);
    if (value !== undefined) return value;
    value = this.previous.get(key) ?? make(key);
    if (this.current.size >= this.limit) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, value);
    return value;
  }
}

// A frame has at most a few hundred distinct lines; a parsed 150-column line costs ~8 KB, so
// 512 lines a generation keep a whole frame found and cap the cache near 9 MB (4,096 held 73 MB
// when a command streamed new lines for a while).
const widths = new Recent<number>(4096);
const lines = new Recent<readonly Cell[]>(512);
const clipped = new Recent<string>(512);
const transitions = new WeakMap<Styles, WeakMap<Styles, string>>();

const widthOf = (text: string) => widths.get(text, stringWidth);

function widestLine(text: string): number {
  let widest = 0;
  for (const line of text.split("\n")) widest = Math.max(widest, widthOf(line));
  return widest;
}

function cellsOf(line: string): readonly Cell[] {
  const cells: Cell[] = [];
  let styles: Styles = NO_STYLES;
  for (const token of tokenize(line)) {
    if (token.type === "ansi") {
      styles = reduceAnsiCodesIncremental(styles as AnsiCode[], [token]);
      continue;
    }
    const width = Math.max(1, widthOf(token.value));
    const filler: Cell | undefined =
      width > 1 ? { value: "", styles, width: 1, filler: undefined } : undefined;
    cells.push({ value: token.value, styles, width, filler });
  }
  return cells;
}

/** The escape codes that turn style `from` into style `to`: what ink writes between two cells. */
function transition(from: Styles, to: Styles): string {
  let byTarget = transitions.get(from);
  if (byTarget === undefined) {
    byTarget = new WeakMap();
    transitions.set(from, byTarget);
  }
  let codes = byTarget.get(to);
  if (codes === undefined) {
    codes = ansiCodesToString(diffAnsiCodes(from as AnsiCode[], to as AnsiCode[]));
    byTarget.set(to, codes);
  }
  return codes;
}

function rowText(row: readonly (Cell | undefined)[]): string {
  let text = "";
  let styles = NO_STYLES;
  let cells = 0;
  for (const cell of row) {
    // a write that starts past the row's end leaves holes, which ink skips
    if (cell === undefined) continue;
    if (cell.styles !== styles) {
      text += transition(styles, cell.styles);
      styles = cell.styles;
    }
    text += cell.value;
    cells++;
  }
  if (cells > 0) text += transition(styles, NO_STYLES);
  return text.trimEnd();
}

export default class Output {
  width: number;
  height: number;
  private readonly operations: Operation[] = [];

  constructor(options: { width: number; height: number }) {
    this.width = options.width;
    this.height = options.height;
  }

  write(x: number, y: number, text: string, options: { transformers: Transformer[] }): void {
    if (!text) return;
    this.operations.push({ type: "write", x, y, text, transformers: options.transformers });
  }

  clip(clip: Clip): void {
    this.operations.push({ type: "clip", clip });
  }

  unclip(): void {
    this.operations.push({ type: "unclip" });
  }

  get(): { output: string; height: number } {
    const grid: (Cell | undefined)[][] = [];
    for (let y = 0; y < this.height; y++) grid.push(new Array<Cell>(this.width).fill(BLANK));
    const clips: Clip[] = [];
    for (const operation of this.operations) {
      if (operation.type === "clip") clips.push(operation.clip);
      else if (operation.type === "unclip") clips.pop();
      else this.draw(grid, operation, clips.at(-1));
    }
    return { output: grid.map(rowText).join("\n"), height: grid.length };
  }

  private draw(
    grid: (Cell | undefined)[][],
    { text, transformers, ...at }: Extract<Operation, { type: "write" }>,
    clip: Clip | undefined,
  ): void {
    let { x, y } = at;
    let written = text.split("\n");
    const { x1, x2, y1, y2 } = clip ?? {};
    if (typeof x1 === "number" && typeof x2 === "number") {
      if (x + widestLine(text) < x1 || x > x2) return;
    }
    if (typeof y1 === "number" && typeof y2 === "number") {
      if (y + written.length < y1 || y > y2) return;
    }
    if (typeof x1 === "number" && typeof x2 === "number") {
      const from = x < x1 ? x1 - x : 0;
      written = written.map((line) => {
        const width = widthOf(line);
        const to = x + width > x2 ? x2 - x : width;
        return clipped.get(`${from}:${to}:${line}`, () => sliceAnsi(line, from, to));
      });
      if (x < x1) x = x1;
    }
    if (typeof y1 === "number" && typeof y2 === "number") {
      const from = y < y1 ? y1 - y : 0;
      const to = y + written.length > y2 ? y2 - y : written.length;
      written = written.slice(from, to);
      if (y < y1) y = y1;
    }
    let offsetY = 0;
    for (const [index, original] of written.entries()) {
      const row = grid[y + offsetY];
      // ink does not advance past a row outside the grid either: later lines land there too
      if (!row) continue;
      let line = original;
      for (const transform of transformers) line = transform(line, index);
      let offsetX = x;
      for (const cell of lines.get(line, cellsOf)) {
        row[offsetX] = cell;
        for (let column = 1; column < cell.width; column++) row[offsetX + column] = cell.filler;
        offsetX += cell.width;
      }
      offsetY++;
    }
  }
}
