import { basename } from "node:path";
import { parseJournalFileName } from "../drill/journal.js";
import { responderKindOf } from "../drill/journal-format.js";
import { listJournalFiles, readJournalFiles } from "../drill/journal-reader.js";
import type { DrillRecord } from "../drill/journal-record.js";
import { suggestScenario } from "../model/catalog.js";
import { findScenario, type Workspace } from "../model/workspace.js";
import type {
  Briefing,
  CatalogEntry,
  DrillPort,
  PastDrill,
  StartOptions,
  TuiDeps,
} from "./drill-port.js";

export interface WorkspaceDepsOptions {
  workspace: Workspace;
  /** where journals are read from (the config's `journalDir`, resolved) */
  journalDir: string;
  /** starts a drill: the run command's session factory, wrapped in `sessionPort` */
  start: (options: StartOptions) => Promise<DrillPort>;
  defaultResponder: string;
}

function pastDrill(record: DrillRecord): PastDrill {
  return {
    drillId: record.header.drillId,
    startedAt: record.header.startedAt,
    mode: record.header.mode,
    responderKind: responderKindOf(record.header, record.timings.tta),
    outcome: record.outcome,
    ...record.timings,
    ...(record.score === null ? {} : { score: record.score }),
  };
}

/**
 * The TUI's loaders over a workspace (catalog, config) and the journal directory. The preflight is
 * the caller's: it runs the drill engine's own checks.
 */
export function workspaceDeps(options: WorkspaceDepsOptions): Omit<TuiDeps, "preflight"> {
  const { workspace, journalDir } = options;
  const { catalog } = workspace;
  // A journal's name says which scenario it is of; only a renamed one has to be opened to tell.
  // One listing and one read of the directory, however many scenarios are asked for.
  const drillsOf = (ids: ReadonlySet<string>): Map<string, PastDrill[]> => {
    const files = listJournalFiles(journalDir).filter((file) => {
      const name = parseJournalFileName(basename(file));
      return name === undefined || ids.has(name.scenarioId);
    });
    // Every scenario asked for gets a list, if only an empty one: none drilled yet.
    const byScenario = new Map<string, PastDrill[]>([...ids].map((id) => [id, []]));
    const { drills } = readJournalFiles(files, { accept: (header) => ids.has(header.scenario.id) });
    for (const record of drills) {
      const id = record.header.scenario.id;
      byScenario.set(id, [...(byScenario.get(id) ?? []), pastDrill(record)]);
    }
    for (const list of byScenario.values())
      list.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    return byScenario;
  };
  // The same lookup as the drill's plan: an id, or a scenario file even outside the directories.
  const briefing = async (id: string): Promise<Briefing> => {
    const { catalog: searched, resolved } = await findScenario(workspace, id);
    if (!resolved) throw new Error(`no scenario "${id}"${suggestScenario(searched, id)}`);
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
    async history(id: string): Promise<readonly PastDrill[]> {
      return drillsOf(new Set([id])).get(id) ?? [];
    },
    async histories(ids: readonly string[]): Promise<ReadonlyMap<string, readonly PastDrill[]>> {
      return drillsOf(new Set(ids));
    },
    start: options.start,
  };
}
