import { type Command, Option } from "commander";
import { readJournalFiles } from "../../drill/journal-reader.js";
import { problemText } from "../../drill/journal-record.js";
import {
  type DrillFilter,
  isAutomated,
  matchesHeader,
  parseSince,
  SINCE_HINT,
} from "../../history/filters.js";
import { historyOpenMetrics } from "../../history/history-openmetrics.js";
import { historyJson, type Included, renderHistoryText } from "../../history/history-table.js";
import { collect, journalFiles, resolveDirs } from "../../history/sources.js";
import type { Mode } from "../../model/scenario.js";
import { colorAllowed as colorWanted } from "../../platform/colour.js";
import { EXIT_USAGE, ExitWith, UsageError } from "../exit.js";

interface HistoryOptions {
  scenario?: string;
  service?: string;
  team?: string;
  since?: string;
  mode?: string;
  responder?: string;
  includeAutomated?: boolean;
  json?: boolean;
  format?: "text" | "json" | "openmetrics";
  journalDir?: string[];
}

const MODES: readonly Mode[] = ["tabletop", "gameday"];

/** Turns the shared filter flags into a filter; a malformed --since or --mode is a usage error. */
export function filterFromFlags(
  flags: Omit<DrillFilter, "since" | "mode"> & { since?: string; mode?: string },
): DrillFilter {
  const filter: DrillFilter = {};
  if (flags.scenario !== undefined) filter.scenario = flags.scenario;
  if (flags.service !== undefined) filter.service = flags.service;
  if (flags.team !== undefined) filter.team = flags.team;
  if (flags.responder !== undefined) filter.responder = flags.responder;
  if (flags.mode !== undefined) {
    if (!MODES.includes(flags.mode as Mode))
      throw new UsageError(`--mode "${flags.mode}" is not one of ${MODES.join(", ")}`);
    filter.mode = flags.mode as Mode;
  }
  if (flags.since !== undefined) {
    const since = parseSince(flags.since, new Date());
    if (!since) throw new UsageError(`--since "${flags.since}" is not ${SINCE_HINT}`);
    filter.since = since;
  }
  return filter;
}

// The options history and report share to pick which drills are read and compared.
export const modeOption = () =>
  new Option("--mode <mode>", "only drills in this mode").choices(MODES);
export const responderOption = () =>
  new Option("--responder <name>", "only drills this responder (as journaled) answered");
export const includeAutomatedOption = () =>
  new Option(
    "--include-automated",
    "compare with --auto and --script runs too (default: people with people)",
  );
export const journalDirOption = () =>
  new Option(
    "--journal-dir <dir>",
    "where drill journals are; repeat to read several (default: journalDir in firedrill.config.yaml, else .firedrill/drills)",
  ).argParser(collect);

export function registerHistory(program: Command): void {
  program
    .command("history")
    .description(
      "Every drill so far (timings, score, outcome), then MTTR per scenario, service and team: median, p90, mean, trend and share within target",
    )
    .option("--scenario <id>", "only drills of this scenario")
    .option("--service <name>", "only drills of scenarios for this service")
    .option("--team <owner>", "only drills of scenarios this team owns (the scenario's owner)")
    .option("--since <period>", `only drills started since then: ${SINCE_HINT}`)
    .addOption(modeOption())
    .addOption(responderOption())
    .addOption(includeAutomatedOption())
    .option("--json", "print JSON: drills, aggregates and journal problems")
    .addOption(
      new Option(
        "--format <format>",
        "text (default), json (as --json), or openmetrics: every finished drill's figures, as run --push pushes them, for a scrape or a textfile collector (every responder kind; the label says which)",
      ).choices(["text", "json", "openmetrics"]),
    )
    .addOption(journalDirOption())
    .addHelpText(
      "after",
      `
Timings are measured from the first fault: TTD detect, TTA acknowledge, TTM mitigate, TTR recover.
A drill killed before it finished shows as "incomplete"; its timings are recomputed from its events.
Trend compares the median TTR of the first and the last third of the period shown.
Like is compared with like: drills by people only unless --include-automated, and every aggregate
row is one mode and one kind of responder. The last line says what was included.

Examples:
  $ firedrill history
  $ firedrill history --scenario checkout-db-latency --since 90d
  $ firedrill history --mode gameday --responder alice
  $ firedrill history --team payments --json | jq '.aggregates.scenario'
  $ firedrill history --format openmetrics > /var/lib/prometheus/node-exporter/firedrill.prom
  $ firedrill history --journal-dir .firedrill/drills --journal-dir ../ops-drills/journals`,
    )
    .action(async (options: HistoryOptions) => {
      const filter = filterFromFlags(options);
      const dirs = await resolveDirs(process.cwd(), options);
      for (const warning of dirs.warnings) process.stderr.write(`firedrill: warning: ${warning}\n`);
      const result = readJournalFiles(journalFiles(dirs.journalDirs), {
        // openmetrics counts detection gaps, which only the events' digest holds
        digest: options.format === "openmetrics",
        accept: (h) => matchesHeader(h, filter),
      });
      for (const problem of result.problems)
        process.stderr.write(`firedrill: ${problem.severity}: ${problemText(problem)}\n`);
      for (const refused of result.refused)
        process.stderr.write(`firedrill: error: ${problemText(refused)}\n`);

      if (options.format === "openmetrics") {
        // Labelled by responder kind, so every drill is in: a query picks people or robots.
        process.stdout.write(historyOpenMetrics(result.drills));
        if (result.refused.length > 0) throw new ExitWith(EXIT_USAGE);
        return;
      }
      const includeAutomated = options.includeAutomated === true;
      const drills = includeAutomated
        ? result.drills
        : result.drills.filter((d) => !isAutomated(d));
      const included: Included = {
        mode: filter.mode ?? null,
        responder: filter.responder ?? null,
        responderKinds: includeAutomated ? ["person", "auto", "script"] : ["person"],
        automatedLeftOut: result.drills.length - drills.length,
      };
      if (options.json || options.format === "json") {
        const json = historyJson(drills, included, [...result.refused, ...result.problems]);
        process.stdout.write(`${JSON.stringify(json)}\n`);
      } else if (drills.length === 0) {
        const filtered =
          Object.keys(filter).length > 0 || included.automatedLeftOut > 0
            ? " matching these filters"
            : "";
        const left =
          included.automatedLeftOut > 0
            ? ` (${included.automatedLeftOut} --auto/--script runs left out: add --include-automated)`
            : "";
        process.stdout.write(
          `No drills${filtered} in ${dirs.journalDir}${left}. Run one with: firedrill run <scenario>\n`,
        );
      } else {
        process.stdout.write(renderHistoryText(drills, included, { color: colorWanted() }));
      }
      // Figures without the refused journals would look complete but are not.
      if (result.refused.length > 0) throw new ExitWith(EXIT_USAGE);
    });
}
