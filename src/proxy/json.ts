/**
 * Reading request bodies the way Go's encoding/json does (case-insensitive field names, null leaves a
 * field unset, trailing data after the first value ignored) and writing responses the way it does
 * (`<`, `>`, `&`, U+2028 and U+2029 escaped).
 */
import { ApiError, ErrBadRequestBody } from "./errors.js";

export type JsonObject = Record<string, unknown>;

export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Parses a request body; errors carry Toxiproxy's "bad request body: ..." prefix. */
export function parseBody(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === "") throw ApiError.join(ErrBadRequestBody, "EOF");
  try {
    return JSON.parse(trimmed);
  } catch {
    // Go's decoder stops after the first complete value and ignores what follows.
    const scanned = scanFirstValue(trimmed);
    if (typeof scanned === "string") throw ApiError.join(ErrBadRequestBody, scanned);
    return JSON.parse(trimmed.slice(0, scanned));
  }
}

/** Go's quoteChar: how encoding/json names an offending byte. */
function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return "'\"'";
  const named: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\" };
  const code = c.charCodeAt(0);
  if (named[c]) return `'${named[c]}'`;
  if (code < 0x20 || code === 0x7f) return `'\\x${code.toString(16).padStart(2, "0")}'`;
  return `'${c}'`;
}

class SyntaxFailure extends Error {}

/**
 * Scans the first JSON value: answers where it ends, or its first syntax error worded as Go's
 * encoding/json scanner words it ("invalid character 'x' looking for beginning of object key
 * string", "unexpected EOF").
 */
function scanFirstValue(text: string): number | string {
  let i = 0;
  const fail = (context: string): never => {
    if (i >= text.length) throw new SyntaxFailure("unexpected EOF");
    throw new SyntaxFailure(`invalid character ${quoteChar(text[i]!)} ${context}`);
  };
  const space = () => {
    while (i < text.length && " \t\r\n".includes(text[i]!)) i++;
  };
  const literal = (word: string) => {
    for (let k = 1; k < word.length; k++) {
      i++;
      if (text[i] !== word[k]) fail(`in literal ${word} (expecting ${quoteChar(word[k]!)})`);
    }
    i++;
  };
  const digits = (context: string) => {
    if (!/[0-9]/.test(text[i] ?? "")) fail(context);
    while (/[0-9]/.test(text[i] ?? "")) i++;
  };
  const number = () => {
    if (text[i] === "-") i++;
    if (text[i] === "0") i++;
    else digits("in numeric literal");
    if (text[i] === ".") {
      i++;
      digits("after decimal point in numeric literal");
    }
    if (text[i] === "e" || text[i] === "E") {
      i++;
      if (text[i] === "+" || text[i] === "-") i++;
      digits("in exponent of numeric literal");
    }
  };
  const string = () => {
    i++;
    for (;;) {
      const c = text[i];
      if (c === undefined) return fail("");
      if (c === '"') {
        i++;
        return;
      }
      if (c === "\\") {
        i++;
        const e = text[i];
        if (e === "u") {
          for (let k = 0; k < 4; k++) {
            i++;
            if (!/[0-9a-fA-F]/.test(text[i] ?? "")) fail("in \\u hexadecimal character escape");
          }
        } else if (e === undefined || !'"\\/bfnrt'.includes(e)) {
          fail("in string escape code");
        }
      } else if (c.charCodeAt(0) < 0x20) {
        fail("in string literal");
      }
      i++;
    }
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === "{") {
      i++;
      space();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        space();
        if (text[i] !== '"') fail("looking for beginning of object key string");
        string();
        space();
        if (text[i] !== ":") fail("after object key");
        i++;
        value();
        space();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return;
        }
        fail("after object key:value pair");
      }
    }
    if (c === "[") {
      i++;
      space();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value();
        space();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return;
        }
        fail("after array element");
      }
    }
    if (c === '"') string();
    else if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) number();
    else if (c === "t") literal("true");
    else if (c === "f") literal("false");
    else if (c === "n") literal("null");
    else fail("looking for beginning of value");
  };
  try {
    value();
    return i;
  } catch (error) {
    if (error instanceof SyntaxFailure) return error.message;
    throw error;
  }
}

/** Go's name for a JSON value's kind, as used in "cannot unmarshal X into ..." errors. */
export function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return "string";
    case "number":
      return "number";
    case "boolean":
      return "bool";
    default:
      return "object";
  }
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Exact key first, then a case-insensitive match, as encoding/json does. `null` counts as absent. */
export function field(obj: JsonObject, name: string): unknown {
  if (Object.hasOwn(obj, name)) return obj[name] ?? undefined;
  const lower = name.toLowerCase();
  for (const key of Object.keys(obj)) {
    if (key.toLowerCase() === lower) return obj[key] ?? undefined;
  }
  return undefined;
}

/** Reads an optional string field; a wrong type is a 400 worded like Go's decoder. */
export function stringField(obj: JsonObject, name: string, struct: string): string | undefined {
  const value = field(obj, name);
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw unmarshalError(value, `${struct}.${name}`, "string");
  return value;
}

export function boolField(obj: JsonObject, name: string, struct: string): boolean | undefined {
  const value = field(obj, name);
  if (value === undefined) return undefined;
  if (typeof value !== "boolean") throw unmarshalError(value, `${struct}.${name}`, "bool");
  return value;
}

export function unmarshalError(value: unknown, path: string, goType: string): ApiError {
  return ApiError.join(
    ErrBadRequestBody,
    `json: cannot unmarshal ${jsonKind(value)} into Go struct field ${path} of type ${goType}`,
  );
}
