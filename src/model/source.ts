import {
  isAlias,
  isMap,
  isNode,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
} from "yaml";
import { MAX_NESTING, NESTING_MESSAGE, tooDeepAt } from "./depth.js";
import { type Env, interpolate } from "./env.js";
import { type FastNode, fastParse } from "./fast-yaml.js";
import { formatPath, type Location, type PathSegment, type Problem } from "./problem.js";

/** Finds where a field came from, so a problem points at the node the user has to edit. */
export type Locate = (path: readonly PathSegment[], part?: "key" | "value") => Location;

/** A parsed file: its plain value (environment already interpolated) and a way back to positions. */
export interface ParsedSource {
  file: string;
  value: unknown;
  locate: Locate;
}

export interface ParseResult {
  source?: ParsedSource;
  problems: Problem[];
}

export interface ParseOptions {
  env?: Env;
  /** Lines before `text` in the real file (Markdown front matter starts below `---`). */
  lineOffset?: number;
  /** What the file should contain, for the empty-file message. */
  expected?: string;
}

export function problemAt(
  location: Location,
  path: readonly PathSegment[],
  message: string,
  rule: string,
  severity: Problem["severity"] = "error",
): Problem {
  return { ...location, path: formatPath(path), message, severity, rule };
}

function yamlMessage(code: string, message: string, text: string, pos: [number, number]): string {
  switch (code) {
    case "DUPLICATE_KEY": {
      const key = text.slice(pos[0]).split(/[:\n]/)[0]?.trim();
      return `duplicate key "${key}"; each key may appear only once in a mapping`;
    }
    case "TAB_AS_INDENT":
      return "tabs are not allowed as indentation in YAML; indent with spaces";
    case "MULTIPLE_DOCS":
      return "more than one YAML document (a second `---`); put one scenario or runbook per file";
    default: {
      const first = (message.split("\n")[0] ?? message).replace(/ at line \d+, column \d+:?$/, "");
      return `invalid YAML: ${first.charAt(0).toLowerCase()}${first.slice(1)}`;
    }
  }
}

/**
 * Stores a mapping's value as an own property, even for a key named `__proto__`: plain assignment
 * would set the object's prototype instead, which a file must never be able to do.
 */
function setOwn(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(out, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else out[key] = value;
}

/** Parses YAML (or JSON, its subset) keeping node positions; never throws on bad input. */
export function parseYaml(text: string, file: string, options: ParseOptions = {}): ParseResult {
  const fast = fastParse(text);
  if (fast) return fromFast(fast, text, file, options);
  return parseYamlFully(text, file, options);
}

const ENV_MESSAGE = (name: string) =>
  `environment variable ${name} is not set; set it or give a default: \${${name}:-value}`;

/** Value and positions from the fast reader's tree; same results as the full parser's path. */
function fromFast(root: FastNode, text: string, file: string, options: ParseOptions): ParseResult {
  const offset = options.lineOffset ?? 0;
  let starts: number[] | undefined;
  const position = (at: number): Location => {
    if (starts === undefined) {
      starts = [0];
      for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
    }
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= at) low = mid;
      else high = mid - 1;
    }
    return { file, line: low + 1 + offset, col: at - starts[low]! + 1 };
  };
  const locate: Locate = (path, part = "value") => {
    let node: FastNode = root;
    let at = node.start;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i];
      let next: FastNode | undefined;
      if (node.kind === "map") {
        const index = node.keys.indexOf(String(segment));
        if (index < 0) break;
        const keyAt = node.keyStarts[index]!;
        if (i === path.length - 1 && part === "key") return position(keyAt);
        next = node.values[index]!;
        if (next.kind === "scalar" && next.value === null) return position(keyAt);
      } else if (node.kind === "seq" && typeof segment === "number") {
        next = node.items[segment];
      }
      if (next === undefined) break;
      node = next;
      at = node.start;
    }
    return position(at);
  };
  const problems: Problem[] = [];
  const env = options.env ?? process.env;
  const plain = (node: FastNode, path: PathSegment[]): unknown => {
    if (path.length > MAX_NESTING) {
      problems.push(problemAt(position(node.start), [], NESTING_MESSAGE, "depth"));
      return null;
    }
    if (node.kind === "scalar") {
      const value = node.value;
      if (typeof value !== "string" || !value.includes("${")) return value;
      const result = interpolate(value, env);
      for (const name of result.missing) {
        problems.push(problemAt(position(node.start), [...path], ENV_MESSAGE(name), "env"));
      }
      return result.value;
    }
    if (node.kind === "seq") {
      const out: unknown[] = new Array(node.items.length);
      for (let i = 0; i < node.items.length; i++) {
        path.push(i);
        out[i] = plain(node.items[i]!, path);
        path.pop();
      }
      return out;
    }
    const out: Record<string, unknown> = {};
    for (let i = 0; i < node.keys.length; i++) {
      const key = node.keys[i]!;
      path.push(key);
      const value = plain(node.values[i]!, path);
      path.pop();
      setOwn(out, key, value);
    }
    return out;
  };
  const value = plain(root, []);
  if (problems.length > 0) return { problems };
  return { source: { file, value, locate }, problems };
}

/** The full `yaml` parser: every construct, every error message. */
export function parseYamlFully(
  text: string,
  file: string,
  options: ParseOptions = {},
): ParseResult {
  const offset = options.lineOffset ?? 0;
  const lines = new LineCounter();
  // The parser and every walk of its tree recurse: depth is checked before any of them runs.
  const deep = tooDeepAt(text);
  if (deep !== undefined) {
    const before = text.slice(0, deep);
    const line = before.split("\n").length;
    const col = deep - before.lastIndexOf("\n");
    return {
      problems: [problemAt({ file, line: line + offset, col }, [], NESTING_MESSAGE, "depth")],
    };
  }
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const position = (at: number): Location => {
    const { line, col } = lines.linePos(at);
    return { file, line: line + offset, col };
  };
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((error) =>
        problemAt(
          position(error.pos[0]),
          [],
          yamlMessage(error.code, error.message, text, error.pos),
          "yaml",
        ),
      ),
    };
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    const what = options.expected ?? "a YAML mapping";
    return {
      problems: [problemAt(position(0), [], `file is empty; expected ${what}`, "empty")],
    };
  }
  const root = doc.contents as Node;
  const locate: Locate = (path, part = "value") => {
    let node: Node = root;
    let at = node.range?.[0] ?? 0;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i];
      const last = i === path.length - 1;
      let next: Node | undefined;
      if (isMap(node)) {
        const pair = node.items.find(
          (item) => isScalar(item.key) && String(item.key.value) === String(segment),
        );
        if (pair === undefined) break;
        const keyAt = (pair.key as Node).range?.[0] ?? at;
        if (last && part === "key") return position(keyAt);
        next = (pair.value as Node | null) ?? undefined;
        // `key:` with nothing after it: point at the key, the only thing on that line.
        if (next?.range === undefined || (isScalar(next) && next.value === null)) {
          return position(keyAt);
        }
      } else if (isSeq(node) && typeof segment === "number") {
        next = (node.items[segment] as Node | undefined) ?? undefined;
      }
      if (next === undefined) break;
      node = next;
      at = node.range?.[0] ?? at;
    }
    return position(at);
  };
  const problems: Problem[] = [];
  const env = options.env ?? process.env;
  let aliases = 0;
  // One walk builds the plain value and interpolates strings: cheaper than doc.toJS() + a second
  // pass, and a missing variable is reported at the scalar's own position.
  const plain = (node: unknown, path: PathSegment[]): unknown => {
    // Aliases can stack anchored trees deeper than the text nests.
    if (path.length > MAX_NESTING) {
      const at = isNode(node) && node.range ? position(node.range[0]) : locate(path);
      if (!problems.some((p) => p.rule === "depth")) {
        problems.push(problemAt(at, [], NESTING_MESSAGE, "depth"));
      }
      return null;
    }
    if (isScalar(node)) {
      const value = node.value;
      if (typeof value !== "string" || !value.includes("${")) return value;
      const result = interpolate(value, env);
      for (const name of result.missing) {
        const at = node.range ? position(node.range[0]) : locate(path);
        problems.push(problemAt(at, path, ENV_MESSAGE(name), "env"));
      }
      return result.value;
    }
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        const key = isScalar(pair.key)
          ? String(pair.key.value)
          : String(isNode(pair.key) ? pair.key.toJS(doc) : pair.key);
        path.push(key);
        const value = plain(pair.value, path);
        path.pop();
        setOwn(out, key, value);
      }
      return out;
    }
    if (isSeq(node)) {
      const out: unknown[] = new Array(node.items.length);
      for (let i = 0; i < node.items.length; i++) {
        path.push(i);
        out[i] = plain(node.items[i], path);
        path.pop();
      }
      return out;
    }
    if (isAlias(node)) {
      if (++aliases > 1000) return null;
      return plain(node.resolve(doc), path);
    }
    return node ?? null;
  };
  const value = plain(root, []);
  if (problems.length > 0) return { problems };
  return { source: { file, value, locate }, problems };
}

/** Replaces `${VAR}` references in every string of a plain value; reports unset variables. */
export function interpolateValue(
  value: unknown,
  path: PathSegment[],
  env: Env,
  onMissing: (path: PathSegment[], name: string) => void,
): unknown {
  // `path` is one stack pushed and popped while walking; copied only when reporting.
  if (typeof value === "string") {
    if (!value.includes("${")) return value;
    const result = interpolate(value, env);
    for (const name of result.missing) onMissing([...path], name);
    return result.value;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      value[i] = interpolateValue(value[i], path, env, onMissing);
      path.pop();
    }
    return value;
  }
  if (value !== null && typeof value === "object" && !(value instanceof Map)) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      path.push(key);
      record[key] = interpolateValue(record[key], path, env, onMissing);
      path.pop();
    }
  }
  return value;
}
