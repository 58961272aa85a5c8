import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  type Catalog,
  type CatalogPath,
  loadCatalog,
  type ResolvedScenario,
  resolveScenario,
} from "./catalog.js";
import { type LoadOptions, loadConfig } from "./load.js";
import type { Problem } from "./problem.js";
import { Config } from "./project-config.js";

export const CONFIG_FILE = "firedrill.config.yaml";

export interface Workspace {
  config: Config;
  /** Problems of firedrill.config.yaml itself; the config is the defaults when there are any. */
  configProblems: Problem[];
  /** The paths the catalog was loaded from. */
  paths: CatalogPath[];
  /** True when neither scenarios/ nor runbooks/ exist here and the bundled samples were used. */
  bundled: boolean;
  catalog: Catalog;
}

export interface WorkspaceOptions extends LoadOptions {
  cwd: string;
  /** Explicit paths from the command line; empty: the config's (or default) directories. */
  paths: readonly string[];
  /** Where firedrill's own samples live (a directory with scenarios/ and runbooks/). */
  bundledRoot?: string;
}

/**
 * Reads `firedrill.config.yaml` from cwd, then the catalog from the given paths, else from the
 * configured `scenarios`/`runbooks` directories, else from the samples bundled with firedrill.
 */
export async function openWorkspace(options: WorkspaceOptions): Promise<Workspace> {
  const env = options.env ? { env: options.env } : {};
  const configResult = await loadConfig(join(options.cwd, CONFIG_FILE), env);
  const configProblems = configResult.ok ? [] : configResult.problems;
  const config = configResult.ok ? configResult.loaded.value : Config.parse({});
  let paths: CatalogPath[] = [...options.paths];
  let bundled = false;
  if (paths.length === 0) {
    const dirs = [
      { path: join(options.cwd, config.scenarios), kind: "scenario" as const },
      { path: join(options.cwd, config.runbooks), kind: "runbook" as const },
    ].filter((dir) => existsSync(dir.path));
    if (dirs.length > 0) {
      paths = dirs.map((dir) => ({ ...dir, path: relativeIfInside(options.cwd, dir.path) }));
    } else if (options.bundledRoot) {
      paths = [options.bundledRoot];
      bundled = true;
    }
  }
  let catalog = await loadCatalog(paths, env);
  // `lint scenarios/one.yaml`: scenarios without any runbook would fail every service reference,
  // so the configured runbooks directory comes along to resolve them.
  const runbooksDir = join(options.cwd, config.runbooks);
  if (
    options.paths.length > 0 &&
    catalog.runbooks.length === 0 &&
    catalog.scenarios.length + catalog.problems.length > 0 &&
    existsSync(runbooksDir)
  ) {
    paths = [...paths, { path: relativeIfInside(options.cwd, runbooksDir), kind: "runbook" }];
    catalog = await loadCatalog(paths, env);
  }
  return { config, configProblems, paths, bundled, catalog };
}

/**
 * The scenario an argument names: an id (or file) in the workspace's catalog, else a scenario file
 * outside the configured directories, read together with the workspace's runbooks. `catalog` is
 * where it was looked up, for its problems and suggestions.
 */
export async function findScenario(
  workspace: Workspace,
  arg: string,
): Promise<{ catalog: Catalog; resolved: ResolvedScenario | undefined }> {
  const found = resolveScenario(workspace.catalog, arg);
  if (found || !existsSync(arg)) return { catalog: workspace.catalog, resolved: found };
  const catalog = await loadCatalog([arg, ...workspace.paths]);
  return { catalog, resolved: resolveScenario(catalog, arg) };
}

/** Paths inside cwd are shown relative, the way the user would type them. */
function relativeIfInside(cwd: string, path: string): string {
  const prefix = cwd.endsWith("/") ? cwd : `${cwd}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}
