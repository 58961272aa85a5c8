import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadCatalog } from "../model/catalog.js";
import { Config } from "../model/config.js";
import { loadConfig } from "../model/load.js";
import { formatProblem } from "../model/problem.js";
import { CONFIG_FILE } from "../model/workspace.js";
import { type RunbookLocator, yamlRunbookLocator } from "./runbook-patch.js";

export interface ResolvedDirs {
  journalDir: string;
  runbooksDir: string;
  /** Problems of the config file; the defaults are used when there are any. */
  warnings: string[];
}

/** `--journal-dir`/`--runbooks` flags, else `firedrill.config.yaml` in cwd, else the defaults. */
export async function resolveDirs(
  cwd: string,
  flags: { journalDir?: string; runbooks?: string },
): Promise<ResolvedDirs> {
  const result = await loadConfig(join(cwd, CONFIG_FILE));
  // As openWorkspace does for every other command: a config with problems counts as the defaults.
  const config = result.ok ? result.loaded.value : Config.parse({});
  return {
    journalDir: flags.journalDir ?? config.journalDir,
    runbooksDir: flags.runbooks ?? config.runbooks,
    warnings: result.ok ? [] : result.problems.map(formatProblem),
  };
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
