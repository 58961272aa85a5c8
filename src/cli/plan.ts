import { defaultJournalDir } from "../drill/journal.js";
import type { DrillPlan } from "../drill/launch.js";
import { filesDeclaring, rejectedRunbookFor, suggestScenario } from "../model/catalog.js";
import { formatProblem, type Problem } from "../model/problem.js";
import type { Mode } from "../model/scenario.js";
import { terminalSafe } from "../model/terminal-text.js";
import { findScenario, openWorkspace, type Workspace } from "../model/workspace.js";
import { bundledRoot } from "./bundled-root.js";
import { UsageError } from "./exit.js";
import { defaultResponder } from "./responder.js";
import { VERSION } from "./version.js";

export interface RunOptions {
  mode?: Mode;
  auto?: boolean;
  script?: string;
  json?: boolean;
  responder?: string;
  journalDir?: string;
  url?: string;
  /** interactive only: this terminal shows the facilitator's view too */
  facilitator?: boolean;
  /** The scenario id, typed back: production-looking hosts are a deliberate, named choice. */
  allowProduction?: string;
  /** a Prometheus Pushgateway for the drill's figures (overrides config `pushgateway`) */
  push?: string;
  /** serve the drill to joined roles (docs/roles.md) */
  share?: boolean;
  sharePort?: string;
  shareHost?: string;
}

/** Opens the workspace in cwd and plans the drill there: see planFor. */
export async function resolvePlan(
  scenarioArg: string,
  options: RunOptions,
  cwd = process.cwd(),
): Promise<DrillPlan> {
  const workspace = await openWorkspace({ cwd, paths: [], bundledRoot: bundledRoot() });
  return planFor(workspace, scenarioArg, options, cwd);
}

/**
 * The scenario (by id, or by path even outside the configured directories) and its runbook in an
 * open workspace, with the options, as a drill plan. Throws UsageError on bad input. The TUI plans
 * with the workspace it shows, so the drill it starts is the one it briefed.
 */
export async function planFor(
  workspace: Workspace,
  scenarioArg: string,
  options: RunOptions,
  cwd = process.cwd(),
): Promise<DrillPlan> {
  // a drill must not fall back to the default allow-list because its config does not load
  if (workspace.configProblems.length > 0)
    throw new UsageError(problemsText(workspace.configProblems));
  const { catalog, resolved } = await findScenario(workspace, scenarioArg);
  const declaring = filesDeclaring(catalog, scenarioArg);
  if (declaring.length > 1) {
    throw new UsageError(
      terminalSafe(
        `scenario id "${scenarioArg}" is declared by ${declaring.length} files: ${declaring.join(", ")}; give ids that are unique (firedrill lint shows the duplicates), or run one by its file path`,
      ),
    );
  }
  if (!resolved) {
    // A scenario with errors is not in the catalog, but its id or path still says which it is.
    const own = catalog.problems.filter((p) => p.file === scenarioArg || p.file === declaring[0]);
    if (own.length > 0) throw new UsageError(problemsText(own));
    throw new UsageError(
      terminalSafe(
        `no scenario "${scenarioArg}"${suggestScenario(catalog, scenarioArg)}; \`firedrill list\` shows them`,
      ),
    );
  }
  const { scenario, runbook, procedure } = resolved;
  // An invalid runbook is not in the catalog either: its problems explain why the drill cannot run.
  const invalidRunbook = runbook ? undefined : rejectedRunbookFor(catalog, scenario.value.service);
  const files = new Set([scenario.file, runbook?.file, invalidRunbook?.file]);
  const problems = catalog.problems.filter((p) => p.severity === "error" && files.has(p.file));
  if (problems.length > 0) throw new UsageError(problemsText(problems));
  const value = scenario.value;
  const mode: Mode = options.mode ?? (value.modes.includes("tabletop") ? "tabletop" : "gameday");
  if (!value.modes.includes(mode)) {
    throw new UsageError(
      `scenario ${value.id} does not allow --mode ${mode}; its modes are ${value.modes.join(", ")}`,
    );
  }
  if (options.allowProduction !== undefined && options.allowProduction !== value.id) {
    throw new UsageError(
      `--allow-production must be followed by the scenario id to confirm: --allow-production ${value.id}`,
    );
  }
  const config = workspace.config;
  return {
    scenario: value,
    ...(runbook ? { runbook: runbook.value } : {}),
    file: scenario.file,
    ...(procedure ? { expectedProcedure: procedure.id } : {}),
    mode,
    responder: options.responder ?? defaultResponder(),
    responderKind: options.auto ? "auto" : options.script ? "script" : "person",
    journalDir: options.journalDir ?? config.journalDir ?? defaultJournalDir,
    toxiproxyUrl: options.url ?? process.env.TOXIPROXY_URL ?? config.toxiproxyUrl,
    allowHosts: config.allowHosts,
    productionPatterns: config.productionPatterns,
    allowProduction: options.allowProduction === value.id,
    cwd,
    firedrillVersion: VERSION,
    ...((options.push ?? config.pushgateway)
      ? { pushgateway: options.push ?? config.pushgateway }
      : {}),
  };
}

function problemsText(problems: readonly Problem[]): string {
  return `the scenario cannot run:\n${problems.map((p) => `  ${formatProblem(p)}`).join("\n")}`;
}
