import { z } from "zod";
import type { PathSegment, Problem } from "./problem.js";
import { type Locate, problemAt } from "./source.js";
import { didYouMean } from "./suggest.js";

type Issue = z.core.$ZodIssue;

/** The slice of zod's internal definition we read to explain problems (valid keys, branches). */
interface Def {
  type: string;
  innerType?: Schema;
  in?: Schema;
  shape?: Record<string, Schema>;
  element?: Schema;
  valueType?: Schema;
  options?: Schema[];
  discriminator?: string;
}
interface Schema {
  _zod: { def: Def };
}

const WRAPPERS = new Set(["optional", "nullable", "default", "prefault", "readonly", "catch"]);

function unwrap(schema: Schema): Schema {
  let current = schema;
  for (;;) {
    const def = current._zod.def;
    if (WRAPPERS.has(def.type) && def.innerType) current = def.innerType;
    else if (def.type === "pipe" && def.in) current = def.in;
    else return current;
  }
}

/** Every key an object schema (or any branch of a union of objects) accepts. */
export function objectKeys(schema: Schema): string[] {
  const def = unwrap(schema)._zod.def;
  if (def.type === "object" && def.shape) return Object.keys(def.shape);
  if (def.type === "union" && def.options) {
    return [...new Set(def.options.flatMap((option) => objectKeys(option)))];
  }
  return [];
}

/** Keys any union branch accepts under `segment` of an object (or the element of a list). */
function allKeysAt(parent: Schema, segment: PathSegment | undefined): string[] {
  const def = unwrap(parent)._zod.def;
  let child: Schema | undefined;
  if (def.type === "object" && def.shape && typeof segment === "string") child = def.shape[segment];
  else if (def.type === "array" && def.element) child = def.element;
  return child ? objectKeys(child) : [];
}

/** `toxic: latency`, `down: true`: the key that chose the branch, for messages. */
function branchLabel(value: unknown): string {
  if (!isRecord(value)) return "this entry";
  for (const key of ["toxic", "down", "command", "http", "tcp"]) {
    if (key in value) {
      const shown = value[key];
      return typeof shown === "object" ? `"${key}"` : `${key}: ${String(shown)}`;
    }
  }
  return "this entry";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The key that tells a union's object branches apart: the first key only that branch has. */
function markerKeys(options: Schema[]): (string | undefined)[] {
  const keySets = options.map((option) => objectKeys(option));
  return keySets.map((keys, index) =>
    keys.find((key) => keySets.every((other, j) => j === index || !other.includes(key))),
  );
}

/** Which branch of a union the author meant, judged by the keys present (`toxic`, `down`, …). */
function pickBranch(options: Schema[], data: unknown): number | undefined {
  if (!isRecord(data)) return undefined;
  const markers = markerKeys(options);
  const byMarker = markers.findIndex((marker) => marker !== undefined && marker in data);
  if (byMarker >= 0) return byMarker;
  return undefined;
}

/** Follows unions down to the branch the data is written for (discriminator or marker key). */
function resolveUnion(schema: Schema, value: unknown): Schema | undefined {
  let current = unwrap(schema);
  for (let depth = 0; depth < 8; depth++) {
    const def = current._zod.def;
    if (def.type !== "union" || !def.options) return current;
    const index = pickDiscriminated(def, value) ?? pickBranch(def.options, value);
    if (index === undefined) return current;
    current = unwrap(def.options[index]!);
  }
  return current;
}

function schemaAt(
  root: Schema,
  path: readonly PathSegment[],
  data: unknown,
  resolveLast = true,
): Schema | undefined {
  let schema: Schema | undefined = root;
  let value = data;
  for (const segment of path) {
    schema = resolveUnion(schema, value);
    if (!schema) return undefined;
    const def: Def = schema._zod.def;
    if (def.type === "object" && def.shape && typeof segment === "string") {
      schema = def.shape[segment];
      if (!schema) return undefined;
    } else if (def.type === "array" && def.element) schema = def.element;
    else if (def.type === "record" && def.valueType) schema = def.valueType;
    else return undefined;
    value =
      isRecord(value) || Array.isArray(value)
        ? (value as Record<string, unknown>)[segment]
        : undefined;
  }
  return resolveLast ? resolveUnion(schema, value) : schema;
}

function pickDiscriminated(def: Def, value: unknown): number | undefined {
  if (!def.discriminator || !def.options || !isRecord(value)) return undefined;
  const wanted = value[def.discriminator];
  const index = def.options.findIndex((option) => {
    const shape = unwrap(option)._zod.def.shape;
    const literal = shape?.[def.discriminator!] as unknown as {
      _zod: { def: { values?: unknown[] } };
    };
    return literal?._zod.def.values?.includes(wanted) ?? false;
  });
  return index >= 0 ? index : undefined;
}

function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let value = data;
  for (const segment of path) {
    if (!isRecord(value) && !Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the text ${JSON.stringify(value)}`;
  return `${typeof value} ${String(value)}`;
}

function descriptionOf(schema: Schema | undefined): string | undefined {
  if (!schema) return undefined;
  const direct = z.globalRegistry.get(schema as unknown as z.ZodType)?.description;
  if (direct) return direct;
  const inner = unwrap(schema);
  return inner === schema ? undefined : descriptionOf(inner);
}

const NOUN: Record<string, string> = {
  object: "a mapping",
  array: "a list",
  string: "text",
  number: "a number",
  boolean: "true or false",
  int: "a whole number",
};

function expectedText(expected: string): string {
  return NOUN[expected] ?? expected;
}

const DEFAULT_MESSAGE = /^(Invalid|Too (small|big)|Expected)/;

export interface IssueContext {
  root: Schema;
  data: unknown;
  locate: Locate;
  rule?: string;
}

/** Turns zod issues into problems at the YAML nodes they are about, with what would be valid. */
export function issuesToProblems(
  issues: readonly Issue[],
  context: IssueContext,
  base: readonly PathSegment[] = [],
): Problem[] {
  const out: Problem[] = [];
  for (const issue of issues) explain(issue, context, base, out);
  return out;
}

function explain(issue: Issue, ctx: IssueContext, base: readonly PathSegment[], out: Problem[]) {
  const path = [...base, ...(issue.path as PathSegment[])];
  const value = valueAt(ctx.data, path);
  const push = (message: string, at: readonly PathSegment[] = path, part?: "key") =>
    out.push(problemAt(ctx.locate(at, part), at, message, ctx.rule ?? "schema"));

  switch (issue.code) {
    case "invalid_union": {
      const detail = issue as { note?: string; discriminator?: string; options?: unknown[] };
      if (detail.note === "No matching discriminator" && detail.discriminator) {
        const options = detail.options?.map(String) ?? [];
        const name = detail.discriminator;
        if (value === undefined) push(`required; use one of: ${options.join(", ")}`);
        else
          push(
            `unknown ${name} ${JSON.stringify(value)}${didYouMean(String(value), options)}; valid ${name}s: ${options.join(", ")}`,
          );
        return;
      }
      const schema = schemaAt(ctx.root, path, ctx.data, false);
      const options = schema ? unwrap(schema)._zod.def.options : undefined;
      const branch = options ? pickBranch(options, value) : undefined;
      if (branch !== undefined && issue.errors[branch]) {
        for (const inner of issue.errors[branch]) explain(inner, ctx, path, out);
        return;
      }
      if (options && isRecord(value)) {
        const markers = markerKeys(options).filter((m): m is string => m !== undefined);
        if (markers.length === options.length) {
          const list = markers.map((m) => `"${m}"`);
          const last = list.pop();
          push(`needs one of the keys ${list.join(", ")} or ${last}`);
          return;
        }
      }
      const typeOnly = issue.errors.every(
        (branchIssues) =>
          branchIssues.length === 1 &&
          branchIssues[0]!.code === "invalid_type" &&
          branchIssues[0]!.path.length === 0,
      );
      if (typeOnly) {
        const expected = issue.errors.map((b) =>
          expectedText((b[0] as { expected: string }).expected),
        );
        const description = descriptionOf(schema);
        const hint = description ? ` (${description})` : "";
        push(
          value === undefined
            ? `is required: ${expected.join(" or ")}${hint}`
            : `expected ${expected.join(" or ")}${hint}, got ${describe(value)}`,
        );
        return;
      }
      const fewest = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
      for (const inner of fewest) explain(inner, ctx, path, out);
      return;
    }
    case "unrecognized_keys": {
      const schema = schemaAt(ctx.root, path, ctx.data);
      const valid = schema ? objectKeys(schema) : [];
      const everywhere = schemaAt(ctx.root, path.slice(0, -1), ctx.data);
      for (const key of issue.keys) {
        const list = valid.length > 0 ? `; valid keys: ${valid.join(", ")}` : "; it takes no keys";
        // A key from another branch of a union (`stream` on a `down` fault) is no typo.
        const elsewhere =
          everywhere !== undefined && allKeysAt(everywhere, path.at(-1)).includes(key);
        const message = elsewhere
          ? `"${key}" does not belong with ${branchLabel(value)}${list}`
          : `unknown key "${key}"${didYouMean(key, valid)}${list}`;
        push(message, [...path, key], "key");
      }
      return;
    }
    case "invalid_type": {
      const expected = expectedText(issue.expected);
      const description = descriptionOf(schemaAt(ctx.root, path, ctx.data));
      const hint = description ? ` (${description})` : "";
      if (value === undefined) push(`is required: ${expected}${hint}`);
      else push(`expected ${expected}${hint}, got ${describe(value)}`);
      return;
    }
    case "too_small":
    case "too_big": {
      if (!DEFAULT_MESSAGE.test(issue.message)) {
        push(`${issue.message}, got ${String(value)}`);
        return;
      }
      const small = issue.code === "too_small";
      const limit = Number(small ? issue.minimum : issue.maximum);
      const inclusive = issue.inclusive !== false;
      if (issue.origin === "array") {
        push(
          small
            ? `needs at least ${limit} item${limit === 1 ? "" : "s"}`
            : `allows at most ${limit} item${limit === 1 ? "" : "s"}`,
        );
      } else if (issue.origin === "string") {
        push(
          small && limit === 1
            ? "must not be empty"
            : `must be ${small ? "at least" : "at most"} ${limit} characters`,
        );
      } else {
        const relation = small
          ? inclusive
            ? `${limit} or more`
            : `more than ${limit}`
          : inclusive
            ? `${limit} or less`
            : `less than ${limit}`;
        push(`must be ${relation}, got ${String(value)}`);
      }
      return;
    }
    case "invalid_value": {
      const values = issue.values.map((v) => JSON.stringify(v));
      if (values.length === 1) push(`must be ${values[0]}, got ${describe(value)}`);
      else
        push(
          `${JSON.stringify(value)} is not valid${didYouMean(String(value), issue.values.map(String))}; use one of: ${issue.values.map(String).join(", ")}`,
        );
      return;
    }
    case "invalid_format": {
      if (DEFAULT_MESSAGE.test(issue.message)) {
        const format =
          issue.format === "url"
            ? "a URL such as http://127.0.0.1:18080/health"
            : `a valid ${issue.format}`;
        push(`${JSON.stringify(value)} is not ${format}`);
      } else push(`${JSON.stringify(value)} is not valid: ${issue.message}`);
      return;
    }
    default:
      push(issue.message);
  }
}
