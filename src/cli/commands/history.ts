import type { Command } from "commander";
import { readJournalDir } from "../../drill/journal-reader.js";
import { problemText } from "../../drill/journal-record.js";
import { type DrillFilter, matchesHeader, parseSince, SINCE_HINT } from "../../history/filters.js";
import { historyJson, renderHistoryText } from "../../history/history-view.js";
import { resolveDirs } from "../../history/sources.js";
import { useColor as colorWanted } from "../../tui/terminal.js";
import { EXIT_USAGE, ExitWith, UsageError } from "../exit.js";

interface HistoryOptions {
  scenario?: string;
  service?: string;
  team?: string;
  since?: string;
  json?: boolean;
  journalDir?: string;
}

/** Turns the shared filter flags into a filter; a malformed --since is a usage error. */
export function filterFromFlags(
  flags: Omit<DrillFilter, "since"> & { since?: string },
): DrillFilter {
  const filter: DrillFilter = {};
  if (flags.scenario !== undefined) filter.scenario = flags.scenario;
  if (flags.service !== undefined) filter.service = flags.service;
  if (flags.team !== undefined) filter.team = flags.team;
  if (flags.since !== undefined) {
    const since = parseSince(flags.since, new Date());
    if (!since) throw new UsageError(`--since "${flags.since}" is not ${SINCE_HINT}`);
    filter.since = since;
  }
  return filter;
}

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
    .option("--json", "print JSON: drills, aggregates and journal problems")
    .option(
      "--journal-dir <dir>",
      "where drill journals are (default: journalDir in firedrill.config.yaml, else .firedrill/drills)",
    )
    .addHelpText(
      "after",
      `
Timings are measured from the first fault: TTD detect, TTA acknowledge, TTM mitigate, TTR recover.
A drill killed before it finished shows as "incomplete"; its timings are recomputed from its events.
Trend compares the median TTR of the first and the last third of the period shown.

Examples:
  $ firedrill history
  $ firedrill history --scenario checkout-db-latency --since 90d
  $ firedrill history --team payments --json | jq '.aggregates.scenario'
  $ firedrill history --journal-dir ci-artifacts/drills`,
    )
    .action(async (options: HistoryOptions) => {
      const filter = filterFromFlags(options);
      const dirs = await resolveDirs(process.cwd(), options);
      for (const warning of dirs.warnings) process.stderr.write(`firedrill: warning: ${warning}\n`);
      const result = readJournalDir(dirs.journalDir, {
        digest: false,
        accept: (h) => matchesHeader(h, filter),
      });
      for (const problem of result.problems)
        process.stderr.write(`firedrill: ${problem.severity}: ${problemText(problem)}\n`);
      for (const refused of result.refused)
        process.stderr.write(`firedrill: error: ${problemText(refused)}\n`);

      if (options.json) {
        const json = historyJson(result.drills, [...result.refused, ...result.problems]);
        process.stdout.write(`${JSON.stringify(json)}\n`);
      } else if (result.drills.length === 0) {
        const filtered = Object.keys(filter).length > 0 ? " matching these filters" : "";
        process.stdout.write(
          `No drills${filtered} in ${dirs.journalDir}. Run one with: firedrill run <scenario>\n`,
        );
      } else {
        process.stdout.write(renderHistoryText(result.drills, { color: colorWanted() }));
      }
      // Figures without the refused journals would look complete but are not.
      if (result.refused.length > 0) throw new ExitWith(EXIT_USAGE);
    });
}
