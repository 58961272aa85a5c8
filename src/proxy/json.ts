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
    // Go's decoder stops after the first complete value; accept `{...} trailing` the same way.
    const end = firstValueEnd(trimmed);
    if (end > 0) {
      try {
        return JSON.parse(trimmed.slice(0, end));
      } catch {
        // fall through to the syntax error below
      }
    }
    throw ApiError.join(ErrBadRequestBody, describeSyntaxError(trimmed));
  }
}

function firstValueEnd(text: string): number {
  const open = text[0];
  if (open !== "{" && open !== "[") return -1;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

function describeSyntaxError(text: string): string {
  const first = text[0] ?? "";
  if (!'{["-0123456789tfn'.includes(first)) {
    return `invalid character '${first}' looking for beginning of value`;
  }
  return firstValueEnd(text) < 0 && (first === "{" || first === "[")
    ? "unexpected EOF"
    : "invalid JSON syntax";
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
