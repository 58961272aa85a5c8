import { messageOf } from "../model/message.js";
import { apiFor, executeRecipe } from "./recipes.js";
import type { AppliedFault, CreatedProxy, RevertReport } from "./types.js";

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
      report.failed.push({ index: entry.index, label: entry.label, error: messageOf(error) });
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
      report.failed.push({ index: -1, label: `proxy ${proxy.name}`, error: messageOf(error) });
      continue;
    }
    proxies.splice(proxies.indexOf(proxy), 1);
    onUndone();
  }
  return report;
}
