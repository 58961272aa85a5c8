import type { DrillRecord } from "../drill/journal-record.js";
import type { LintRule } from "../model/lint-rules.js";
import type { Problem } from "../model/problem.js";
import { problemAt } from "../model/source.js";

type Dated = Pick<DrillRecord, "header" | "startedAt">;

/** Most recent drill start per scenario id, so `firedrill lint` can warn about stale scenarios. */
export function lastDrilledAt(drills: Iterable<Dated>): Map<string, Date> {
  return latestBy(drills, (d) => d.header.scenario.id);
}

/** Most recent drill start per service; a service missing from the map was never drilled. */
export function lastDrilledServiceAt(drills: Iterable<Dated>): Map<string, Date> {
  return latestBy(drills, (d) => d.header.scenario.service);
}

function latestBy(drills: Iterable<Dated>, key: (d: Dated) => string): Map<string, Date> {
  const latest = new Map<string, Date>();
  for (const d of drills) {
    const k = key(d);
    const seen = latest.get(k);
    if (!seen || d.startedAt > seen) latest.set(k, d.startedAt);
  }
  return latest;
}

export interface Staleness {
  id: string;
  /** null: never drilled. */
  lastDrilled: Date | null;
  /** Whole days since the last drill; null when never drilled. */
  days: number | null;
}

/**
 * The ids (scenarios or services) not drilled within `maxAgeDays` of `now`, never-drilled first.
 * Pure: the caller supplies the catalogue's ids and the clock.
 */
export function staleIds(
  ids: Iterable<string>,
  last: ReadonlyMap<string, Date>,
  now: Date,
  maxAgeDays = 90,
): Staleness[] {
  const stale: Staleness[] = [];
  for (const id of ids) {
    const at = last.get(id) ?? null;
    if (at === null) {
      stale.push({ id, lastDrilled: null, days: null });
      continue;
    }
    const days = Math.floor((now.getTime() - at.getTime()) / 86_400_000);
    if (days > maxAgeDays) stale.push({ id, lastDrilled: at, days });
  }
  return stale.sort(
    (a, b) =>
      (b.days ?? Number.POSITIVE_INFINITY) - (a.days ?? Number.POSITIVE_INFINITY) ||
      a.id.localeCompare(b.id),
  );
}

/**
 * Lint rule: warns about scenarios not drilled within `maxAgeDays` and services none of whose
 * scenarios was ever drilled. Only meaningful once a team keeps journals, so the caller adds it
 * when the journal directory holds at least one drill.
 */
export function stalenessRule(drills: readonly Dated[], maxAgeDays: number): LintRule {
  const scenarioLast = lastDrilledAt(drills);
  const serviceLast = lastDrilledServiceAt(drills);
  return {
    name: "drill-staleness",
    check: (catalog, options) => {
      const problems: Problem[] = [];
      const stale = staleIds(
        catalog.scenarios.map((s) => s.value.id),
        scenarioLast,
        options.now,
        maxAgeDays,
      );
      const byId = new Map(catalog.scenarios.map((s) => [s.value.id, s]));
      for (const { id, days } of stale) {
        const entry = byId.get(id);
        if (!entry || days === null) continue;
        problems.push(
          problemAt(
            entry.locate(["id"]),
            ["id"],
            `scenario "${id}" was last drilled ${days} days ago (more than ${maxAgeDays}); run it again so the runbook stays rehearsed`,
            "drill-staleness",
            "warning",
          ),
        );
      }
      const services = [...new Set(catalog.scenarios.map((s) => s.value.service))];
      for (const { id: service, lastDrilled } of staleIds(
        services,
        serviceLast,
        options.now,
        maxAgeDays,
      )) {
        if (lastDrilled !== null) continue;
        const first = catalog.scenarios.find((s) => s.value.service === service);
        if (!first) continue;
        problems.push(
          problemAt(
            first.locate(["service"]),
            ["service"],
            `no scenario of service "${service}" was ever drilled; try: firedrill run ${first.value.id}`,
            "drill-staleness",
            "warning",
          ),
        );
      }
      return problems;
    },
  };
}
