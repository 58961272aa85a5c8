import { durationOf, listOf, namesIn, recordOf, textOf } from "./draft.js";
import { formatDuration } from "./duration.js";
import type { PathSegment, Problem } from "./problem.js";
import type { Runbook } from "./runbook.js";
import { type Locate, problemAt } from "./source.js";
import { didYouMean } from "./suggest.js";

/**
 * A parsed file, valid or not: its plain value and the way back to positions. The checks here
 * read it defensively, so a file with schema errors still gets its reference problems reported
 * in the same pass.
 */
export interface Parsed {
  value: unknown;
  locate: Locate;
}

function names(list: readonly (string | undefined)[]): string[] {
  return list.filter((name): name is string => name !== undefined);
}

function listText(names: readonly string[]): string {
  const unique = [...new Set(names)];
  return unique.length === 0 ? "none are defined" : `defined: ${unique.join(", ")}`;
}

/** A reference problem, located at the node that refers to the missing thing. */
export function unresolved(
  loaded: Parsed,
  path: PathSegment[],
  what: string,
  name: string,
  valid: readonly string[],
  part?: "key",
  scope = "",
): Problem {
  return problemAt(
    loaded.locate(path, part),
    path,
    `${what} "${name}" does not exist${scope}${didYouMean(name, valid)}; ${listText(valid)}`,
    "reference",
  );
}

/** Reports every repeated value among `ids` (entries of `base`), at the later occurrences. */
function duplicates(
  loaded: Parsed,
  base: PathSegment[],
  ids: readonly (string | undefined)[],
  field: string,
  what: string,
  out: Problem[],
): void {
  const seen = new Map<string, number>();
  ids.forEach((id, index) => {
    if (id === undefined) return;
    const first = seen.get(id);
    if (first === undefined) {
      seen.set(id, index);
      return;
    }
    const path = [...base, index, field];
    const firstAt = loaded.locate([...base, first, field]);
    out.push(
      problemAt(
        loaded.locate(path),
        path,
        `duplicate ${what} "${id}" (first defined at line ${firstAt.line}); ${what}s must be unique`,
        "duplicate",
      ),
    );
  });
}

const DEFAULT_MAX_DURATION_MS = 30 * 60_000;

/**
 * Checks inside one scenario: proxy and probe names exist and are unique, and nothing is timed
 * after the drill's `safety.maxDuration`, when the drill has already ended.
 */
export function checkScenario(loaded: Parsed): Problem[] {
  const scenario = recordOf(loaded.value) ?? {};
  const out: Problem[] = [];
  const proxyList = scenario.proxies === undefined ? [] : listOf(scenario.proxies);
  const probeList = scenario.probes === undefined ? [] : listOf(scenario.probes);
  const proxies = namesIn(proxyList, "name");
  const probes = namesIn(probeList, "name");
  duplicates(loaded, ["proxies"], proxies, "name", "proxy name", out);
  duplicates(loaded, ["probes"], probes, "name", "probe name", out);
  const faults = listOf(scenario.faults) ?? [];
  if (proxyList) {
    faults.forEach((fault, index) => {
      const proxy = textOf(recordOf(fault)?.proxy);
      if (proxy !== undefined && !proxies.includes(proxy)) {
        out.push(unresolved(loaded, ["faults", index, "proxy"], "proxy", proxy, names(proxies)));
      }
    });
  }
  if (probeList) {
    const probeRef = (path: PathSegment[], value: unknown) => {
      const probe = textOf(value);
      if (probe !== undefined && !probes.includes(probe)) {
        out.push(unresolved(loaded, path, "probe", probe, names(probes)));
      }
    };
    probeRef(["recovery", "probe"], recordOf(scenario.recovery)?.probe);
    (listOf(scenario.signals) ?? []).forEach((signal, index) => {
      probeRef(["signals", index, "when", "probe"], recordOf(recordOf(signal)?.when)?.probe);
    });
    const safety = recordOf(scenario.safety);
    (listOf(safety?.stopWhen) ?? []).forEach((stop, index) => {
      probeRef(["safety", "stopWhen", index, "probe"], recordOf(stop)?.probe);
    });
  }
  checkTimes(loaded, scenario, out);
  return out;
}

/** Faults, signals and hints timed after `safety.maxDuration` would never happen. */
function checkTimes(loaded: Parsed, scenario: Record<string, unknown>, out: Problem[]): void {
  const safety = recordOf(scenario.safety);
  const written = safety?.maxDuration;
  const max = written === undefined ? DEFAULT_MAX_DURATION_MS : durationOf(written);
  if (max === undefined) return;
  const limit =
    written === undefined
      ? `the default safety.maxDuration (${formatDuration(max)})`
      : `safety.maxDuration (${formatDuration(max)})`;
  const timed: [string, string, string][] = [
    ["faults", "at", "fault"],
    ["signals", "at", "signal"],
    ["hints", "after", "hint"],
  ];
  for (const [list, field, what] of timed) {
    (listOf(scenario[list]) ?? []).forEach((item, index) => {
      const ms = durationOf(recordOf(item)?.[field]);
      if (ms === undefined || ms <= max) return;
      const path = [list, index, field];
      out.push(
        problemAt(
          loaded.locate(path),
          path,
          `${formatDuration(ms)} is after ${limit}: the drill ends before this ${what}; move it earlier or raise maxDuration (at most 24h)`,
          "limit",
        ),
      );
    });
  }
}

/** Checks inside one runbook: procedure ids unique, step ids unique within their procedure. */
export function checkRunbook(loaded: Parsed): Problem[] {
  const out: Problem[] = [];
  const procedures = listOf(recordOf(loaded.value)?.procedures) ?? [];
  duplicates(loaded, ["procedures"], namesIn(procedures, "id"), "id", "procedure id", out);
  procedures.forEach((procedure, index) => {
    const steps = listOf(recordOf(procedure)?.steps);
    duplicates(loaded, ["procedures", index, "steps"], namesIn(steps, "id"), "id", "step id", out);
  });
  return out;
}

/** Scenario → runbook references: `procedure`, `tabletop.outcomes` keys, `tabletop.resolvedBy`. */
export function checkScenarioAgainstRunbook(loaded: Parsed, runbook: Runbook): Problem[] {
  const scenario = recordOf(loaded.value) ?? {};
  const out: Problem[] = [];
  const procedureIds = runbook.procedures.map((p) => p.id);
  let steps = runbook.procedures.flatMap((p) => p.steps.map((s) => s.id));
  const wanted = textOf(scenario.procedure);
  if (wanted !== undefined) {
    const procedure = runbook.procedures.find((p) => p.id === wanted);
    if (!procedure) {
      out.push(
        unresolved(
          loaded,
          ["procedure"],
          "procedure",
          wanted,
          procedureIds,
          undefined,
          ` in the runbook of ${runbook.service}`,
        ),
      );
      return out;
    }
    steps = procedure.steps.map((s) => s.id);
  }
  const scope = wanted ? ` in procedure ${wanted}` : ` in the runbook of ${runbook.service}`;
  const tabletop = recordOf(scenario.tabletop);
  for (const key of Object.keys(recordOf(tabletop?.outcomes) ?? {})) {
    if (!steps.includes(key)) {
      out.push(unresolved(loaded, ["tabletop", "outcomes", key], "step", key, steps, "key", scope));
    }
  }
  (listOf(tabletop?.resolvedBy) ?? []).forEach((value, index) => {
    const id = textOf(value);
    if (id !== undefined && !steps.includes(id)) {
      out.push(
        unresolved(loaded, ["tabletop", "resolvedBy", index], "step", id, steps, undefined, scope),
      );
    }
  });
  return out;
}
