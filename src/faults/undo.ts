import { messageOf } from "../model/message.js";
import type { AppliedFault, CreatedProxy, RevertReport } from "./fault-types.js";
import { drillOf, isCreatedMarker } from "./naming.js";
import { apiFor, executeRecipe } from "./recipes.js";

/** What a drill changed, as the backend holds it and the ledger file records it. */
export interface Changes {
  faults: AppliedFault[];
  createdProxies: CreatedProxy[];
}

/**
 * Undoes faults newest first. Each one undone is taken out of `faults` and `onUndone` is called, so
 * a ledger written from the list stays current; what could not be undone stays for a later try.
 * Never throws.
 */
export async function undoFaults(
  faults: AppliedFault[],
  onUndone: () => void = () => {},
): Promise<RevertReport> {
  const report: RevertReport = { reverted: [], failed: [] };
  for (const entry of [...faults].reverse()) {
    try {
      await executeRecipe(entry.revert);
    } catch (error) {
      const url = "url" in entry.revert ? { url: entry.revert.url } : {};
      report.failed.push({
        index: entry.index,
        label: entry.label,
        error: messageOf(error),
        ...url,
      });
      continue;
    }
    faults.splice(faults.indexOf(entry), 1);
    report.reverted.push(entry);
    onUndone();
  }
  return report;
}

/** Undoes every fault, then deletes the proxies the drill created, newest first. Never throws. */
export async function undoChanges(
  changes: Changes,
  onUndone: () => void = () => {},
): Promise<RevertReport> {
  const report = await undoFaults(changes.faults, onUndone);
  const proxies = changes.createdProxies;
  for (const proxy of [...proxies].reverse()) {
    try {
      await apiFor(proxy.url).deleteProxy(proxy.name);
    } catch (error) {
      const label = `proxy ${proxy.name}`;
      report.failed.push({ index: -1, label, error: messageOf(error), url: proxy.url });
      continue;
    }
    proxies.splice(proxies.indexOf(proxy), 1);
    onUndone();
  }
  return report;
}

/**
 * Undoes again what was already undone once, in case a request of the dead drill landed since:
 * Toxiproxy faults (idempotent, named after the drill) and created proxies, but not a proxy that
 * now carries another drill's creation marker (that drill made it after ours was removed).
 * Errors are ignored: this is a repeat, the first undo already reported.
 */
export async function undoAgain(drillId: string, changes: Changes): Promise<void> {
  for (const entry of [...changes.faults].reverse()) {
    if (entry.revert.kind === "command") continue;
    await executeRecipe(entry.revert).catch(() => undefined);
  }
  for (const created of [...changes.createdProxies].reverse()) {
    const api = apiFor(created.url);
    try {
      const proxy = await api.proxy(created.name);
      if (!proxy) continue;
      const owner = proxy.toxics.find((t) => isCreatedMarker(t.name));
      if (owner && drillOf(owner.name) !== drillId) continue;
      await api.deleteProxy(created.name);
    } catch {
      // unreachable now: the next round tries again
    }
  }
}
