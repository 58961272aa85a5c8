import { type HostPort, parseHostPort } from "../../model/host-port.js";
import { messageOf } from "../../model/message.js";
import {
  isMonitoringSignal,
  type Probe,
  type ProxySpec,
  type Scenario,
  type Signal,
} from "../../model/scenario.js";
import {
  checkMonitoringSignal,
  describeProbe,
  describeSource,
  type MonitoringChecker,
  runProbe,
  sourceName,
} from "../../probes/index.js";
import type { ProbeRunner } from "../../probes/probe-types.js";
import { usesToxiproxy } from "../label.js";
import { ToxiproxyApi } from "../toxiproxy-api.js";
import { serverParts, serversOf } from "../toxiproxy-servers.js";
import { checkAllowList } from "./allow-list.js";
import { describeLeftovers, findLeftovers, hasLeftovers } from "./leftovers.js";
import { type PreparedProxies, PrepareRefusal, proxyMismatch, reachesProxy } from "./prepare.js";

export interface PreflightCheck {
  /**
   * `allow-list`, `toxiproxy`, `leftovers`, `other drills`, `proxies`, `probe <name>` or
   * `signal <alert>`
   */
  name: string;
  ok: boolean;
  /** true when the check was not run because an earlier one failed */
  skipped?: boolean;
  detail: string;
}

export interface PreflightReport {
  ok: boolean;
  checks: PreflightCheck[];
}

export interface PreflightInput {
  scenario: Scenario;
  allowHosts: readonly string[];
  productionPatterns: readonly string[];
  toxiproxyUrl?: string;
  allowProduction?: boolean;
  /** the drill about to start: its own toxics are not leftovers */
  drillId?: string;
  signal?: AbortSignal;
  /** for callers that wrap probes (e.g. to record results); default `runProbe` */
  probeRunner?: ProbeRunner;
  /** asks a monitoring signal's server; default `checkMonitoringSignal` */
  monitoringChecker?: MonitoringChecker;
  /**
   * The drill's own preparation (`DrillFaultBackend.prepareProxies`): claims its proxies and
   * creates the missing declared ones, recorded in its ledger, so the probes go through them.
   * Without it the preflight only looks, and says what the drill would create.
   */
  prepare?: (scenario: Scenario) => Promise<PreparedProxies>;
}

/**
 * The gameday checks before anything is applied: the allow-list passes, Toxiproxy answers, no
 * earlier drill's toxics are left over, no other drill is drilling the same proxies, the declared
 * proxies exist as declared (missing ones are created, pass-through), and every probe passes
 * (steady state holds, through those proxies). A failed preflight means: apply nothing.
 */
export async function runPreflight(input: PreflightInput): Promise<PreflightReport> {
  const checks: PreflightCheck[] = [];
  const api = new ToxiproxyApi(input.toxiproxyUrl);
  const refusals = checkAllowList({ ...input, toxiproxyUrl: api.url });
  checks.push({
    name: "allow-list",
    ok: refusals.length === 0,
    detail:
      refusals.length === 0
        ? "every host is allowed"
        : refusals.map((r) => `${r.field}: ${r.reason}`).join("; "),
  });
  const allowed = refusals.length === 0;
  const skip = (name: string): PreflightCheck => ({
    name,
    ok: false,
    skipped: true,
    detail: "not checked: the allow-list refused a host",
  });

  const toxiproxyNeeded = usesToxiproxy(input.scenario);
  // each server the scenario's proxies live on is checked on its own: answers, nothing left over
  const servers = toxiproxyNeeded ? serversOf(input.scenario, api.url) : [];
  const at = (url: string) => (servers.length > 1 ? `${url}: ` : "");
  if (toxiproxyNeeded && !allowed) checks.push(skip("toxiproxy"), skip("leftovers"));
  else {
    for (const url of servers) checks.push(...(await serverChecks(url, at(url), input.drillId)));
  }

  // Probes may go through the declared proxies: those must exist before the probes run.
  let absent: ProxySpec[] = [];
  let absentWhy = "";
  if (toxiproxyNeeded && allowed) {
    const earlierFailed = !checks.every((check) => check.ok);
    if (earlierFailed) {
      absent = [...input.scenario.proxies];
      absentWhy = "not checked: it goes through proxy %s, not created as an earlier check failed";
    } else if (input.prepare) {
      const prepared = await prepareChecks(input.prepare, input.scenario);
      checks.push(...prepared);
      if (!prepared.every((check) => check.ok)) {
        absent = [...input.scenario.proxies];
        absentWhy = "not checked: it goes through proxy %s, which was not prepared";
      }
    } else {
      const looked = await lookAtEveryServer(input.scenario, api.url);
      if (looked.check) checks.push(looked.check);
      absent = looked.missing;
      absentWhy =
        "checked when the drill starts: it goes through proxy %s, which the drill creates";
    }
  }

  const runner = input.probeRunner ?? runProbe;
  const probeChecks = await Promise.all(
    input.scenario.probes.map(async (probe): Promise<PreflightCheck> => {
      const name = `probe ${probe.name}`;
      if (!allowed) return skip(name);
      const through = absent.find((spec) => probeReaches(probe, spec));
      if (through) {
        // only looking (no drill yet): not a failure, the drill's own preflight probes it
        const ok = input.prepare === undefined && checks.every((check) => check.ok);
        return { name, ok, skipped: true, detail: absentWhy.replace("%s", through.name) };
      }
      const result = await runner(probe, { signal: input.signal });
      return {
        name,
        ok: result.ok,
        detail: `${describeProbe(probe)}: ${result.detail} in ${result.latencyMs}ms`,
      };
    }),
  );
  checks.push(...probeChecks);
  const monitoring = input.monitoringChecker ?? checkMonitoringSignal;
  const signalChecks = await Promise.all(
    input.scenario.signals.map(async (signal, index): Promise<PreflightCheck | null> => {
      if (!isMonitoringSignal(signal)) return null;
      const name = `signal ${sourceName(signal)}`;
      if (!allowed) return skip(name);
      return monitoringCheck(name, signal, index, monitoring, input.signal);
    }),
  );
  for (const check of signalChecks) if (check) checks.push(check);
  return { ok: checks.every((check) => check.ok), checks };
}

/** Whether one Toxiproxy server answers and holds no other drill's leftovers. */
async function serverChecks(
  url: string,
  prefix: string,
  drillId: string | undefined,
): Promise<PreflightCheck[]> {
  const api = new ToxiproxyApi(url);
  let version: string;
  try {
    version = await api.version();
  } catch (error) {
    return [
      { name: "toxiproxy", ok: false, detail: messageOf(error) },
      {
        name: "leftovers",
        ok: false,
        skipped: true,
        detail: `${prefix}not checked: Toxiproxy does not answer`,
      },
    ];
  }
  const answers = {
    name: "toxiproxy",
    ok: true,
    detail: `${api.url} answers (version ${version})`,
  };
  try {
    const leftovers = await findLeftovers(api.url, drillId);
    return [
      answers,
      {
        name: "leftovers",
        ok: !hasLeftovers(leftovers),
        detail: hasLeftovers(leftovers)
          ? `${prefix}${describeLeftovers(leftovers)}; a drill may still be running: wait for it to end, or if none is, run \`firedrill cleanup --url ${api.url}\``
          : `${prefix}no firedrill toxics left over`,
      },
    ];
  } catch (error) {
    return [answers, { name: "leftovers", ok: false, detail: messageOf(error) }];
  }
}

/**
 * A monitoring signal's server must answer, a query must return data, and an alert must not be
 * firing already: the drill ignores alerts older than itself, so one already active could never
 * be told apart and would end as a detection gap whatever the team's alerting does.
 */
async function monitoringCheck(
  name: string,
  signal: Signal,
  index: number,
  check: MonitoringChecker,
  abort: AbortSignal | undefined,
): Promise<PreflightCheck> {
  const where = `signals[${index}] ${describeSource(signal)}`;
  try {
    const seen = await check(signal, abort ? { signal: abort } : {});
    if (signal.prometheus?.query !== undefined && seen.value === undefined) {
      return { name, ok: false, detail: `${where}: ${seen.detail}: the query returns no data` };
    }
    if (seen.firing) {
      return {
        name,
        ok: false,
        detail: `${where}: already firing before any fault (${seen.detail}); resolve or silence it first`,
      };
    }
    return { name, ok: true, detail: `${where}: answers (${seen.detail})` };
  } catch (error) {
    return { name, ok: false, detail: messageOf(error) };
  }
}

async function prepareChecks(
  prepare: (scenario: Scenario) => Promise<PreparedProxies>,
  scenario: Scenario,
): Promise<PreflightCheck[]> {
  let prepared: PreparedProxies;
  try {
    prepared = await prepare(scenario);
  } catch (error) {
    if (error instanceof PrepareRefusal)
      return [{ name: error.check, ok: false, detail: error.message }];
    return [{ name: "proxies", ok: false, detail: messageOf(error) }];
  }
  const checks: PreflightCheck[] = [];
  if (prepared.claimed.length > 0) {
    checks.push({
      name: "other drills",
      ok: true,
      detail: `none on ${prepared.claimed.join(", ")}: claimed for this drill`,
    });
  }
  if (scenario.proxies.length > 0) {
    const parts = [
      ...prepared.created.map((p) => `created ${p.name} (${p.listen} → ${p.upstream})`),
      ...prepared.existing.map((name) => `${name} exists as declared`),
    ];
    checks.push({ name: "proxies", ok: true, detail: parts.join("; ") });
  }
  return checks;
}

/** `lookAtProxies` on every server the scenario's proxies live on, as one check. */
async function lookAtEveryServer(
  scenario: Scenario,
  defaultUrl: string,
): Promise<{ check?: PreflightCheck; missing: ProxySpec[] }> {
  const parts = serverParts(scenario, defaultUrl).filter((part) => part.proxies.length > 0);
  const looked = await Promise.all(
    parts.map((part) => lookAtProxies(new ToxiproxyApi(part.url), part)),
  );
  const checks = looked.flatMap((l) => (l.check ? [l.check] : []));
  const missing = looked.flatMap((l) => l.missing);
  if (checks.length === 0) return { missing };
  const failed = checks.filter((c) => !c.ok);
  const shown = failed.length > 0 ? failed : checks;
  const check = {
    name: "proxies",
    ok: failed.length === 0,
    detail: shown.map((c) => c.detail).join("; "),
  };
  return { check, missing };
}

/** Without a drill to prepare for: what exists, what the drill would create, what is in the way. */
async function lookAtProxies(
  api: ToxiproxyApi,
  scenario: Pick<Scenario, "proxies">,
): Promise<{ check?: PreflightCheck; missing: ProxySpec[] }> {
  if (scenario.proxies.length === 0) return { missing: [] };
  let existing: Map<string, { listen: string; upstream: string }>;
  try {
    existing = new Map((await api.proxies()).map((p) => [p.name, p]));
  } catch (error) {
    return {
      check: { name: "proxies", ok: false, detail: messageOf(error) },
      missing: [...scenario.proxies],
    };
  }
  const missing: ProxySpec[] = [];
  const parts: string[] = [];
  const wrong: string[] = [];
  for (const spec of scenario.proxies) {
    const found = existing.get(spec.name);
    if (!found) {
      missing.push(spec);
      parts.push(`${spec.name} is created when the drill starts`);
      continue;
    }
    const mismatch = proxyMismatch(spec, found);
    if (mismatch) wrong.push(mismatch);
    else parts.push(`${spec.name} exists as declared`);
  }
  const check =
    wrong.length > 0
      ? { name: "proxies", ok: false, detail: wrong.join("; ") }
      : { name: "proxies", ok: true, detail: parts.join("; ") };
  return { check, missing };
}

/** Whether a probe's target is a declared proxy's listen address. */
function probeReaches(probe: Probe, spec: ProxySpec): boolean {
  if (spec.listen === undefined) return false;
  const target = probeTarget(probe);
  return target !== undefined && reachesProxy(target, spec.listen);
}

function probeTarget(probe: Probe): HostPort | undefined {
  if (probe.tcp) return parseHostPort(probe.tcp.address);
  if (probe.http) {
    try {
      const url = new URL(probe.http.url);
      const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
      return { host: url.hostname.replace(/^\[|\]$/g, ""), port };
    } catch {
      return undefined;
    }
  }
  return undefined;
}
