/**
 * A fast reader for the plain subset of YAML that scenarios and runbooks are written in: block
 * mappings and sequences, one-line flow collections, plain, quoted and block scalars, comments.
 * It exists because the full `yaml` parser spends ~0.5 ms per small file, which dominated `lint`
 * over large trees. It never decides a file is invalid: on anything outside the subset, or
 * anything suspicious, it returns undefined and the caller uses the full parser, which also owns
 * every YAML error message. A differential test checks it agrees with `yaml` value for value and
 * position for position.
 */

export type FastNode =
  | { kind: "map"; start: number; keys: string[]; keyStarts: number[]; values: FastNode[] }
  | { kind: "seq"; start: number; items: FastNode[] }
  | { kind: "scalar"; start: number; value: unknown };

import { MAX_NESTING } from "./depth.js";

class Bail extends Error {}
const bail = (): never => {
  throw new Bail();
};

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** The YAML 1.2 core schema's reading of a plain scalar, as the `yaml` package does it. */
function resolvePlain(text: string): unknown {
  if (NULL.test(text)) return null;
  if (BOOL.test(text)) return text[0] === "t" || text[0] === "T";
  if (INT_OCT.test(text)) return Number.parseInt(text.slice(2), 8);
  if (INT.test(text)) return Number.parseInt(text, 10);
  if (INT_HEX.test(text)) return Number.parseInt(text.slice(2), 16);
  if (FLOAT_NAN.test(text)) {
    if (text.slice(-3).toLowerCase() === "nan") return Number.NaN;
    return text[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (FLOAT_EXP.test(text) || FLOAT.test(text)) return Number.parseFloat(text);
  return text;
}

const DOUBLE_ESCAPES: Record<string, string> = {
  "0": "\0",
  a: "\x07",
  b: "\b",
  t: "\t",
  n: "\n",
  v: "\v",
  f: "\f",
  r: "\r",
  e: "\x1b",
  " ": " ",
  '"': '"',
  "/": "/",
  "\\": "\\",
  N: "\u0085",
  _: "\u00a0",
  L: "\u2028",
  P: "\u2029",
};

/** Characters that may not start a plain scalar here (or that we leave to the full parser). */
const NOT_PLAIN_START = new Set([..."[]{},#&*!|>'\"%@`?"]);

export function fastParse(text: string): FastNode | undefined {
  // Tabs, CRs, BOMs, anchors and tags all have rules we leave to the full parser.
  if (/[\t\r\uFEFF]/.test(text)) return undefined;
  try {
    return new Reader(text).document();
  } catch (error) {
    if (error instanceof Bail) return undefined;
    throw error;
  }
}

class Reader {
  private readonly lines: string[];
  private readonly starts: number[];
  private line = 0;
  /** Collections open: deeper than the cap is the full parser's to report, before it recurses. */
  private depth = 0;

  constructor(text: string) {
    this.lines = text.split("\n");
    this.starts = new Array(this.lines.length);
    let offset = 0;
    for (let i = 0; i < this.lines.length; i++) {
      this.starts[i] = offset;
      offset += this.lines[i]!.length + 1;
    }
  }

  document(): FastNode | undefined {
    this.skipBlank();
    if (this.line < this.lines.length && this.lines[this.line]!.startsWith("---")) {
      // `---` alone (or with a comment) opens the document; content on it we do not handle.
      if (!/^---\s*(#.*)?$/.test(this.lines[this.line]!)) bail();
      this.line++;
      this.skipBlank();
    }
    if (this.line >= this.lines.length) return undefined;
    const col = indentOf(this.lines[this.line]!);
    if (col !== 0) bail();
    const node = this.block(0, -1);
    this.skipBlank();
    if (this.line < this.lines.length) bail();
    return node;
  }

  /** Skips empty and comment-only lines; directives and document markers are not ours. */
  private skipBlank(): void {
    while (this.line < this.lines.length) {
      const line = this.lines[this.line]!;
      const trimmed = line.trimStart();
      if (trimmed === "" || trimmed.startsWith("#")) this.line++;
      else if (trimmed.startsWith("%") || line.startsWith("...")) bail();
      else if (line.startsWith("---") && this.line > 0) bail();
      else return;
    }
  }

  /** A block node whose first line starts at `col` of the current line (maybe mid-line). */
  private block(col: number, parent: number): FastNode {
    const line = this.lines[this.line]!;
    const rest = line.slice(col);
    if (rest === "-" || rest.startsWith("- ")) return this.sequence(col);
    if (keyEnd(rest) >= 0) return this.mapping(col, parent);
    return bail();
  }

  private sequence(col: number): FastNode {
    if (++this.depth > MAX_NESTING) bail();
    const items: FastNode[] = [];
    const start = this.starts[this.line]! + col;
    for (;;) {
      const line = this.lines[this.line]!;
      const after = col + 1;
      let at = after;
      while (line[at] === " ") at++;
      if (at >= line.length || line[at] === "#") {
        if (at < line.length && at === after) bail();
        // yaml places an empty item after the dash and its spaces.
        const emptyAt = this.starts[this.line]! + at;
        this.line++;
        items.push(this.nested(col, emptyAt));
      } else {
        items.push(this.inlineOrBlock(at, col, true));
      }
      this.skipBlank();
      if (this.line >= this.lines.length) break;
      const next = this.lines[this.line]!;
      const indent = indentOf(next);
      if (indent > col) bail();
      if (indent < col) break;
      const rest = next.slice(col);
      if (!(rest === "-" || rest.startsWith("- "))) break;
    }
    this.depth--;
    return { kind: "seq", start, items };
  }

  private mapping(col: number, parent: number): FastNode {
    if (++this.depth > MAX_NESTING) bail();
    const keys: string[] = [];
    const keyStarts: number[] = [];
    const values: FastNode[] = [];
    const start = this.starts[this.line]! + col;
    for (;;) {
      const line = this.lines[this.line]!;
      const rest = line.slice(col);
      const end = keyEnd(rest);
      if (end < 0) bail();
      const keyText = rest.slice(0, end).trimEnd();
      const key = readKey(keyText);
      if (keys.includes(key)) bail();
      keys.push(key);
      keyStarts.push(this.starts[this.line]! + col);
      let at = col + end + 1;
      while (line[at] === " ") at++;
      if (at >= line.length || line[at] === "#") {
        if (at < line.length && at === col + end + 1) bail();
        this.line++;
        values.push(this.nested(col, this.starts[this.line - 1]! + col, true));
      } else {
        values.push(this.inlineOrBlock(at, col, false));
      }
      this.skipBlank();
      if (this.line >= this.lines.length) break;
      const next = this.lines[this.line]!;
      const indent = indentOf(next);
      if (indent > col) bail();
      if (indent < col) {
        // Only a parent's own column (or less) may follow; anything between is malformed.
        if (indent > parent) bail();
        break;
      }
      const nextRest = next.slice(col);
      if (nextRest === "-" || nextRest.startsWith("- ")) break;
    }
    this.depth--;
    return { kind: "map", start, keys, keyStarts, values };
  }

  /**
   * The value after `key:` or `-` with nothing else on the line: a more-indented block, a
   * sequence at the key's own column (mappings only), or null.
   */
  private nested(col: number, emptyAt: number, inMapping = false): FastNode {
    this.skipBlank();
    if (this.line < this.lines.length) {
      const line = this.lines[this.line]!;
      const indent = indentOf(line);
      if (indent > col) return this.block(indent, col);
      const rest = line.slice(col);
      if (inMapping && indent === col && (rest === "-" || rest.startsWith("- "))) {
        return this.sequence(col);
      }
    }
    // yaml puts an empty value's range after the indicator; callers point at the key instead.
    return { kind: "scalar", start: emptyAt, value: null };
  }

  /**
   * A value starting at `at` on the current line, inside a block node at `col`. Only a sequence
   * item may hold a compact sequence or mapping on its own line (`- - a`, `- key: v`).
   */
  private inlineOrBlock(at: number, col: number, inSequence: boolean): FastNode {
    const line = this.lines[this.line]!;
    const offset = this.starts[this.line]! + at;
    const first = line[at]!;
    const rest = line.slice(at);
    if (first === "-" && (rest === "-" || rest.startsWith("- "))) {
      return inSequence ? this.sequence(at) : bail();
    }
    if (first === "|" || first === ">") return this.blockScalar(at, col);
    if (first === "[" || first === "{") {
      const flow = new Flow(line, at, offset - at);
      const node = flow.value();
      flow.end();
      this.line++;
      return node;
    }
    if (keyEnd(rest) >= 0) return inSequence ? this.mapping(at, col) : bail();
    if (first === '"' || first === "'") {
      const { value, end } = quoted(line, at);
      trailing(line, end);
      this.line++;
      this.skipBlank();
      if (this.line < this.lines.length && indentOf(this.lines[this.line]!) > col) bail();
      return { kind: "scalar", start: offset, value };
    }
    if (NOT_PLAIN_START.has(first)) bail();
    const text = plainInBlock(rest);
    this.line++;
    // A more-indented line after a plain scalar would continue it over lines: not handled.
    this.skipBlank();
    if (this.line < this.lines.length && indentOf(this.lines[this.line]!) > col) bail();
    return { kind: "scalar", start: offset, value: resolvePlain(text) };
  }

  private blockScalar(at: number, col: number): FastNode {
    const line = this.lines[this.line]!;
    const offset = this.starts[this.line]! + at;
    const header = /^([|>])([-+]?)\s*(#.*)?$/.exec(line.slice(at));
    if (!header) return bail();
    const folded = header[1] === ">";
    const chomp = header[2];
    this.line++;
    const content: string[] = [];
    let indent = -1;
    let leadingBlankMax = 0;
    while (this.line < this.lines.length) {
      const current = this.lines[this.line]!;
      const lineIndent = indentOf(current);
      const blank = current.trim() === "";
      if (indent < 0) {
        if (blank) {
          leadingBlankMax = Math.max(leadingBlankMax, current.length);
          content.push("");
          this.line++;
          continue;
        }
        if (lineIndent <= col) break;
        indent = lineIndent;
        if (leadingBlankMax > indent) bail();
      } else if (!blank && lineIndent < indent) {
        if (lineIndent > col) bail();
        break;
      }
      if (current.startsWith("---") || current.startsWith("...")) bail();
      if (blank && current.length > indent && indent >= 0) bail();
      content.push(blank ? "" : current.slice(indent));
      this.line++;
    }
    // Trailing blank lines belong to chomping, not to the next node.
    let trailingBlank = 0;
    while (content.length > 0 && content[content.length - 1] === "") {
      content.pop();
      trailingBlank++;
    }
    if (indent < 0) {
      // Only blank lines: an empty scalar. Not worth matching yaml's keep-chomping corner.
      if (chomp === "+") bail();
      return { kind: "scalar", start: offset, value: "" };
    }
    let body: string;
    if (folded) {
      if (content.some((l) => l.startsWith(" "))) bail();
      body = "";
      for (let i = 0; i < content.length; i++) {
        const current = content[i]!;
        if (i === 0) body = current;
        else if (current === "") body += "\n";
        else body += content[i - 1] === "" ? current : ` ${current}`;
      }
    } else body = content.join("\n");
    let value = body;
    if (chomp === "") value += "\n";
    else if (chomp === "+") value += "\n".repeat(trailingBlank + 1);
    return { kind: "scalar", start: offset, value };
  }
}

function indentOf(line: string): number {
  let i = 0;
  while (line[i] === " ") i++;
  return i;
}

/** Index of the `:` that ends a simple block key in `text`, or -1 when it is not `key: …`. */
function keyEnd(text: string): number {
  if (
    text === "" ||
    text[0] === "#" ||
    (text[0] === "-" && (text[1] === " " || text.length === 1))
  ) {
    return -1;
  }
  if (text[0] === '"' || text[0] === "'") {
    let end: number;
    try {
      end = quoted(text, 0).end;
    } catch {
      return -1;
    }
    let at = end;
    while (text[at] === " ") at++;
    return text[at] === ":" && (at + 1 === text.length || text[at + 1] === " ") ? at : -1;
  }
  if (NOT_PLAIN_START.has(text[0]!)) return -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === ":" && (i + 1 === text.length || text[i + 1] === " ")) return i === 0 ? -1 : i;
    if (c === "#" && text[i - 1] === " ") return -1;
  }
  return -1;
}

function readKey(text: string): string {
  if (text[0] === '"' || text[0] === "'") {
    const { value, end } = quoted(text, 0);
    if (text.slice(end).trim() !== "") bail();
    return value;
  }
  return String(resolvePlain(text));
}

/** A plain scalar running to the end of the line or a ` #` comment. */
function plainInBlock(text: string): string {
  let end = text.length;
  for (let i = 1; i < text.length; i++) {
    if (text[i] === "#" && text[i - 1] === " ") {
      end = i;
      break;
    }
    if (text[i] === ":" && (i + 1 === text.length || text[i + 1] === " ")) bail();
  }
  return text.slice(0, end).trimEnd();
}

/** Only spaces and a comment may follow a value on its line. */
function trailing(line: string, at: number): void {
  let i = at;
  while (line[i] === " ") i++;
  if (i < line.length && !(line[i] === "#" && i > at)) bail();
}

/** A single- or double-quoted scalar on one line: its value and the index after the quote. */
function quoted(line: string, at: number): { value: string; end: number } {
  const quote = line[at];
  let value = "";
  let i = at + 1;
  while (i < line.length) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") {
        if (line[i + 1] === "'") {
          value += "'";
          i += 2;
          continue;
        }
        return { value, end: i + 1 };
      }
      value += c;
      i++;
      continue;
    }
    if (c === '"') return { value, end: i + 1 };
    if (c === "\\") {
      const e = line[i + 1];
      if (e === undefined) return bail();
      const simple = DOUBLE_ESCAPES[e];
      if (simple !== undefined) {
        value += simple;
        i += 2;
        continue;
      }
      const width = e === "x" ? 2 : e === "u" ? 4 : e === "U" ? 8 : 0;
      const hex = line.slice(i + 2, i + 2 + width);
      if (width === 0 || !/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width) return bail();
      value += String.fromCodePoint(Number.parseInt(hex, 16));
      i += 2 + width;
      continue;
    }
    value += c;
    i++;
  }
  return bail();
}

/** `[a, b]` and `{ k: v }` on one line, nested as deep as needed. */
class Flow {
  private i: number;
  private depth = 0;

  constructor(
    private readonly line: string,
    at: number,
    private readonly base: number,
  ) {
    this.i = at;
  }

  private spaces(): void {
    while (this.line[this.i] === " ") this.i++;
    if (this.line[this.i] === "#") bail();
  }

  value(): FastNode {
    this.spaces();
    const start = this.base + this.i;
    const c = this.line[this.i];
    if (c === "[") return this.sequence(start);
    if (c === "{") return this.mapping(start);
    if (c === '"' || c === "'") {
      const { value, end } = quoted(this.line, this.i);
      this.i = end;
      return { kind: "scalar", start, value };
    }
    if (c === undefined || NOT_PLAIN_START.has(c)) return bail();
    // `- `, `: ` and `? ` are indicators, not the start of a plain scalar.
    const n = this.line[this.i + 1];
    if ((c === "-" || c === ":") && (n === undefined || " ,[]{}".includes(n))) return bail();
    return { kind: "scalar", start, value: resolvePlain(this.plain()) };
  }

  /** A plain scalar in a flow collection: ends at `,`, `]`, `}` or `: `. */
  private plain(): string {
    const from = this.i;
    while (this.i < this.line.length) {
      const c = this.line[this.i]!;
      if (c === "," || c === "]" || c === "}") break;
      if (c === ":") {
        const n = this.line[this.i + 1];
        if (n === undefined || n === " " || n === "," || n === "]" || n === "}") break;
      }
      if (c === "#" && this.line[this.i - 1] === " ") bail();
      if (c === "[" || c === "{") bail();
      this.i++;
    }
    return this.line.slice(from, this.i).trimEnd();
  }

  private sequence(start: number): FastNode {
    if (++this.depth > MAX_NESTING) bail();
    this.i++;
    const items: FastNode[] = [];
    for (;;) {
      this.spaces();
      if (this.line[this.i] === "]") {
        this.i++;
        this.depth--;
        return { kind: "seq", start, items };
      }
      items.push(this.value());
      this.spaces();
      // `[a: b]` (a pair inside a sequence) has its own rules.
      if (this.line[this.i] === ":") bail();
      if (this.line[this.i] === ",") this.i++;
      else if (this.line[this.i] !== "]") bail();
    }
  }

  private mapping(start: number): FastNode {
    if (++this.depth > MAX_NESTING) bail();
    this.i++;
    const keys: string[] = [];
    const keyStarts: number[] = [];
    const values: FastNode[] = [];
    for (;;) {
      this.spaces();
      if (this.line[this.i] === "}") {
        this.i++;
        this.depth--;
        return { kind: "map", start, keys, keyStarts, values };
      }
      const keyStart = this.base + this.i;
      const keyNode = this.value();
      if (keyNode.kind !== "scalar") bail();
      const key = String((keyNode as { value: unknown }).value);
      if (keys.includes(key)) bail();
      this.spaces();
      if (this.line[this.i] !== ":") bail();
      this.i++;
      if (this.line[this.i] !== " ") bail();
      this.spaces();
      const c = this.line[this.i];
      // `{ a: }`, `{ a: , b: 1 }`: empty values have corner cases left to the full parser.
      if (c === "," || c === "}") bail();
      keys.push(key);
      keyStarts.push(keyStart);
      values.push(this.value());
      this.spaces();
      if (this.line[this.i] === ",") this.i++;
      else if (this.line[this.i] !== "}") bail();
    }
  }

  /** After the collection only a comment may follow on the line. */
  end(): void {
    let i = this.i;
    while (this.line[i] === " ") i++;
    if (i < this.line.length && !(this.line[i] === "#" && i > this.i)) bail();
  }
}
