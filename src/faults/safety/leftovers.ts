import { claimedProxy, drillOf, isCreatedMarker, isFiredrillToxic } from "../naming.js";
import { ToxiproxyApi } from "../toxiproxy-api.js";

export interface LeftoverToxic {
  proxy: string;
  toxic: string;
  type: string;
  drillId: string | undefined;
}

export interface LeftoverProxy {
  proxy: string;
  listen: string;
  upstream: string;
  drillId: string | undefined;
}

export interface Leftovers {
  url: string;
  /** `firedrill.*` toxics on proxies firedrill did not create */
  toxics: LeftoverToxic[];
  /** proxies carrying firedrill's creation marker (their toxics go with them) */
  proxies: LeftoverProxy[];
}

/**
 * What earlier drills left on a Toxiproxy: their toxics and the proxies they created. Rejects with
 * a readable message when Toxiproxy cannot be reached. `exceptDrill` leaves out the drill asking.
 */
export async function findLeftovers(url?: string, exceptDrill?: string): Promise<Leftovers> {
  const api = new ToxiproxyApi(url);
  const result: Leftovers = { url: api.url, toxics: [], proxies: [] };
  for (const proxy of await api.proxies()) {
    const marker = proxy.toxics.find((toxic) => isCreatedMarker(toxic.name));
    if (marker) {
      const drillId = drillOf(marker.name);
      if (drillId !== exceptDrill) {
        const { name, listen, upstream } = proxy;
        result.proxies.push({ proxy: name, listen, upstream, drillId });
        continue;
      }
    }
    for (const toxic of proxy.toxics) {
      if (!isFiredrillToxic(toxic.name)) continue;
      const drillId = drillOf(toxic.name);
      if (drillId === exceptDrill) continue;
      result.toxics.push({ proxy: proxy.name, toxic: toxic.name, type: toxic.type, drillId });
    }
  }
  return result;
}

/**
 * `2 leftover firedrill toxics (firedrill.x.0 on db, …) and 1 proxy firedrill created (web)`; a
 * drill's claims are said as such: `drill x holds db`.
 */
export function describeLeftovers(leftovers: Leftovers): string {
  const parts: string[] = [];
  const claims = leftovers.proxies.filter((p) => claimedProxy(p.proxy) !== undefined);
  const created = leftovers.proxies.filter((p) => claimedProxy(p.proxy) === undefined);
  for (const claim of claims) {
    parts.push(`drill ${claim.drillId ?? "?"} holds proxy ${claimedProxy(claim.proxy)}`);
  }
  if (leftovers.toxics.length > 0) {
    const n = leftovers.toxics.length;
    const names = leftovers.toxics.map((t) => `${t.toxic} on ${t.proxy}`).join(", ");
    parts.push(`${n} leftover firedrill toxic${n === 1 ? "" : "s"} (${names})`);
  }
  if (created.length > 0) {
    const n = created.length;
    const names = created.map((p) => `${p.proxy} by drill ${p.drillId ?? "?"}`).join(", ");
    parts.push(`${n} prox${n === 1 ? "y" : "ies"} an earlier drill created (${names})`);
  }
  return parts.length === 0 ? "nothing left over" : parts.join(" and ");
}

export function hasLeftovers(leftovers: Leftovers): boolean {
  return leftovers.toxics.length > 0 || leftovers.proxies.length > 0;
}
