import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { listJournalFiles } from "../drill/journal-reader.js";
import { loadCatalog } from "../model/catalog.js";
import { loadConfig } from "../model/load.js";
import { formatProblem } from "../model/problem.js";
import { Config } from "../model/project-config.js";
import { CONFIG_FILE } from "../model/workspace.js";
import { type RunbookLocator, yamlRunbookLocator } from "./runbook-patch.js";

export interface ResolvedDirs {
  /** Every directory (or file) journals are read from, in the order given. */
  journalDirs: string[];
  /** The same, as one text for messages ("a, b"). */
  journalDir: string;
  runbooksDir: string;
  /** Problems of the config file; the defaults are used when there are any. */
  warnings: string[];
}

/** Commander's collector for a repeatable option: `--journal-dir a --journal-dir b`. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * `--journal-dir` (repeatable) and `--runbooks` flags, else `firedrill.config.yaml` in cwd, else
 * the defaults.
 */
export async function resolveDirs(
  cwd: string,
  flags: { journalDir?: string | string[]; runbooks?: string },
): Promise<ResolvedDirs> {
  const result = await loadConfig(join(cwd, CONFIG_FILE));
  // As openWorkspace does for every other command: a config with problems counts as the defaults.
  const config = result.ok ? result.loaded.value : Config.parse({});
  const given = flags.journalDir === undefined ? [] : [flags.journalDir].flat();
  const journalDirs = given.length > 0 ? given : [config.journalDir];
  return {
    journalDirs,
    journalDir: journalDirs.join(", "),
    runbooksDir: flags.runbooks ?? config.runbooks,
    warnings: result.ok ? [] : result.problems.map(formatProblem),
  };
}

/**
 * The journal files of every directory, oldest name first within each. Journal names carry the
 * drill id, so a journal found under the same name in several directories (a team's shared
 * directory and a local copy) is the same drill: it is read once, from the first directory.
 */
export function journalFiles(dirs: readonly string[]): string[] {
  const seen = new Set<string>();
  const files: string[] = [];
  for (const dir of dirs) {
    for (const file of listJournalFiles(dir)) {
      if (seen.has(basename(file))) continue;
      seen.add(basename(file));
      files.push(file);
    }
  }
  return files;
}

/**
 * Finds runbook files through the catalog loader, so patches target the file lint validates.
 * Markdown runbooks get no patch (their steps are prose, a YAML diff would not apply).
 */
export async function catalogRunbookLocator(dir: string): Promise<RunbookLocator> {
  try {
    const catalog = await loadCatalog([{ path: dir, kind: "runbook" }]);
    // A runbook failing validation still deserves its patch: fall back to reading the YAML.
    const fallback = yamlRunbookLocator(dir);
    return (service, procedure) => {
      const holding = catalog.runbooks.filter(
        (r) => r.format === "yaml" && r.value.procedures.some((p) => p.id === procedure),
      );
      const hit = holding.find((r) => r.value.service === service) ?? holding[0];
      if (!hit) return fallback(service, procedure);
      try {
        return { file: hit.file, text: readFileSync(hit.file, "utf8") };
      } catch {
        return null;
      }
    };
  } catch {
    return yamlRunbookLocator(dir);
  }
}
