import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { readJournalDir } from "../../drill/journal-reader.js";
import { stalenessRule } from "../../history/staleness.js";
import { DEFAULT_RULES, type LintRule, lintCatalog } from "../../model/lint-rules.js";
import { formatProblem, type Problem } from "../../model/problem.js";
import { terminalSafe } from "../../model/terminal-text.js";
import { openWorkspace } from "../../model/workspace.js";
import { colorAllowed, paint } from "../../platform/colour.js";
import { renderTable } from "../../platform/text-table.js";
import { bundledRoot } from "../bundled-root.js";
import { EXIT_FINDING, EXIT_USAGE, ExitWith, UsageError } from "../exit.js";

interface LintOptions {
  json?: boolean;
  strict?: boolean;
  reviewMaxAge?: string;
  staleAfter?: string;
  journalDir?: string;
}

/** Drill staleness only means something once the team keeps journals: no journals, no rule. */
function rulesWithStaleness(journalDir: string, maxAgeDays: number): readonly LintRule[] {
  if (!existsSync(journalDir)) return DEFAULT_RULES;
  const { drills } = readJournalDir(journalDir, { digest: false });
  return drills.length === 0
    ? DEFAULT_RULES
    : [...DEFAULT_RULES, stalenessRule(drills, maxAgeDays)];
}

function parseDays(text: string, flag: string): number {
  const days = Number(text);
  if (!/^\d+$/.test(text) || days < 1) {
    throw new UsageError(`${flag} must be a whole number of days (1 or more), not "${text}"`);
  }
  return days;
}

function colored(problem: Problem, color: boolean): string {
  const line = formatProblem(problem);
  if (!color) return line;
  const at = line.indexOf(": ");
  const where = line.slice(0, at);
  const rest = line.slice(at + 2);
  const tint = problem.severity === "error" ? "red" : "yellow";
  return `${paint(where, "dim", color)}: ${paint(problem.severity, tint, color)}: ${rest.replace(/^warning: /, "")}`;
}

export function registerLint(program: Command): void {
  program
    .command("lint")
    .description("Validate scenarios and runbooks, check ownership and score runbook completeness")
    .argument(
      "[paths...]",
      "directories or files (default: scenarios/ and runbooks/ here, else the bundled samples)",
    )
    .option("--json", "print a JSON report")
    .option("--strict", "treat warnings as findings (exit 1)")
    .option(
      "--review-max-age <days>",
      "warn about runbooks reviewed longer ago than this (default: reviewMaxAgeDays, 180)",
    )
    .option(
      "--stale-after <days>",
      "warn about scenarios not drilled for this long, once journals exist (default: staleAfterDays, 90)",
    )
    .option(
      "--journal-dir <dir>",
      "where drill journals are (default: journalDir, .firedrill/drills)",
    )
    .addHelpText(
      "after",
      `
Exit status: 0 clean (warnings allowed unless --strict), 1 errors found, 2 unreadable input.

Examples:
  $ firedrill lint                           everything under scenarios/ and runbooks/
  $ firedrill lint scenarios/checkout-db-latency.yaml runbooks/
  $ firedrill lint --review-max-age 90 --strict
  $ firedrill lint --json | jq '.runbooks[] | {service, score}'
`,
    )
    .action(async (paths: string[], options: LintOptions) => {
      const color = colorAllowed(process.stdout);
      const maxAge =
        options.reviewMaxAge !== undefined
          ? parseDays(options.reviewMaxAge, "--review-max-age")
          : undefined;
      const staleAfter =
        options.staleAfter !== undefined
          ? parseDays(options.staleAfter, "--stale-after")
          : undefined;
      const workspace = await openWorkspace({
        cwd: process.cwd(),
        paths,
        bundledRoot: bundledRoot(),
      });
      const journalDir = resolve(options.journalDir ?? workspace.config.journalDir);
      const rules = rulesWithStaleness(journalDir, staleAfter ?? workspace.config.staleAfterDays);
      const report = lintCatalog(
        workspace.catalog,
        { now: new Date(), reviewMaxAgeDays: maxAge ?? workspace.config.reviewMaxAgeDays },
        rules,
      );
      const problems = [...workspace.configProblems, ...report.problems];
      const errors = report.errors + workspace.configProblems.length;
      const unreadable =
        workspace.configProblems.length > 0 || problems.some((p) => p.rule === "read");
      const files = workspace.catalog.files.length;
      if (files === 0 && !problems.some((p) => p.rule === "read")) {
        const where = paths.length > 0 ? paths.join(", ") : "scenarios/ or runbooks/";
        throw new UsageError(`no scenario or runbook files (.yaml, .yml, .md) found in ${where}`);
      }
      const code = unreadable
        ? EXIT_USAGE
        : errors > 0 || (options.strict && report.warnings > 0)
          ? EXIT_FINDING
          : 0;
      if (options.json) {
        const json = {
          ok: code === 0,
          files,
          scenarios: workspace.catalog.scenarios.length,
          errors,
          warnings: report.warnings,
          problems,
          runbooks: report.runbooks,
        };
        process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
      } else {
        const out: string[] = problems.map((problem) => colored(problem, color));
        if (report.runbooks.length > 0) {
          if (out.length > 0) out.push("");
          const rows = report.runbooks.map((r) =>
            [
              r.service,
              r.owner,
              String(r.score),
              r.missing.length === 0 ? "—" : r.missing.join("; "),
            ].map((cell) => terminalSafe(cell, true)),
          );
          out.push(
            renderTable(["RUNBOOK", "OWNER", "SCORE", "MISSING"], rows, { color, right: [2] }),
          );
        }
        const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
        const summary = `${plural(errors, "error")}, ${plural(report.warnings, "warning")} in ${plural(files, "file")}`;
        out.push("", code === 0 ? paint(summary, "green", color) : summary);
        process.stdout.write(`${out.join("\n")}\n`);
      }
      if (code !== 0) throw new ExitWith(code);
    });
}
