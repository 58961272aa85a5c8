import { type Dirent, promises as fs } from "node:fs";
import { join, resolve } from "node:path";
import { recordOf, textOf } from "./draft.js";
import { type Loaded, type LoadOptions, parseRunbook, parseScenario } from "./load.js";
import { compareProblems, type Problem } from "./problem.js";
import { readRegularFile, reasonOf } from "./read-file.js";
import { checkScenarioAgainstRunbook } from "./references.js";
import type { Procedure, Runbook } from "./runbook.js";
import type { Scenario } from "./scenario.js";
import type { Locate } from "./source.js";
import { problemAt } from "./source.js";
import { didYouMean } from "./suggest.js";

export interface ScenarioEntry extends Loaded<Scenario> {}
export interface RunbookEntry extends Loaded<Runbook> {
  format: "yaml" | "markdown";
}

/** A file that parsed but did not validate: what it says, read defensively (see draft.ts). */
export interface RejectedEntry {
  file: string;
  kind: Kind;
  value: unknown;
  locate: Locate;
}

/** Everything found under some paths: valid files, and every problem of the invalid ones. */
export interface Catalog {
  scenarios: ScenarioEntry[];
  runbooks: RunbookEntry[];
  /** Files that parsed but have errors: found by id or service so messages can name them. */
  rejected: RejectedEntry[];
  /** Load, validation and cross-file reference problems, sorted by file and position. */
  problems: Problem[];
  /** Files read (or attempted), scenarios and runbooks alike. */
  files: string[];
}

export type Kind = "scenario" | "runbook";
interface Candidate {
  file: string;
  kind?: Kind;
}

const YAML = /\.ya?ml$/i;
const MARKDOWN = /\.(md|markdown)$/i;
const SKIP_DIRS = new Set(["node_modules", ".git", "dist", "coverage"]);

async function walk(dir: string, out: string[], problems: Problem[]): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (error) {
    // Silently skipping it would drop its scenarios from list, lint and run without a word.
    problems.push(
      problemAt(
        { file: dir, line: 1, col: 1 },
        [],
        `cannot read directory: ${reasonOf(error)}; the files in it were not loaded`,
        "read",
      ),
    );
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const subdirs: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) subdirs.push(path);
    } else if (YAML.test(entry.name) || MARKDOWN.test(entry.name)) out.push(path);
  }
  for (const sub of subdirs) await walk(sub, out, problems);
}

async function isDirectory(path: string): Promise<boolean | undefined> {
  try {
    return (await fs.stat(path)).isDirectory();
  } catch {
    return undefined;
  }
}

/** A file or directory to load; `kind` says what every file under it is (no sniffing). */
export type CatalogPath = string | { path: string; kind: Kind };

/** Turns the user's paths into files, with the kind implied by a `scenarios/` or `runbooks/` dir. */
async function discover(
  paths: readonly CatalogPath[],
): Promise<{ files: Candidate[]; problems: Problem[] }> {
  const files: Candidate[] = [];
  const problems: Problem[] = [];
  for (const entry of paths) {
    const path = typeof entry === "string" ? entry : entry.path;
    const given = typeof entry === "string" ? undefined : entry.kind;
    const directory = await isDirectory(path);
    if (directory === undefined) {
      problems.push(
        problemAt(
          { file: path, line: 1, col: 1 },
          [],
          "cannot read: no such file or directory",
          "read",
        ),
      );
      continue;
    }
    if (!directory) {
      files.push(given ? { file: path, kind: given } : { file: path });
      continue;
    }
    if (given) {
      const found: string[] = [];
      await walk(path, found, problems);
      for (const file of found) {
        if (given === "scenario" && MARKDOWN.test(file)) continue;
        files.push({ file, kind: given });
      }
      continue;
    }
    const scenarios = join(path, "scenarios");
    const runbooks = join(path, "runbooks");
    const hasScenarios = await isDirectory(scenarios);
    const hasRunbooks = await isDirectory(runbooks);
    if (hasScenarios || hasRunbooks) {
      for (const [sub, kind, present] of [
        [scenarios, "scenario", hasScenarios],
        [runbooks, "runbook", hasRunbooks],
      ] as const) {
        if (!present) continue;
        const found: string[] = [];
        await walk(sub, found, problems);
        for (const file of found) {
          if (kind === "scenario" && MARKDOWN.test(file)) continue;
          files.push({ file, kind });
        }
      }
    } else {
      const found: string[] = [];
      await walk(path, found, problems);
      files.push(...found.map((file) => ({ file })));
    }
  }
  return { files, problems };
}

/** Decides what a file is when its directory does not say: Markdown and `procedures:` mean runbook. */
function classify(candidate: Candidate, text: string): Kind | undefined {
  if (candidate.kind) return candidate.kind;
  const segments = candidate.file.split(/[\\/]/);
  if (MARKDOWN.test(candidate.file)) {
    // Stray READMEs are not runbooks; a runbook has front matter.
    return segments.includes("runbooks") || text.startsWith("---") ? "runbook" : undefined;
  }
  if (segments.includes("runbooks")) return "runbook";
  if (segments.includes("scenarios")) return "scenario";
  return /^(procedures|owner|escalation)\s*:/m.test(text) ? "runbook" : "scenario";
}

/** One file to read and validate; `kind` when its directory says what it is. */
interface FileJob {
  file: string;
  kind?: Kind;
}

/** A file's validated value or problems. */
interface FileOutcome {
  file: string;
  kind?: Kind;
  scenario?: Scenario;
  runbook?: Runbook;
  /** The parsed value of a file that did not validate. */
  draft?: unknown;
  problems: Problem[];
}

function parseOne(job: FileJob, options: LoadOptions): { outcome: FileOutcome; locate?: Locate } {
  const read = readRegularFile(job.file);
  if (!read.ok) {
    const problem = problemAt(
      { file: job.file, line: 1, col: 1 },
      [],
      `cannot read: ${read.reason}`,
      "read",
    );
    return { outcome: { file: job.file, problems: [problem] } };
  }
  try {
    return parseText(job, read.text, options);
  } catch (error) {
    // A bug of ours on one file must not stop every other file (and every command) from loading.
    const message = `could not be checked: ${error instanceof Error ? error.message : String(error)} (a firedrill bug: please report it with this file)`;
    return {
      outcome: {
        file: job.file,
        problems: [problemAt({ file: job.file, line: 1, col: 1 }, [], message, "internal")],
      },
    };
  }
}

function parseText(
  job: FileJob,
  text: string,
  options: LoadOptions,
): { outcome: FileOutcome; locate?: Locate } {
  const kind = classify(job, text);
  if (kind === undefined) return { outcome: { file: job.file, problems: [] } };
  const result =
    kind === "scenario"
      ? parseScenario(text, job.file, options)
      : parseRunbook(text, job.file, options);
  if (result.ok) {
    const value =
      kind === "scenario"
        ? { scenario: result.loaded.value as Scenario }
        : { runbook: result.loaded.value as Runbook };
    return {
      outcome: { file: job.file, kind, ...value, problems: [] },
      locate: result.loaded.locate,
    };
  }
  const outcome: FileOutcome = { file: job.file, kind, problems: result.problems };
  if (!result.draft) return { outcome };
  return { outcome: { ...outcome, draft: result.draft.value }, locate: result.draft.locate };
}

/**
 * Loads scenarios (`scenarios/**\/*.yaml|yml`) and runbooks (`runbooks/**\/*.yaml|yml|md`) under
 * each path (a directory holding `scenarios/` and `runbooks/`, any directory tree, or files), then
 * checks references between them. Never throws for bad input: everything lands in `problems`.
 */
export async function loadCatalog(
  paths: readonly CatalogPath[],
  options: LoadOptions = {},
): Promise<Catalog> {
  const { files, problems } = await discover(paths);
  const jobs: FileJob[] = files;
  const results = jobs.map((job) => parseOne(job, options));
  const order = new Map(jobs.map((job, index) => [job.file, index]));
  results.sort((a, b) => (order.get(a.outcome.file) ?? 0) - (order.get(b.outcome.file) ?? 0));
  const scenarios: ScenarioEntry[] = [];
  const runbooks: RunbookEntry[] = [];
  const rejected: RejectedEntry[] = [];
  for (const { outcome, locate } of results) {
    problems.push(...outcome.problems);
    if (outcome.scenario && locate) {
      scenarios.push({ file: outcome.file, value: outcome.scenario, locate });
    } else if (outcome.runbook && locate) {
      const format = MARKDOWN.test(outcome.file) ? "markdown" : "yaml";
      runbooks.push({ file: outcome.file, value: outcome.runbook, locate, format });
    } else if (outcome.draft !== undefined && outcome.kind && locate) {
      rejected.push({ file: outcome.file, kind: outcome.kind, value: outcome.draft, locate });
    }
  }
  problems.push(...crossCheck(scenarios, runbooks, rejected, problems));
  problems.sort(compareProblems);
  return { scenarios, runbooks, rejected, problems, files: files.map((f) => f.file) };
}

/** A scenario for the cross-file checks: a valid one, or one that parsed with errors. */
interface ScenarioLike {
  file: string;
  value: unknown;
  locate: Locate;
}

/** The `id` or `service` a file says it has, read from a valid or a rejected file alike. */
export function declared(entry: { value: unknown }, field: "id" | "service"): string | undefined {
  return textOf(recordOf(entry.value)?.[field]);
}

function crossCheck(
  valid: ScenarioEntry[],
  runbooks: RunbookEntry[],
  rejected: RejectedEntry[],
  problems: readonly Problem[],
): Problem[] {
  const out: Problem[] = [];
  // A rejected file's own problem at `id` or `service` already says what is wrong there.
  const flagged = new Set(problems.map((p) => `${p.file}\0${p.path}`));
  const unflagged = (entry: ScenarioLike, field: string) => !flagged.has(`${entry.file}\0${field}`);
  const scenarios: ScenarioLike[] = [...valid, ...rejected.filter((r) => r.kind === "scenario")];
  scenarios.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const invalidRunbooks = new Map<string, RejectedEntry>();
  for (const entry of rejected) {
    const service = declared(entry, "service");
    if (entry.kind === "runbook" && service !== undefined && !invalidRunbooks.has(service)) {
      invalidRunbooks.set(service, entry);
    }
  }
  const byService = new Map<string, RunbookEntry>();
  for (const entry of runbooks) {
    const first = byService.get(entry.value.service);
    if (first) {
      const at = first.locate(["service"]);
      out.push(
        problemAt(
          entry.locate(["service"]),
          ["service"],
          `service "${entry.value.service}" already has a runbook (${at.file}:${at.line}); one runbook per service`,
          "duplicate",
        ),
      );
    } else byService.set(entry.value.service, entry);
  }
  const byId = new Map<string, ScenarioLike>();
  const services = [...byService.keys()];
  for (const entry of scenarios) {
    const id = declared(entry, "id");
    const first = id === undefined || !unflagged(entry, "id") ? undefined : byId.get(id);
    if (first) {
      const at = first.locate(["id"]);
      out.push(
        problemAt(
          entry.locate(["id"]),
          ["id"],
          `duplicate scenario id "${id}" (also ${at.file}:${at.line}); scenario ids must be unique`,
          "duplicate",
        ),
      );
    } else if (id !== undefined && unflagged(entry, "id")) byId.set(id, entry);
    const service = declared(entry, "service");
    if (service === undefined || !unflagged(entry, "service")) continue;
    const runbook = byService.get(service);
    if (!runbook) {
      const invalid = invalidRunbooks.get(service);
      const known =
        services.length > 0
          ? `runbooks exist for: ${services.join(", ")}`
          : "no runbooks were loaded";
      const message = invalid
        ? `the runbook of service "${service}" (${invalid.file}) is invalid; fix the problems reported for it`
        : `no runbook for service "${service}"${didYouMean(service, services)}; ${known}`;
      out.push(problemAt(entry.locate(["service"]), ["service"], message, "reference"));
      continue;
    }
    out.push(...checkScenarioAgainstRunbook(entry, runbook.value));
  }
  return out;
}

export function runbookFor(catalog: Catalog, service: string): RunbookEntry | undefined {
  return catalog.runbooks.find((entry) => entry.value.service === service);
}

export interface ResolvedScenario {
  scenario: ScenarioEntry;
  runbook?: RunbookEntry;
  /** The scenario's `procedure`, or the runbook's only procedure when it names none. */
  procedure?: Procedure;
}

/** Finds a scenario by id or by file path, with its owning runbook and expected procedure. */
export function resolveScenario(catalog: Catalog, idOrPath: string): ResolvedScenario | undefined {
  const target = resolve(idOrPath);
  const scenario =
    catalog.scenarios.find((entry) => entry.value.id === idOrPath) ??
    catalog.scenarios.find((entry) => resolve(entry.file) === target);
  if (!scenario) return undefined;
  const runbook = runbookFor(catalog, scenario.value.service);
  const wanted = scenario.value.procedure;
  const procedures = runbook?.value.procedures ?? [];
  const procedure =
    wanted !== undefined
      ? procedures.find((p) => p.id === wanted)
      : procedures.length === 1
        ? procedures[0]
        : undefined;
  return {
    scenario,
    ...(runbook ? { runbook } : {}),
    ...(procedure ? { procedure } : {}),
  };
}

/** Every scenario file, valid or rejected, that declares `id`: more than one is ambiguous. */
export function filesDeclaring(catalog: Catalog, id: string): string[] {
  return [
    ...catalog.scenarios.filter((entry) => entry.value.id === id),
    ...catalog.rejected.filter(
      (entry) => entry.kind === "scenario" && declared(entry, "id") === id,
    ),
  ]
    .map((entry) => entry.file)
    .sort();
}

/** The invalid runbook that declares `service`, when no valid one does. */
export function rejectedRunbookFor(catalog: Catalog, service: string): RejectedEntry | undefined {
  return catalog.rejected.find(
    (entry) => entry.kind === "runbook" && declared(entry, "service") === service,
  );
}

/** Ids close to a mistyped one, for "scenario not found" messages. */
export function suggestScenario(catalog: Catalog, idOrPath: string): string {
  return didYouMean(
    idOrPath,
    catalog.scenarios.map((entry) => entry.value.id),
  );
}
