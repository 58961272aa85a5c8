import { type HostPort, parseHostPort } from "../../model/host-port.js";
import type { ProxySpec, Scenario } from "../../model/scenario.js";
import type { CreatedProxy } from "../fault-types.js";
import { isDownFault, isToxicFault } from "../label.js";
import {
  claimName,
  createdMarkerName,
  drillOf,
  isCreatedMarker,
  isFiredrillToxic,
} from "../naming.js";
import { type ProxyInfo, type ToxiproxyApi, ToxiproxyApiError } from "../toxiproxy-api.js";

/** What a gameday drill set up on Toxiproxy before its steady-state check. */
export interface PreparedProxies {
  /** declared proxies firedrill created for this drill: pass-through, no toxics */
  created: { name: string; listen: string; upstream: string }[];
  /** declared proxies that were already there, as declared */
  existing: string[];
  /** proxies this drill holds the claim on: no other drill adds faults to them meanwhile */
  claimed: string[];
}

/** A reason not to start the drill, found while preparing; `check` names the preflight check. */
export class PrepareRefusal extends Error {
  constructor(
    message: string,
    readonly check: "other drills" | "proxies",
  ) {
    super(message);
    this.name = "PrepareRefusal";
  }
}

/** How the preparation keeps the drill's ledger: an entry is recorded before its request. */
export interface PrepareLedger {
  record(change: CreatedProxy): void;
  forget(change: CreatedProxy): void;
}

/** Every proxy a scenario's faults touch or its `proxies:` declare, sorted (claims in one order). */
export function proxiesOf(scenario: Pick<Scenario, "proxies" | "faults">): string[] {
  const names = new Set(scenario.proxies.map((p) => p.name));
  for (const fault of scenario.faults) {
    if (isToxicFault(fault) || isDownFault(fault)) names.add(fault.proxy);
  }
  return [...names].sort();
}

/**
 * Claims every proxy the drill touches, checks that no other drill has faults on them, then
 * creates the declared proxies that are missing (a plain pass-through: only firedrill's marker
 * toxic). Every change is recorded in the ledger before its request, so the watchdog or
 * `firedrill cleanup` undoes it whatever happens next. Rejects with a PrepareRefusal when another
 * drill holds a proxy or a declared proxy exists with other addresses; what was done up to then
 * stays recorded for the drill's clean-up to undo.
 */
export async function prepareProxies(
  api: ToxiproxyApi,
  drillId: string,
  scenario: Pick<Scenario, "proxies" | "faults">,
  ledger: PrepareLedger,
): Promise<PreparedProxies> {
  const names = proxiesOf(scenario);
  const report: PreparedProxies = { created: [], existing: [], claimed: [] };
  if (names.length === 0) return report;
  for (const name of names) {
    await claim(api, drillId, name, ledger);
    report.claimed.push(name);
  }
  // A drill that does not claim (an older firedrill, or one whose claim `cleanup` removed) may
  // still have faults on them.
  const proxies = new Map((await api.proxies()).map((p) => [p.name, p]));
  for (const name of names) {
    const theirs = (proxies.get(name)?.toxics ?? []).filter(
      (t) => isFiredrillToxic(t.name) && drillOf(t.name) !== drillId,
    );
    const other = theirs[0] && drillOf(theirs[0].name);
    if (other !== undefined) {
      const list = theirs.map((t) => t.name).join(", ");
      throw new PrepareRefusal(
        `drill ${other} has faults on proxy ${name} (${list}); ${waitAdvice(api.url)}`,
        "other drills",
      );
    }
  }
  for (const spec of scenario.proxies) {
    const found = proxies.get(spec.name);
    if (found) {
      checkSame(spec, found);
      report.existing.push(spec.name);
      continue;
    }
    const made = await create(api, drillId, spec, ledger);
    if (made) report.created.push(made);
    else report.existing.push(spec.name);
  }
  return report;
}

async function claim(
  api: ToxiproxyApi,
  drillId: string,
  proxy: string,
  ledger: PrepareLedger,
): Promise<void> {
  const name = claimName(proxy);
  const entry: CreatedProxy = { url: api.url, name, at: new Date().toISOString() };
  ledger.record(entry);
  try {
    // disabled: it listens on nothing and dials nothing; it only holds the name
    await api.createProxy({ name, listen: "127.0.0.1:0", upstream: "127.0.0.1:9", enabled: false });
  } catch (error) {
    ledger.forget(entry);
    if (!(error instanceof ToxiproxyApiError && error.status === 409)) throw error;
    const holder = await holderOf(api, name);
    throw new PrepareRefusal(
      `${holder ? `drill ${holder}` : "another drill"} is drilling proxy ${proxy} on ${api.url} (it holds ${name}); ${waitAdvice(api.url)}`,
      "other drills",
    );
  }
  await mark(api, drillId, name);
}

/** The drill whose marker a claim carries; a claim only just made may not have it yet. */
async function holderOf(api: ToxiproxyApi, name: string): Promise<string | undefined> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const proxy = await api.proxy(name).catch(() => undefined);
    const marker = proxy?.toxics.find((t) => isCreatedMarker(t.name));
    if (marker) return drillOf(marker.name);
    if (!proxy) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}

function waitAdvice(url: string): string {
  return `two drills' faults would stack: wait for it to end (if it is no longer running, \`firedrill cleanup --url ${url}\` removes what it left)`;
}

/** Creates a missing declared proxy; undefined when someone else created it meanwhile (as declared). */
async function create(
  api: ToxiproxyApi,
  drillId: string,
  spec: ProxySpec,
  ledger: PrepareLedger,
): Promise<PreparedProxies["created"][number] | undefined> {
  const entry: CreatedProxy = { url: api.url, name: spec.name, at: new Date().toISOString() };
  ledger.record(entry);
  let made: ProxyInfo;
  try {
    made = await api.createProxy({
      name: spec.name,
      listen: spec.listen ?? "127.0.0.1:0",
      upstream: spec.upstream,
      enabled: spec.enabled,
    });
  } catch (error) {
    ledger.forget(entry);
    if (!(error instanceof ToxiproxyApiError && error.status === 409)) throw error;
    const found = await api.proxy(spec.name);
    if (!found) throw error;
    checkSame(spec, found);
    return undefined;
  }
  await mark(api, drillId, spec.name);
  return { name: spec.name, listen: made.listen, upstream: made.upstream };
}

/** The marker that makes a proxy recognisable as this drill's: a noop that never touches a byte. */
async function mark(api: ToxiproxyApi, drillId: string, proxy: string): Promise<void> {
  await api.addToxic(proxy, {
    name: createdMarkerName(drillId),
    type: "noop",
    stream: "upstream",
    toxicity: 0,
    attributes: {},
  });
}

/** Refuses a declared proxy that exists with another listen address or upstream. */
export function checkSame(spec: ProxySpec, found: Pick<ProxyInfo, "listen" | "upstream">): void {
  const message = proxyMismatch(spec, found);
  if (message) throw new PrepareRefusal(message, "proxies");
}

export function proxyMismatch(
  spec: ProxySpec,
  found: Pick<ProxyInfo, "listen" | "upstream">,
): string | undefined {
  const listenOk = spec.listen === undefined || sameAddress(spec.listen, found.listen);
  const upstreamOk = sameAddress(spec.upstream, found.upstream);
  if (listenOk && upstreamOk) return undefined;
  const declared = `listen ${spec.listen ?? "(any)"}, upstream ${spec.upstream}`;
  const actual = `listen ${found.listen}, upstream ${found.upstream}`;
  return `proxy ${spec.name} exists with ${actual}, but the scenario declares ${declared}; fix the scenario's proxies entry, or remove the proxy from Toxiproxy if it is stale`;
}

const ANY_HOST = new Set(["", "0.0.0.0", "::", "[::]"]);

/** Same address: the same port, and hosts equal once `localhost` is read as 127.0.0.1. */
function sameAddress(a: string, b: string): boolean {
  const x = parseHostPort(a);
  const y = parseHostPort(b);
  if (!x || !y) return a === b;
  return x.port === y.port && hostOf(x) === hostOf(y);
}

function hostOf(address: HostPort): string {
  const host = address.host.toLowerCase();
  return host === "localhost" ? "127.0.0.1" : host;
}

/** Whether a probe at `target` reaches a proxy listening at `listen` (wildcard hosts included). */
export function reachesProxy(target: HostPort, listen: string): boolean {
  const bound = parseHostPort(listen);
  if (!bound || bound.port === 0 || bound.port !== target.port) return false;
  return ANY_HOST.has(bound.host) || hostOf(bound) === hostOf(target);
}
