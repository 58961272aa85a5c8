import type { Catalog, RunbookEntry } from "./catalog.js";
import { compareProblems, type PathSegment, type Problem } from "./problem.js";
import { problemAt } from "./source.js";

export interface LintOptions {
  /** "Today", injected so results do not depend on the wall clock in tests. */
  now: Date;
  reviewMaxAgeDays: number;
}

/** A quality rule over a loaded catalog. Pure: same catalog and options, same problems. */
export interface LintRule {
  name: string;
  check(catalog: Catalog, options: LintOptions): Problem[];
}

/** What a runbook lacks to be drill-ready, scored 0–100. */
export interface RunbookScore {
  service: string;
  owner: string;
  file: string;
  score: number;
  missing: string[];
}

export interface LintReport {
  /** Catalog problems (errors) and rule findings, sorted by file and position. */
  problems: Problem[];
  errors: number;
  warnings: number;
  runbooks: RunbookScore[];
}

const DAY_MS = 86_400_000;

function warn(entry: RunbookEntry, path: PathSegment[], message: string, rule: string): Problem {
  return problemAt(entry.locate(path), path, message, rule, "warning");
}

function ageInDays(reviewed: string, now: Date): number {
  return Math.floor((now.getTime() - Date.parse(`${reviewed}T00:00:00Z`)) / DAY_MS);
}

export const escalationRule: LintRule = {
  name: "escalation-levels",
  check: (catalog) =>
    catalog.runbooks.flatMap((entry) => {
      const count = entry.value.escalation.length;
      if (count >= 2) return [];
      const path = count === 0 ? ["service"] : ["escalation"];
      return [
        warn(
          entry,
          path,
          `escalation has ${count} level${count === 1 ? "" : "s"}; add at least 2 (level, who, after) so a responder knows who comes next`,
          "escalation-levels",
        ),
      ];
    }),
};

export const monitoringRule: LintRule = {
  name: "monitoring-thresholds",
  check: (catalog) =>
    catalog.runbooks.flatMap((entry) =>
      entry.value.monitoring.alerts.length > 0
        ? []
        : [
            warn(
              entry,
              ["monitoring"],
              "no monitoring alerts with thresholds; add monitoring.alerts: [{name, threshold}] so responders know what fired",
              "monitoring-thresholds",
            ),
          ],
    ),
};

export const procedureStepsRule: LintRule = {
  name: "procedure-steps",
  check: (catalog) =>
    catalog.runbooks.flatMap((entry) =>
      entry.value.procedures.flatMap((procedure, index) => {
        const kinds = new Set(procedure.steps.map((s) => s.kind));
        const out: Problem[] = [];
        for (const kind of ["verify", "rollback"] as const) {
          if (!kinds.has(kind)) {
            out.push(
              warn(
                entry,
                ["procedures", index, "id"],
                `procedure "${procedure.id}" has no ${kind} step; add one (kind: ${kind}) ${kind === "verify" ? "to confirm the mitigation worked" : "to undo the mitigation safely"}`,
                `procedure-${kind}`,
              ),
            );
          }
        }
        return out;
      }),
    ),
};

export const reviewAgeRule: LintRule = {
  name: "review-age",
  check: (catalog, options) =>
    catalog.runbooks.flatMap((entry) => {
      const reviewed = entry.value.reviewed;
      if (reviewed === undefined) {
        return [
          warn(
            entry,
            ["service"],
            `no reviewed date; add reviewed: YYYY-MM-DD (runbooks should be reviewed every ${options.reviewMaxAgeDays} days)`,
            "review-age",
          ),
        ];
      }
      const age = ageInDays(reviewed, options.now);
      if (age <= options.reviewMaxAgeDays) return [];
      return [
        warn(
          entry,
          ["reviewed"],
          `last reviewed ${age} days ago (${reviewed}); review it at least every ${options.reviewMaxAgeDays} days`,
          "review-age",
        ),
      ];
    }),
};

export const exercisedRule: LintRule = {
  name: "unexercised-runbook",
  check: (catalog) => {
    const services = new Set(catalog.scenarios.map((s) => s.value.service));
    return catalog.runbooks.flatMap((entry) =>
      services.has(entry.value.service)
        ? []
        : [
            warn(
              entry,
              ["service"],
              `no scenario exercises service "${entry.value.service}"; add one under scenarios/ so this runbook gets rehearsed`,
              "unexercised-runbook",
            ),
          ],
    );
  },
};

export const DEFAULT_RULES: readonly LintRule[] = [
  escalationRule,
  monitoringRule,
  procedureStepsRule,
  reviewAgeRule,
  exercisedRule,
];

/** Completeness of one runbook: each part weighs in proportion to how much of it is there. */
export function scoreRunbook(
  entry: RunbookEntry,
  catalog: Catalog,
  options: LintOptions,
): RunbookScore {
  const runbook = entry.value;
  const missing: string[] = [];
  let score = 0;
  const levels = Math.min(runbook.escalation.length, 2);
  score += levels * 10;
  if (levels < 2) missing.push(`${2 - levels} more escalation level${levels === 1 ? "" : "s"}`);
  if (runbook.monitoring.alerts.length > 0) score += 20;
  else missing.push("monitoring alert thresholds");
  for (const kind of ["verify", "rollback"] as const) {
    const without = runbook.procedures.filter((p) => !p.steps.some((s) => s.kind === kind));
    score += 20 * (1 - without.length / runbook.procedures.length);
    for (const procedure of without) missing.push(`a ${kind} step in ${procedure.id}`);
  }
  if (runbook.reviewed === undefined) missing.push("a reviewed date");
  else if (ageInDays(runbook.reviewed, options.now) > options.reviewMaxAgeDays) {
    missing.push(`a review in the last ${options.reviewMaxAgeDays} days`);
  } else score += 10;
  if (catalog.scenarios.some((s) => s.value.service === runbook.service)) score += 10;
  else missing.push("a scenario exercising it");
  return {
    service: runbook.service,
    owner: runbook.owner,
    file: entry.file,
    score: Math.round(score),
    missing,
  };
}

/** Catalog problems plus every rule's findings, and a completeness score per runbook. */
export function lintCatalog(
  catalog: Catalog,
  options: LintOptions,
  rules: readonly LintRule[] = DEFAULT_RULES,
): LintReport {
  const problems = [...catalog.problems, ...rules.flatMap((rule) => rule.check(catalog, options))];
  problems.sort(compareProblems);
  const errors = problems.filter((p) => p.severity === "error").length;
  return {
    problems,
    errors,
    warnings: problems.length - errors,
    runbooks: catalog.runbooks.map((entry) => scoreRunbook(entry, catalog, options)),
  };
}
