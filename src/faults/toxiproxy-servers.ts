import type { Fault, ProxySpec, Scenario } from "../model/scenario.js";
import { isDownFault, isToxicFault } from "./label.js";
import { toxiproxyUrl } from "./toxiproxy-api.js";

/** The part of a scenario that lives on one Toxiproxy server. */
export interface ServerPart {
  url: string;
  proxies: ProxySpec[];
  faults: Fault[];
}

type ProxyScenario = Pick<Scenario, "proxies" | "faults">;

/**
 * The server of every proxy the scenario declares (`toxiproxy:`); a proxy that names none, or
 * that is not declared at all (a fault on an existing proxy), lives on `defaultUrl`.
 */
export function serverOf(scenario: ProxyScenario, defaultUrl: string): (proxy: string) => string {
  const fallback = toxiproxyUrl(defaultUrl);
  const declared = new Map(
    scenario.proxies.map((spec) => [
      spec.name,
      spec.toxiproxy ? toxiproxyUrl(spec.toxiproxy) : fallback,
    ]),
  );
  return (proxy) => declared.get(proxy) ?? fallback;
}

/**
 * The scenario split by server, in order of first mention (faults first, then declared proxies):
 * each part holds the declared proxies and the Toxiproxy faults that go to that server.
 */
export function serverParts(scenario: ProxyScenario, defaultUrl: string): ServerPart[] {
  const server = serverOf(scenario, defaultUrl);
  const parts = new Map<string, ServerPart>();
  const part = (url: string): ServerPart => {
    let found = parts.get(url);
    if (!found) {
      found = { url, proxies: [], faults: [] };
      parts.set(url, found);
    }
    return found;
  };
  for (const fault of scenario.faults) {
    if (isToxicFault(fault) || isDownFault(fault)) part(server(fault.proxy)).faults.push(fault);
  }
  for (const spec of scenario.proxies) part(server(spec.name)).proxies.push(spec);
  return [...parts.values()];
}

/** Every Toxiproxy server the scenario touches (empty when it uses none). */
export function serversOf(scenario: ProxyScenario, defaultUrl: string): string[] {
  return serverParts(scenario, defaultUrl).map((p) => p.url);
}
