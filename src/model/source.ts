import {
  Composer,
  type Document,
  isAlias,
  isMap,
  isNode,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  Parser,
  parseDocument,
} from "yaml";
import { MAX_NESTING, NESTING_MESSAGE, tooDeepAt } from "./depth.js";
import { type Env, interpolate } from "./env.js";
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

const ENV_MESSAGE = (name: string) =>
  `environment variable ${name} is not set; set it or give a default: \${${name}:-value}`;

/** Finds a path's node in a parsed tree: the value, or its key; the deepest existing node else. */
function locateIn(root: Node, position: (at: number) => Location): Locate {
  return (path, part = "value") => {
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
}

/** Parses YAML (or JSON, its subset) keeping node positions; never throws on bad input. */
export function parseYaml(text: string, file: string, options: ParseOptions = {}): ParseResult {
  const offset = options.lineOffset ?? 0;
  const lines = new LineCounter();
  const position = (at: number): Location => {
    const { line, col } = lines.linePos(at);
    return { file, line: line + offset, col };
  };
  // Lexer and parser do not recurse; the composer and every walk of its tree do, so the depth is
  // checked on the parser's tokens before any of them runs.
  const tokens = [...new Parser(lines.addNewLine).parse(text)];
  const deep = tooDeepAt(tokens);
  if (deep !== undefined) {
    return { problems: [problemAt(position(deep), [], NESTING_MESSAGE, "depth")] };
  }
  const docs = new Composer({ uniqueKeys: true }).compose(tokens, true, text.length);
  const doc = docs.next().value as Document.Parsed;
  const problems = doc.errors.map((error) =>
    problemAt(
      position(error.pos[0]),
      [],
      yamlMessage(error.code, error.message, text, error.pos),
      "yaml",
    ),
  );
  const second = docs.next().value;
  if (second) {
    const at = second.range[0];
    problems.push(
      problemAt(position(at), [], yamlMessage("MULTIPLE_DOCS", "", text, [at, at]), "yaml"),
    );
  }
  if (problems.length > 0) return { problems };
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    const what = options.expected ?? "a YAML mapping";
    return {
      problems: [problemAt(position(0), [], `file is empty; expected ${what}`, "empty")],
    };
  }
  const root = doc.contents as Node;
  const locate = locateIn(root, position);
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
  return { source: { file, value, locate: locateLater(text, file, offset) }, problems };
}

/**
 * Positions for later, found again from the text on first use. Keeping every file's tree alive
 * for the rare problem made lint over a big tree spend most of its time copying those trees
 * through garbage collection; the text is a few KB and only files with problems parse it twice.
 */
function locateLater(text: string, file: string, offset: number): Locate {
  let locate: Locate | undefined;
  return (path, part) => {
    if (locate === undefined) {
      const lines = new LineCounter();
      const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
      const position = (at: number): Location => {
        const { line, col } = lines.linePos(at);
        return { file, line: line + offset, col };
      };
      locate = locateIn(doc.contents as Node, position);
    }
    return locate(path, part);
  };
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
