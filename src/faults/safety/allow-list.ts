import { fetchRefusedPort, fetchRefusedPortReason } from "../../model/fetch-ports.js";
import type { Scenario } from "../../model/scenario.js";
import { splitHostPort, urlHost } from "../../probes/address.js";
import { usesToxiproxy } from "../label.js";

export interface AllowListInput {
  scenario: Pick<Scenario, "proxies" | "probes" | "faults" | "safety">;
  /** config `allowHosts` (the scenario's `safety.allowHosts` are added to these) */
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
 */
export function checkAllowList(input: AllowListInput): Refusal[] {
  const allowed = [...input.allowHosts, ...input.scenario.safety.allowHosts];
  const refusals: Refusal[] = [];
  const check = (field: string, host: string) => {
    const normalized = normalizeHost(host);
    if (!allowed.some((entry) => hostMatches(entry, normalized))) {
      refusals.push({
        field,
        host: normalized,
        reason: `${normalized} is not in allowHosts (${allowed.join(", ") || "empty"}); add it to safety.allowHosts or the config to drill against it`,
      });
      return;
    }
    const pattern = input.productionPatterns.find((p) => looksLikeProduction(normalized, p));
    if (pattern !== undefined && !input.allowProduction) {
      refusals.push({
        field,
        host: normalized,
        reason: `${normalized} looks like production (matches "${pattern}"); pass --allow-production <scenario-id> if you really mean it`,
      });
    }
  };
  if (input.toxiproxyUrl !== undefined && usesToxiproxy(input.scenario)) {
    checkUrl(input.toxiproxyUrl, "toxiproxyUrl", check, refusals);
  }
  input.scenario.proxies.forEach((proxy, i) => {
    check(`proxies[${i}].upstream`, splitHostPort(proxy.upstream).host);
    if (proxy.listen) check(`proxies[${i}].listen`, splitHostPort(proxy.listen).host);
  });
  input.scenario.probes.forEach((probe, i) => {
    if (probe.http) checkUrl(probe.http.url, `probes[${i}].http.url`, check, refusals);
    if (probe.tcp) check(`probes[${i}].tcp.address`, splitHostPort(probe.tcp.address).host);
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

/**
 * A production pattern matches a whole word of the host name (words are split at `.`, `-`, `_`),
 * so `prod` catches `db.prod.internal` and `prod-db-1` but not `product-api`. A pattern written
 * `/…/` is a regular expression tried against the whole host.
 */
export function looksLikeProduction(host: string, pattern: string): boolean {
  const regex = /^\/(.+)\/([a-z]*)$/.exec(pattern);
  if (regex) {
    try {
      return new RegExp(regex[1]!, regex[2]).test(host);
    } catch {
      return false;
    }
  }
  const word = pattern.toLowerCase();
  return host.split(/[.\-_]/).includes(word);
}
