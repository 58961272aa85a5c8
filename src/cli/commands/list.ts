import type { Command } from "commander";
import { formatDuration } from "../../model/duration.js";
import { formatProblem } from "../../model/problem.js";
import { terminalSafe } from "../../model/terminal-text.js";
import { openWorkspace } from "../../model/workspace.js";
import { colorAllowed } from "../../platform/colour.js";
import { renderTable } from "../../platform/text-table.js";
import { bundledRoot } from "../bundled-root.js";
import { EXIT_USAGE, ExitWith } from "../exit.js";

interface ListOptions {
  json?: boolean;
}

export function registerList(program: Command): void {
  program
    .command("list")
    .description("List scenarios with their service, owner, modes and target time to recover")
    .argument(
      "[paths...]",
      "directories or files (default: scenarios/ and runbooks/ here, else the bundled samples)",
    )
    .option("--json", "print JSON instead of a table")
    .addHelpText(
      "after",
      `
Examples:
  $ firedrill list                  scenarios/ and runbooks/ of this directory
  $ firedrill list ./drills         a directory holding scenarios/ and runbooks/
  $ firedrill list --json | jq '.scenarios[].id'
`,
    )
    .action(async (paths: string[], options: ListOptions) => {
      const color = colorAllowed(process.stdout);
      const workspace = await openWorkspace({
        cwd: process.cwd(),
        paths,
        bundledRoot: bundledRoot(),
      });
      const { catalog } = workspace;
      const problems = [...workspace.configProblems, ...catalog.problems];
      const owners = new Map(catalog.runbooks.map((r) => [r.value.service, r.value.owner]));
      const scenarios = catalog.scenarios.map(({ value, file }) => ({
        id: value.id,
        title: value.title,
        service: value.service,
        owner: owners.get(value.service) ?? null,
        severity: value.severity,
        modes: value.modes,
        ttrMs: value.targets.ttr,
        procedure: value.procedure ?? null,
        file,
      }));
      if (options.json) {
        const runbooks = catalog.runbooks.map(({ value, file, format }) => ({
          service: value.service,
          owner: value.owner,
          procedures: value.procedures.map((p) => p.id),
          format,
          file,
        }));
        process.stdout.write(`${JSON.stringify({ scenarios, runbooks, problems }, null, 2)}\n`);
      } else if (scenarios.length === 0) {
        process.stdout.write("no scenarios found\n");
      } else {
        const rows = scenarios.map((s) =>
          [
            s.id,
            s.title,
            s.service,
            s.owner ?? "—",
            s.modes.join(","),
            formatDuration(s.ttrMs),
          ].map((cell) => terminalSafe(cell, true)),
        );
        const width = process.stdout.isTTY ? process.stdout.columns : undefined;
        const table = renderTable(["ID", "TITLE", "SERVICE", "OWNER", "MODES", "TTR"], rows, {
          color,
          shrink: 1,
          right: [5],
          ...(width ? { width } : {}),
        });
        process.stdout.write(`${table}\n`);
      }
      if (!options.json && problems.length > 0) {
        for (const problem of problems) process.stderr.write(`${formatProblem(problem)}\n`);
        process.stderr.write(
          `firedrill: ${problems.length} problem${problems.length === 1 ? "" : "s"}; files with errors are not listed (see firedrill lint)\n`,
        );
      }
      const unreadable =
        problems.some((p) => p.rule === "read") || workspace.configProblems.length > 0;
      if (unreadable) throw new ExitWith(EXIT_USAGE);
    });
}
