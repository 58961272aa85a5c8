import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import type { Command } from "commander";
import { listJournalFiles, readJournalDir, readJournalFiles } from "../../drill/journal-reader.js";
import { type DrillRecord, type JournalProblem, problemText } from "../../drill/journal-record.js";
import { latestPerScenario, renderCsv, renderJson, renderJunit } from "../../history/exports.js";
import { matchesHeader } from "../../history/filters.js";
import { renderHtml } from "../../history/render-html.js";
import { renderMarkdown } from "../../history/render-md.js";
import { buildDrillReport, driftReports } from "../../history/report-model.js";
import { catalogRunbookLocator, resolveDirs } from "../../history/sources.js";
import { EXIT_USAGE, UsageError } from "../exit.js";
import { filterFromFlags } from "./history.js";

const FORMATS = ["md", "html", "json", "csv", "junit"] as const;
type Format = (typeof FORMATS)[number];

interface ReportOptions {
  format: string;
  out?: string;
  latest?: boolean;
  latestPerScenario?: boolean;
  journalDir?: string;
  runbooks?: string;
  scenario?: string;
  service?: string;
  team?: string;
  since?: string;
}

export function registerReport(program: Command): void {
  program
    .command("report")
    .argument("[journal...]", "a journal file, a directory of journals, or a drill id")
    .description(
      "Write a post-drill report (md, html) or export drills (json, csv, junit), with runbook drift and a suggested runbook patch",
    )
    .option("-f, --format <format>", `one of ${FORMATS.join(", ")}`, "md")
    .option("-o, --out <file>", "write to this file instead of stdout")
    .option("--latest", "the most recent drill (within the filters)")
    .option(
      "--latest-per-scenario",
      "only the most recent drill of each scenario (json, csv, junit)",
    )
    .option("--scenario <id>", "only drills of this scenario")
    .option("--service <name>", "only drills of this service")
    .option("--team <owner>", "only drills of scenarios this team owns")
    .option("--since <period>", "only drills started since then, e.g. 90d or 2026-01-31")
    .option(
      "--journal-dir <dir>",
      "where drill journals are (default: journalDir in firedrill.config.yaml, else .firedrill/drills)",
    )
    .option(
      "--runbooks <dir>",
      "where runbooks are, for the suggested patch (default: runbooks in the config, else runbooks/)",
    )
    .addHelpText(
      "after",
      `
md and html report on one drill: a journal, a drill id or --latest. json, csv and junit export every
drill given (default: all in the journal dir); junit fails a test case when the drill did not recover
or its TTR exceeded the target. History never writes to journals.

Examples:
  $ firedrill report --latest
  $ firedrill report .firedrill/drills/2026-03-01T10-00-00Z-checkout.jsonl --format html --out drill.html
  $ firedrill report --format junit --latest-per-scenario --out firedrill-junit.xml
  $ firedrill report --format csv --since 90d > drills.csv
  $ firedrill report --latest --format json | jq '.drift[0].patch' -r | git apply`,
    )
    .action(async (journals: string[], options: ReportOptions) => {
      const format = options.format as Format;
      if (!FORMATS.includes(format))
        throw new UsageError(`--format "${options.format}" is not one of ${FORMATS.join(", ")}`);
      const single = format === "md" || format === "html";
      if (single && !options.latest && journals.length !== 1)
        throw new UsageError(
          journals.length === 0
            ? `a ${format} report is about one drill: give a journal file or drill id, or --latest`
            : `a ${format} report is about one drill, got ${journals.length}; use --format json, csv or junit for several`,
        );
      const filter = filterFromFlags(options);
      const dirs = await resolveDirs(process.cwd(), options);
      for (const warning of dirs.warnings) process.stderr.write(`firedrill: warning: ${warning}\n`);

      const problems: JournalProblem[] = [];
      const report = (list: readonly JournalProblem[]) => {
        for (const p of list) process.stderr.write(`firedrill: ${p.severity}: ${problemText(p)}\n`);
        problems.push(...list);
      };

      const files =
        journals.length > 0 ? journals.flatMap((j) => resolveJournalArg(j, dirs.journalDir)) : null;
      const accept = (h: DrillRecord["header"]) => matchesHeader(h, filter);
      const read = files
        ? readJournalFiles(files, { accept, keepEvents: single })
        : // junit needs only header and summary, so event lines are checked, not parsed.
          readJournalDir(dirs.journalDir, {
            accept,
            keepEvents: false,
            digest: format !== "junit",
          });
      report(read.problems);
      if (read.refused.length > 0) {
        report(read.refused);
        if (single || files)
          throw new UsageError("cannot report on a journal from a newer firedrill (see above)");
      }
      let drills = read.drills;
      if (options.latest) drills = drills.slice(-1);
      if (options.latestPerScenario) drills = latestPerScenario(drills);
      if (drills.length === 0) {
        const where = files ? files.join(", ") : dirs.journalDir;
        throw new UsageError(
          `no drills to report on in ${where}${Object.keys(filter).length ? " matching these filters" : ""}`,
        );
      }

      let output: string;
      if (single) {
        let drill = drills[0]!;
        if (drill.events.length === 0 && drill.digest.eventCount > 0) {
          // --latest found it without events; read it again, whole, for the timeline.
          const again = readJournalFiles([drill.file], { keepEvents: true });
          drill = again.drills[0] ?? drill;
        }
        const scenario = drill.header.scenario.id;
        // The journal dir was just read (without --scenario it holds every drill): reuse it.
        const others =
          files === null && filter.scenario === undefined && filter.since === undefined
            ? { drills: read.drills.filter((d) => d.header.scenario.id === scenario) }
            : readJournalDir(dirs.journalDir, { accept: (h) => h.scenario.id === scenario });
        const locate = await catalogRunbookLocator(dirs.runbooksDir);
        const built = buildDrillReport(drill, others.drills, locate);
        output = format === "md" ? renderMarkdown(built) : renderHtml(built);
      } else if (format === "csv") {
        output = renderCsv(drills);
      } else if (format === "junit") {
        output = renderJunit(drills);
      } else {
        const locate = drills.some((d) => d.digest.offRunbook.length > 0)
          ? await catalogRunbookLocator(dirs.runbooksDir)
          : null;
        output = renderJson(drills, driftReports(drills, locate), problems);
      }

      if (options.out) {
        try {
          mkdirSync(dirname(options.out), { recursive: true });
          writeFileSync(options.out, output);
        } catch (error) {
          throw new UsageError(
            `cannot write ${options.out}: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
        process.stderr.write(`firedrill: wrote ${options.out}\n`);
      } else process.stdout.write(output);
      if (read.refused.length > 0) process.exitCode = EXIT_USAGE;
    });
}

/** A journal argument: an existing file or directory, else a drill id looked up in the journal dir. */
function resolveJournalArg(arg: string, journalDir: string): string[] {
  if (existsSync(arg)) return statSync(arg).isDirectory() ? listJournalFiles(arg) : [arg];
  const files = listJournalFiles(journalDir);
  const byName = files.filter((f) => basename(f, ".jsonl") === arg);
  if (byName.length > 0) return byName;
  const prefixed = files.filter((f) => basename(f).startsWith(arg));
  if (prefixed.length === 1) return prefixed;
  // Drill ids need not be file names: ask the headers.
  const byId = readJournalFiles(files, {
    accept: (h) => h.drillId === arg || h.drillId.startsWith(arg),
  }).drills;
  if (byId.length === 1) return [byId[0]!.file];
  if (byId.length > 1 || prefixed.length > 1)
    throw new UsageError(
      `"${arg}" matches several drills in ${journalDir}; give more of the id or the file path`,
    );
  throw new UsageError(`no journal file or drill id "${arg}" (looked in ${journalDir})`);
}
