import { fetchRefusedPort, fetchRefusedPortReason } from "../../model/fetch-ports.js";
import type { Scenario } from "../../model/scenario.js";
import { splitHostPort, urlHost } from "../../probes/probe-address.js";
import { usesToxiproxy } from "../label.js";

export interface AllowListInput {
  scenario: Pick<Scenario, "proxies" | "probes" | "faults" | "safety"> &
    Partial<Pick<Scenario, "signals">>;
  /** config `allowHosts`: every host must match it; the scenario's `safety.allowHosts` narrow it */
  allowHosts: readonly string[];
  /** config `productionPatterns` */
  productionPatterns: readonly string[];
  /** the Toxiproxy API the drill would drive; checked when the scenario uses Toxiproxy */
  toxiproxyUrl?: string;
  /** `--allow-production`: let hosts that look like production through */
  allowProduction?: boolean;
}

export interface Refusal {
  /** where the host came from, e.g. `proxies[0].upstream`, `probes[1].http.url`, `toxiproxyUrl` */
  field: string;
  host: string;
  reason: string;
}

/**
 * Every host a gameday drill would touch, checked against the allow-list and the production
 * patterns. Pure: no lookups, nothing contacted. An empty list means the drill may go ahead.
 *
 * The config's `allowHosts` is the team's policy: a host outside it is refused whatever the
 * scenario says. A scenario's `safety.allowHosts` can only narrow it (`*` there narrows nothing).
 */
export function checkAllowList(input: AllowListInput): Refusal[] {
  const { refusals, check } = hostChecks(input, input.scenario.safety.allowHosts);
  if (input.toxiproxyUrl !== undefined && usesToxiproxy(input.scenario)) {
    checkUrl(input.toxiproxyUrl, "toxiproxyUrl", check, refusals);
  }
  input.scenario.proxies.forEach((proxy, i) => {
    check(`proxies[${i}].upstream`, splitHostPort(proxy.upstream).host);
    if (proxy.listen) check(`proxies[${i}].listen`, splitHostPort(proxy.listen).host);
    if (proxy.toxiproxy) checkUrl(proxy.toxiproxy, `proxies[${i}].toxiproxy`, check, refusals);
  });
  input.scenario.probes.forEach((probe, i) => {
    if (probe.http) checkUrl(probe.http.url, `probes[${i}].http.url`, check, refusals);
    if (probe.tcp) check(`probes[${i}].tcp.address`, splitHostPort(probe.tcp.address).host);
    if (probe.prometheus) {
      checkUrl(probe.prometheus.url, `probes[${i}].prometheus.url`, check, refusals);
    }
  });
  // The team's monitoring is a host the drill talks to like any other.
  (input.scenario.signals ?? []).forEach((signal, i) => {
    if (signal.alertmanager) {
      checkUrl(signal.alertmanager.url, `signals[${i}].alertmanager.url`, check, refusals);
    }
    if (signal.prometheus) {
      checkUrl(signal.prometheus.url, `signals[${i}].prometheus.url`, check, refusals);
    }
  });
  return refusals;
}

function checkUrl(
  url: string,
  field: string,
  check: (field: string, host: string) => void,
  refusals: Refusal[],
): void {
  let host: string;
  try {
    host = urlHost(url);
  } catch {
    refusals.push({ field, host: url, reason: `"${url}" is not a URL` });
    return;
  }
  const port = fetchRefusedPort(url);
  if (port !== undefined) refusals.push({ field, host, reason: fetchRefusedPortReason(port) });
  check(field, host);
}

export function normalizeHost(host: string): string {
  return host
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "")
    .toLowerCase();
}

/**
 * An allowHosts entry matches a host exactly (case-insensitive), or as `*.example.com` any
 * sub-domain of example.com, or as `*` anything.
 */
export function hostMatches(entry: string, host: string): boolean {
  const pattern = normalizeHost(entry.trim());
  if (pattern === "*") return true;
  if (pattern.startsWith("*.")) return host.endsWith(pattern.slice(1));
  return pattern === host;
}

/** The same entries, each once, in their first order (`127.0.0.1` and `127.0.0.1.` are one). */
function unique(entries: readonly string[]): string[] {
  const seen = new Set<string>();
  return entries.filter((entry) => {
    const key = normalizeHost(entry.trim());
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * A production pattern matches a whole part of the host name (parts are split at `.`, `-`, `_`),
 * optionally followed by digits: `prod` catches `db.prod.internal`, `prod-db-1` and
 * `db.prod01.internal` but not `product-api`. A pattern written `/…/` is a regular expression
 * tried against the whole host; one that does not compile matches everything (fail closed).
 */
export function looksLikeProduction(host: string, pattern: string): boolean {
  const regex = /^\/(.+)\/([a-z]*)$/.exec(pattern);
  if (regex) {
    try {
      return new RegExp(regex[1]!, regex[2]).test(host);
    } catch {
      return true;
    }
  }
  const word = pattern.toLowerCase();
  return host
    .split(/[.\-_]/)
    .some((part) => part.startsWith(word) && /^\d*$/.test(part.slice(word.length)));
}

/** Why a `/…/` pattern does not compile, or undefined when it does (or is a plain word). */
export function patternError(pattern: string): string | undefined {
  const regex = /^\/(.+)\/([a-z]*)$/.exec(pattern);
  if (!regex) return undefined;
  try {
    new RegExp(regex[1]!, regex[2]);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

type HostPolicy = Pick<AllowListInput, "allowHosts" | "productionPatterns" | "allowProduction">;

/** The refusals so far (bad patterns first) and a check that adds one per refused host. */
function hostChecks(
  input: HostPolicy,
  scenarioHosts: readonly string[],
): { refusals: Refusal[]; check: (field: string, host: string) => void } {
  const policy = unique(input.allowHosts);
  const narrowed = unique(scenarioHosts);
  const refusals: Refusal[] = [];
  for (const pattern of input.productionPatterns) {
    const error = patternError(pattern);
    // fail closed: a pattern that cannot be tried cannot say a host is not production
    if (error === undefined) continue;
    refusals.push({
      field: "productionPatterns",
      host: "",
      reason: `${pattern} is not a valid regular expression (${error}); fix productionPatterns in the config`,
    });
  }
  const refuse = (field: string, host: string, reason: string) =>
    refusals.push({ field, host, reason });
  const check = (field: string, host: string) => {
    const normalized = normalizeHost(host);
    if (!policy.some((entry) => hostMatches(entry, normalized))) {
      const list = policy.join(", ") || "empty";
      refuse(
        field,
        normalized,
        `${normalized} is not in the config's allowHosts (${list}); add it to allowHosts in firedrill.config.yaml to drill against it`,
      );
      return;
    }
    // the Toxiproxy API is the config's (or --url's) choice, not a target the scenario names
    const narrows = narrowed.length > 0 && field !== "toxiproxyUrl";
    if (narrows && !narrowed.some((entry) => hostMatches(entry, normalized))) {
      refuse(
        field,
        normalized,
        `${normalized} is not in the scenario's safety.allowHosts (${narrowed.join(", ")}); add it there to drill against it`,
      );
      return;
    }
    const pattern = input.productionPatterns.find((p) => looksLikeProduction(normalized, p));
    if (pattern !== undefined && !input.allowProduction) {
      refuse(
        field,
        normalized,
        `${normalized} looks like production (matches "${pattern}"); pass --allow-production <scenario-id> if you really mean it`,
      );
    }
  };
  return { refusals, check };
}

/**
 * The allow-list for a Toxiproxy API URL alone (e.g. `firedrill cleanup --url`): the config's
 * allowHosts and production patterns, as a drill checks its `toxiproxyUrl`.
 */
export function checkToxiproxyUrl(url: string, policy: HostPolicy): Refusal[] {
  return checkConfiguredUrl(url, "toxiproxyUrl", policy);
}

/** The same for any URL the config or the command line chose (e.g. `pushgateway`), named `field`. */
export function checkConfiguredUrl(url: string, field: string, policy: HostPolicy): Refusal[] {
  const { refusals, check } = hostChecks(policy, []);
  checkUrl(url, field, check, refusals);
  return refusals;
}
