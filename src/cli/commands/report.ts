import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import type { Command } from "commander";
import { listJournalFiles } from "../../drill/journal-reader.js";
import { type DrillRecord, type JournalProblem, problemText } from "../../drill/journal-record.js";
import { secretRedactor } from "../../drill/redact.js";
import {
  driftBasis,
  latestPerScenario,
  renderCsv,
  renderJson,
  renderJunit,
} from "../../history/exports.js";
import { comparable, comparisonText, matchesHeader } from "../../history/filters.js";
import { renderHtml } from "../../history/render-html.js";
import { renderMarkdown } from "../../history/render-md.js";
import { buildDrillReport, driftReports } from "../../history/report-model.js";
import { scanJournals } from "../../history/scan.js";
import { catalogRunbookLocator, journalFiles, resolveDirs } from "../../history/sources.js";
import { messageOf } from "../../model/message.js";
import { EXIT_USAGE, UsageError } from "../exit.js";
import {
  filterFromFlags,
  includeAutomatedOption,
  journalDirOption,
  modeOption,
  responderOption,
} from "./history.js";

const FORMATS = ["md", "html", "json", "csv", "junit"] as const;
type Format = (typeof FORMATS)[number];

interface ReportOptions {
  format: string;
  out?: string;
  latest?: boolean;
  latestPerScenario?: boolean;
  journalDir?: string[];
  mode?: string;
  responder?: string;
  includeAutomated?: boolean;
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
    .addOption(modeOption())
    .addOption(responderOption())
    .addOption(includeAutomatedOption())
    .addOption(journalDirOption())
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
md and html compare the drill with earlier ones of its scenario in the same mode by the same kind of
responder (people with people, --auto with --auto) unless --include-automated; exports list every
drill matching the filters, with who answered it (responderKind).

Examples:
  $ firedrill report --latest
  $ firedrill report .firedrill/drills/2026-03-01T10-00-00.000Z_checkout-db-latency_4cd0d23b.jsonl --format html --out drill.html
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

      const dirFiles = journalFiles(dirs.journalDirs);
      const args = journals.map((arg) => resolveJournalArg(arg, dirFiles));
      const argFiles = new Set(args.flatMap((a) => ("files" in a ? a.files : [])));
      if (options.out !== undefined)
        refuseOverwritingInput(options.out, [...argFiles, ...dirFiles]);
      const ids = args.flatMap((a) => ("id" in a ? [a] : []));
      const given = (drillId: string, file: string) =>
        argFiles.has(file) || ids.some((a) => idMatches(a.id, drillId));
      const wanted = (d: DrillRecord) =>
        matchesHeader(d.header, filter) &&
        (journals.length === 0 || given(d.header.drillId, d.file));

      // One pass over the journals. A single-drill report also needs every drill of its scenario,
      // whatever the filters, to compare with; the other scenarios' journals stop at their header
      // when the scenario is known first: from --scenario, or from the journals given, read first.
      let scenario = filter.scenario;
      const known = scenario !== undefined || (journals.length > 0 && ids.length === 0);
      const scan = scanJournals(
        journals.length === 0 || single || ids.length > 0
          ? [...argFiles, ...dirFiles]
          : [...argFiles],
        {
          accept: single
            ? (h, file) => !known || h.scenario.id === scenario || given(h.drillId, file)
            : (h, file) =>
                journals.length === 0 ? matchesHeader(h, filter) : given(h.drillId, file),
          // junit needs only header and summary, so event lines are checked, not parsed.
          digest: format !== "junit",
          ...(single
            ? {
                prefer: (d: DrillRecord, best: DrillRecord | null) => {
                  const better =
                    wanted(d) &&
                    (best === null ||
                      (options.latest
                        ? d.startedAt >= best.startedAt
                        : d.startedAt < best.startedAt));
                  if (better) scenario = d.header.scenario.id;
                  return better;
                },
              }
            : {}),
        },
      );

      const byFile = new Map(scan.drills.map((d) => [d.file, d]));
      const relevant = (p: JournalProblem) => {
        const drill = byFile.get(p.file);
        if (journals.length === 0)
          return drill === undefined || matchesHeader(drill.header, filter);
        return argFiles.has(p.file) || (drill !== undefined && given(drill.header.drillId, p.file));
      };
      const problems = scan.problems.filter(relevant);
      const refused = scan.refused.filter(relevant);
      for (const p of [...problems, ...refused])
        process.stderr.write(`firedrill: ${p.severity}: ${problemText(p)}\n`);
      if (refused.length > 0 && (single || journals.length > 0))
        throw new UsageError("cannot report on a journal from a newer firedrill (see above)");
      for (const arg of ids) {
        const matches = scan.drills.filter((d) => idMatches(arg.id, d.header.drillId)).length;
        if (matches > 1 || (matches === 0 && arg.ambiguous))
          throw new UsageError(
            `"${arg.id}" matches several drills in ${dirs.journalDir}; give more of the id or the file path`,
          );
        if (matches === 0)
          throw new UsageError(
            `no journal file or drill id "${arg.id}" (looked in ${dirs.journalDir})`,
          );
      }

      let drills = scan.drills.filter(wanted);
      if (options.latest) drills = drills.slice(-1);
      if (options.latestPerScenario) drills = latestPerScenario(drills);
      if (drills.length === 0) {
        const byId = scan.drills.filter((d) => ids.some((a) => idMatches(a.id, d.header.drillId)));
        const where =
          journals.length > 0
            ? [...argFiles, ...byId.map((d) => d.file)].join(", ")
            : dirs.journalDir;
        throw new UsageError(
          `no drills to report on in ${where}${Object.keys(filter).length ? " matching these filters" : ""}`,
        );
      }

      let output: string;
      if (single) {
        const drill = scan.chosen ?? drills[0]!;
        const inDir = new Set(dirFiles.map((f) => resolve(f)));
        // Like with like: the same mode and kind of responder, unless asked otherwise.
        const comparison = {
          includeAutomated: options.includeAutomated === true,
          ...(filter.responder === undefined ? {} : { responder: filter.responder }),
        };
        const others = scan.drills.filter(
          (d) => inDir.has(resolve(d.file)) && comparable(drill, d, comparison),
        );
        const locate = await catalogRunbookLocator(dirs.runbooksDir);
        const built = buildDrillReport(drill, others, locate, comparisonText(drill, comparison));
        output = format === "md" ? renderMarkdown(built) : renderHtml(built);
      } else if (format === "csv") {
        output = renderCsv(drills);
      } else if (format === "junit") {
        output = renderJunit(drills);
      } else {
        const basis = driftBasis(drills, scan.drills.filter(wanted));
        const locate = basis.some((d) => d.digest.offRunbook.length > 0)
          ? await catalogRunbookLocator(dirs.runbooksDir)
          : null;
        output = renderJson(drills, driftReports(basis, locate), [...problems, ...refused]);
      }
      // Runbooks are read with the environment filled in, and old journals were not redacted.
      output = secretRedactor()(output);

      if (options.out) {
        try {
          mkdirSync(dirname(options.out), { recursive: true });
          writeFileSync(options.out, output);
        } catch (error) {
          throw new UsageError(`cannot write ${options.out}: ${messageOf(error)}`);
        }
        process.stderr.write(`firedrill: wrote ${options.out}\n`);
      } else process.stdout.write(output);
      if (refused.length > 0) process.exitCode = EXIT_USAGE;
    });
}

/**
 * `report J -o J` would replace the journal, the only record of the drill, with its report. The
 * same file reached by another path (a link, `./J`) is the same file: compared by identity.
 */
function refuseOverwritingInput(out: string, inputs: readonly string[]): void {
  const target = identity(out);
  const path = resolve(out);
  for (const input of inputs) {
    const same = resolve(input) === path || (target !== undefined && target === identity(input));
    if (same)
      throw new UsageError(
        `--out ${out} is a journal this report reads (${input}); write the report to another file`,
      );
  }
}

function identity(file: string): string | undefined {
  try {
    const stat = statSync(file);
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return undefined;
  }
}

type JournalArg = { files: string[] } | { id: string; ambiguous: boolean };

/**
 * A journal argument: an existing file or directory, a journal's name (or the start of one) in the
 * journal dir, else a drill id, which only the headers can tell: those are read with the rest.
 */
function resolveJournalArg(arg: string, dirFiles: readonly string[]): JournalArg {
  if (existsSync(arg))
    return { files: statSync(arg).isDirectory() ? listJournalFiles(arg) : [arg] };
  const byName = dirFiles.filter((f) => basename(f, ".jsonl") === arg);
  if (byName.length > 0) return { files: byName };
  const prefixed = dirFiles.filter((f) => basename(f).startsWith(arg));
  if (prefixed.length === 1) return { files: prefixed };
  return { id: arg, ambiguous: prefixed.length > 1 };
}

function idMatches(id: string, drillId: string): boolean {
  return drillId.startsWith(id);
}
