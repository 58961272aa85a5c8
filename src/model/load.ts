import { dirname, join, resolve } from "node:path";
import type { z } from "zod";
import { controlCharacterProblems } from "./control-characters.js";
import type { Env } from "./env.js";
import { issuesToProblems } from "./issues.js";
import { parseMarkdownRunbook } from "./markdown.js";
import { compareProblems, type PathSegment, type Problem } from "./problem.js";
import { Config } from "./project-config.js";
import { readRegularFile } from "./read-file.js";
import { checkRunbook, checkScenario } from "./references.js";
import { Runbook } from "./runbook.js";
import { Scenario } from "./scenario.js";
import { type Locate, type ParsedSource, parseYaml, problemAt } from "./source.js";
import { toxiproxyConfig } from "./toxiproxy-config-file.js";

/** A validated file and the way back to its source positions (for later cross-file checks). */
export interface Loaded<T> {
  file: string;
  value: T;
  locate: Locate;
}

export type LoadResult<T> =
  | { ok: true; loaded: Loaded<T>; problems: Problem[] }
  | {
      ok: false;
      problems: Problem[];
      /** The parsed value when the file parsed but did not validate: cross-file checks use it. */
      draft?: ParsedSource;
    };

export interface LoadOptions {
  /** Variables for `${VAR}` interpolation; defaults to process.env. */
  env?: Env;
}

function readProblem(file: string, reason: string): Problem {
  return problemAt({ file, line: 1, col: 1 }, [], `cannot read: ${reason}`, "read");
}

function validate<S extends z.ZodType>(
  schema: S,
  source: ParsedSource,
  rule = "schema",
): LoadResult<z.output<S>> {
  if (source.value === null || typeof source.value !== "object" || Array.isArray(source.value)) {
    return {
      ok: false,
      problems: [
        problemAt(source.locate([]), [], "expected a mapping of fields (key: value)", "schema"),
      ],
    };
  }
  const result = schema.safeParse(source.value);
  if (!result.success) {
    const root = schema as unknown as Parameters<typeof issuesToProblems>[1]["root"];
    return {
      ok: false,
      problems: issuesToProblems(result.error.issues, {
        root,
        data: source.value,
        locate: source.locate,
        rule,
      }).sort(compareProblems),
    };
  }
  return {
    ok: true,
    loaded: { file: source.file, value: result.data, locate: source.locate },
    problems: [],
  };
}

/**
 * Replaces `proxies: { file: x.json }` with the proxies of that Toxiproxy config, validating the
 * JSON file with its own positions.
 */
function inlineProxiesFile(source: ParsedSource, env: Env | undefined): Problem[] {
  const value = source.value as Record<string, unknown>;
  const proxies = value.proxies;
  if (proxies === null || typeof proxies !== "object" || Array.isArray(proxies)) return [];
  const file = (proxies as Record<string, unknown>).file;
  if (typeof file !== "string" || Object.keys(proxies).length !== 1) return [];
  const shown = join(dirname(source.file), file);
  const path = resolve(shown);
  const read = readRegularFile(path);
  if (!read.ok) {
    const problem = readProblem(shown, read.reason);
    const where = source.locate(["proxies", "file"]);
    return [
      problemAt(
        where,
        ["proxies", "file"],
        `${problem.message.replace("cannot read: ", `cannot read ${shown}: `)}`,
        "reference",
      ),
    ];
  }
  const parsed = parseYaml(read.text, shown, {
    ...(env ? { env } : {}),
    expected: "a Toxiproxy config: a JSON array of {name, listen, upstream, enabled}",
  });
  if (!parsed.source) return parsed.problems;
  const schema = toxiproxyConfig("strict");
  const result = schema.safeParse(parsed.source.value);
  if (!result.success) {
    const root = schema as unknown as Parameters<typeof issuesToProblems>[1]["root"];
    return issuesToProblems(result.error.issues, {
      root,
      data: parsed.source.value,
      locate: parsed.source.locate,
    }).sort(compareProblems);
  }
  value.proxies = parsed.source.value;
  // Positions of inlined proxies are in the JSON file; faults point at them only by name.
  const outer = source.locate;
  const inner = parsed.source.locate;
  source.locate = (p: readonly PathSegment[], part) =>
    p[0] === "proxies" && p.length > 1 ? inner(p.slice(1), part) : outer(p, part);
  return [];
}

export function parseScenario(
  text: string,
  file: string,
  options: LoadOptions = {},
): LoadResult<Scenario> {
  const parsed = parseYaml(text, file, {
    ...options,
    expected: "a scenario (id, title, service, targets, briefing, faults, …)",
  });
  if (!parsed.source) return { ok: false, problems: parsed.problems };
  const isMapping =
    parsed.source.value !== null &&
    typeof parsed.source.value === "object" &&
    !Array.isArray(parsed.source.value);
  if (isMapping) {
    const fileProblems = inlineProxiesFile(parsed.source, options.env);
    if (fileProblems.length > 0) return { ok: false, problems: fileProblems };
  }
  // Checks between fields run on the parsed value whatever the schema says: one lint pass
  // reports every problem of the file.
  const checks = [
    ...checkScenario(parsed.source),
    ...controlCharacterProblems(parsed.source.value, parsed.source.locate),
  ];
  return withChecks(validate(Scenario, parsed.source), checks, parsed.source);
}

function withChecks<T>(
  result: LoadResult<T>,
  checks: Problem[],
  draft: ParsedSource,
): LoadResult<T> {
  if (checks.length === 0) return result.ok ? result : { ...result, draft };
  return { ok: false, problems: [...result.problems, ...checks].sort(compareProblems), draft };
}

export function parseRunbook(
  text: string,
  file: string,
  options: LoadOptions = {},
): LoadResult<Runbook> {
  const parsed = /\.(md|markdown)$/i.test(file)
    ? parseMarkdownRunbook(text, file, options)
    : parseYaml(text, file, {
        ...options,
        expected: "a runbook (service, owner, escalation, procedures, …)",
      });
  if (!parsed.source) return { ok: false, problems: parsed.problems };
  const early = parsed.problems;
  const result = validate(Runbook, parsed.source);
  const checks = [
    ...checkRunbook(parsed.source),
    ...controlCharacterProblems(parsed.source.value, parsed.source.locate),
  ];
  if (!result.ok || early.length > 0) {
    // A Markdown syntax problem already explains its field; skip the schema's echo of it.
    const schema = result.ok
      ? []
      : result.problems.filter((p) => !early.some((e) => e.path === p.path));
    return {
      ok: false,
      problems: [...early, ...schema, ...checks].sort(compareProblems),
      draft: parsed.source,
    };
  }
  return withChecks(result, checks, parsed.source);
}

export function parseConfig(
  text: string,
  file: string,
  options: LoadOptions = {},
): LoadResult<Config> {
  const parsed = parseYaml(text, file, { ...options, expected: "firedrill settings" });
  if (!parsed.source) return { ok: false, problems: parsed.problems };
  return validate(Config, parsed.source);
}

async function loadWith<T>(
  file: string,
  parse: (text: string, file: string, options: LoadOptions) => LoadResult<T>,
  options: LoadOptions,
): Promise<LoadResult<T>> {
  const read = readRegularFile(file);
  if (!read.ok) return { ok: false, problems: [readProblem(file, read.reason)] };
  return parse(read.text, file, options);
}

/** Reads and validates one scenario file; problems carry `file:line:col`. */
export function loadScenario(
  file: string,
  options: LoadOptions = {},
): Promise<LoadResult<Scenario>> {
  return loadWith(file, parseScenario, options);
}

/** Reads and validates one runbook (`.yaml`, `.yml` or Markdown `.md` with front matter). */
export function loadRunbook(file: string, options: LoadOptions = {}): Promise<LoadResult<Runbook>> {
  return loadWith(file, parseRunbook, options);
}

/** Reads `firedrill.config.yaml`; a missing file yields the defaults. */
export async function loadConfig(
  file: string,
  options: LoadOptions = {},
): Promise<LoadResult<Config>> {
  const read = readRegularFile(file);
  if (!read.ok) {
    if (read.code === "ENOENT") {
      return {
        ok: true,
        loaded: { file, value: Config.parse({}), locate: () => ({ file, line: 1, col: 1 }) },
        problems: [],
      };
    }
    return { ok: false, problems: [readProblem(file, read.reason)] };
  }
  const text = read.text;
  if (text.trim() === "") {
    return {
      ok: true,
      loaded: { file, value: Config.parse({}), locate: () => ({ file, line: 1, col: 1 }) },
      problems: [],
    };
  }
  return parseConfig(text, file, options);
}
