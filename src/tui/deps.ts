import { basename } from "node:path";
import { parseJournalFileName } from "../drill/journal.js";
import { type DrillRecord, listJournalFiles, readJournalFiles } from "../history/index.js";
import { resolveScenario, suggestScenario } from "../model/catalog.js";
import type { Workspace } from "../model/workspace.js";
import type {
  Briefing,
  CatalogEntry,
  DrillPort,
  PastDrill,
  Preflight,
  StartOptions,
  TuiDeps,
} from "./types.js";

export interface WorkspaceDepsOptions {
  workspace: Workspace;
  /** where journals are read from (the config's `journalDir`, resolved) */
  journalDir: string;
  /** starts a drill: the run command's session factory, wrapped in `sessionPort` */
  start: (options: StartOptions, briefing: Briefing) => Promise<DrillPort>;
  defaultResponder: string;
  toxiproxyUrl?: string;
}

function pastDrill(record: DrillRecord): PastDrill {
  return {
    drillId: record.header.drillId,
    startedAt: record.header.startedAt,
    mode: record.header.mode,
    outcome: record.outcome,
    ...record.timings,
    ...(record.score === null ? {} : { score: record.score }),
  };
}

/** The TUI's loaders over a workspace (catalog, config) and the journal directory. */
export function workspaceDeps(options: WorkspaceDepsOptions): TuiDeps {
  const { workspace, journalDir } = options;
  const { catalog, config } = workspace;
  // A journal's name says which scenario it is of; only a renamed one has to be opened to tell.
  const drillsOf = (id: string): PastDrill[] =>
    readJournalFiles(
      listJournalFiles(journalDir).filter((file) => {
        const name = parseJournalFileName(basename(file));
        return name === undefined || name.scenarioId === id;
      }),
      { accept: (header) => header.scenario.id === id },
    )
      .drills.map(pastDrill)
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const briefing = async (id: string): Promise<Briefing> => {
    const resolved = resolveScenario(catalog, id);
    if (!resolved) throw new Error(`no scenario "${id}"${suggestScenario(catalog, id)}`);
    return {
      scenario: resolved.scenario.value,
      file: resolved.scenario.file,
      ...(resolved.runbook ? { runbook: resolved.runbook.value } : {}),
    };
  };
  return {
    defaultResponder: options.defaultResponder,
    async catalog(): Promise<readonly CatalogEntry[]> {
      const owners = new Map(catalog.runbooks.map((r) => [r.value.service, r.value.owner]));
      // Journal names start with the drill's start time, so the newest per scenario is known
      // from the names alone: only those are read, however many drills there were.
      const newest = new Map<string, string>();
      for (const file of listJournalFiles(journalDir)) {
        const name = parseJournalFileName(basename(file));
        if (name) newest.set(name.scenarioId, file);
      }
      const latest = new Map<string, PastDrill>();
      for (const record of readJournalFiles([...newest.values()]).drills) {
        latest.set(record.header.scenario.id, pastDrill(record));
      }
      return catalog.scenarios.map(({ value, file }) => {
        const last = latest.get(value.id);
        const owner = owners.get(value.service);
        return {
          id: value.id,
          title: value.title,
          service: value.service,
          ...(owner ? { owner } : {}),
          severity: value.severity,
          modes: value.modes,
          tags: value.tags,
          targetTtr: value.targets.ttr,
          file,
          ...(last ? { lastDrilledAt: last.startedAt, lastTtr: last.ttr } : {}),
        };
      });
    },
    briefing,
    async preflight(id: string): Promise<Preflight> {
      const { scenario } = await briefing(id);
      const url = options.toxiproxyUrl ?? config.toxiproxyUrl;
      const { runPreflight } = await import("../faults/safety/preflight.js");
      const report = await runPreflight({
        scenario,
        allowHosts: [...config.allowHosts, ...scenario.safety.allowHosts],
        productionPatterns: config.productionPatterns,
        toxiproxyUrl: url,
      });
      return {
        toxiproxyUrl: url,
        ok: report.ok,
        lines: report.checks.map((c) => ({ ok: c.ok, text: `${c.name}: ${c.detail}` })),
      };
    },
    async history(id: string): Promise<readonly PastDrill[]> {
      return drillsOf(id);
    },
    async start(startOptions: StartOptions): Promise<DrillPort> {
      return options.start(startOptions, await briefing(startOptions.scenario));
    },
  };
}
