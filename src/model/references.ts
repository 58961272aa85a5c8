import type { Loaded } from "./load.js";
import type { PathSegment, Problem } from "./problem.js";
import type { Runbook } from "./runbook.js";
import type { Scenario } from "./scenario.js";
import { problemAt } from "./source.js";
import { didYouMean } from "./suggest.js";

function listOf(names: readonly string[]): string {
  const unique = [...new Set(names)];
  return unique.length === 0 ? "none are defined" : `defined: ${unique.join(", ")}`;
}

/** A reference problem, located at the node that refers to the missing thing. */
export function unresolved<T>(
  loaded: Loaded<T>,
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
    `${what} "${name}" does not exist${scope}${didYouMean(name, valid)}; ${listOf(valid)}`,
    "reference",
  );
}

/** Reports every repeated value of `key` in `items`, at the later occurrences. */
function duplicates<T>(
  loaded: Loaded<T>,
  base: PathSegment[],
  ids: readonly string[],
  field: string,
  what: string,
  out: Problem[],
): void {
  const seen = new Map<string, number>();
  ids.forEach((id, index) => {
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

/** Checks inside one scenario: proxy and probe names exist and are unique. */
export function checkScenario(loaded: Loaded<Scenario>): Problem[] {
  const scenario = loaded.value;
  const out: Problem[] = [];
  const proxies = scenario.proxies.map((p) => p.name);
  const probes = scenario.probes.map((p) => p.name);
  duplicates(loaded, ["proxies"], proxies, "name", "proxy name", out);
  duplicates(loaded, ["probes"], probes, "name", "probe name", out);
  scenario.faults.forEach((fault, index) => {
    if ("proxy" in fault && !proxies.includes(fault.proxy)) {
      out.push(unresolved(loaded, ["faults", index, "proxy"], "proxy", fault.proxy, proxies));
    }
  });
  if (scenario.recovery && !probes.includes(scenario.recovery.probe)) {
    out.push(unresolved(loaded, ["recovery", "probe"], "probe", scenario.recovery.probe, probes));
  }
  scenario.signals.forEach((signal, index) => {
    if (signal.when && !probes.includes(signal.when.probe)) {
      out.push(
        unresolved(loaded, ["signals", index, "when", "probe"], "probe", signal.when.probe, probes),
      );
    }
  });
  scenario.safety.stopWhen.forEach((stop, index) => {
    if (!probes.includes(stop.probe)) {
      out.push(
        unresolved(loaded, ["safety", "stopWhen", index, "probe"], "probe", stop.probe, probes),
      );
    }
  });
  return out;
}

/** Checks inside one runbook: procedure ids unique, step ids unique within their procedure. */
export function checkRunbook(loaded: Loaded<Runbook>): Problem[] {
  const out: Problem[] = [];
  const procedures = loaded.value.procedures;
  duplicates(
    loaded,
    ["procedures"],
    procedures.map((p) => p.id),
    "id",
    "procedure id",
    out,
  );
  procedures.forEach((procedure, index) => {
    duplicates(
      loaded,
      ["procedures", index, "steps"],
      procedure.steps.map((s) => s.id),
      "id",
      "step id",
      out,
    );
  });
  return out;
}

/** Scenario → runbook references: `procedure`, `tabletop.outcomes` keys, `tabletop.resolvedBy`. */
export function checkScenarioAgainstRunbook(loaded: Loaded<Scenario>, runbook: Runbook): Problem[] {
  const scenario = loaded.value;
  const out: Problem[] = [];
  const procedureIds = runbook.procedures.map((p) => p.id);
  let steps = runbook.procedures.flatMap((p) => p.steps.map((s) => s.id));
  if (scenario.procedure !== undefined) {
    const procedure = runbook.procedures.find((p) => p.id === scenario.procedure);
    if (!procedure) {
      out.push(
        unresolved(
          loaded,
          ["procedure"],
          "procedure",
          scenario.procedure,
          procedureIds,
          undefined,
          ` in the runbook of ${runbook.service}`,
        ),
      );
      return out;
    }
    steps = procedure.steps.map((s) => s.id);
  }
  const scope = scenario.procedure
    ? ` in procedure ${scenario.procedure}`
    : ` in the runbook of ${runbook.service}`;
  for (const key of Object.keys(scenario.tabletop.outcomes)) {
    if (!steps.includes(key)) {
      out.push(unresolved(loaded, ["tabletop", "outcomes", key], "step", key, steps, "key", scope));
    }
  }
  scenario.tabletop.resolvedBy.forEach((id, index) => {
    if (!steps.includes(id)) {
      out.push(
        unresolved(loaded, ["tabletop", "resolvedBy", index], "step", id, steps, undefined, scope),
      );
    }
  });
  return out;
}
