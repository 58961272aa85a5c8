import { commandText } from "../model/common.js";
import type { CommandFault, DownFault, Fault, Scenario, ToxicFault } from "../model/scenario.js";
import { redactSecrets } from "../model/secrets.js";

export function isToxicFault(fault: Fault): fault is ToxicFault {
  return "toxic" in fault;
}

export function isDownFault(fault: Fault): fault is DownFault {
  return "down" in fault;
}

export function isCommandFault(fault: Fault): fault is CommandFault {
  return "command" in fault;
}

/**
 * What a fault does in one human line, for the TUI, the journal and error messages:
 * `latency 1500±250ms downstream on checkout-db`, `checkout-db down`, `run: kubectl scale …`.
 * A fault's own `name` leads when it has one.
 */
export function faultLabel(fault: Fault): string {
  const what = describeFault(fault);
  return fault.name ? `${fault.name} (${what})` : what;
}

function describeFault(fault: Fault): string {
  if (isDownFault(fault)) return `${fault.proxy} down`;
  if (isCommandFault(fault))
    return `run: ${shorten(redactSecrets(commandText(fault.command.inject)), 60)}`;
  const t = fault as ToxicFault;
  const share = t.toxicity < 1 ? ` (${Math.round(t.toxicity * 100)}% of connections)` : "";
  return `${toxicSummary(t)} ${t.stream} on ${t.proxy}${share}`;
}

function toxicSummary(fault: ToxicFault): string {
  const a = fault.attributes as Record<string, number | undefined>;
  const n = (key: string) => a[key] ?? 0;
  const spread = (value: number, variation: number, unit: string) =>
    variation > 0 ? `${value}±${variation}${unit}` : `${value}${unit}`;
  switch (fault.toxic) {
    case "latency":
      return `latency ${spread(n("latency"), n("jitter"), "ms")}`;
    case "bandwidth":
      return `bandwidth ${n("rate")}KB/s`;
    case "slow_close":
      return `slow_close ${n("delay")}ms`;
    case "timeout":
      return n("timeout") > 0 ? `timeout after ${n("timeout")}ms` : "timeout (hold forever)";
    case "reset_peer":
      return n("timeout") > 0 ? `reset_peer after ${n("timeout")}ms` : "reset_peer";
    case "slicer":
      return `slicer ${spread(n("average_size"), n("size_variation"), "B")} every ${n("delay")}µs`;
    case "limit_data":
      return `limit_data ${n("bytes")}B`;
    default:
      return fault.toxic;
  }
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Whether a gameday run of the scenario talks to Toxiproxy (its proxies or toxic/down faults). */
export function usesToxiproxy(scenario: Pick<Scenario, "faults" | "proxies">): boolean {
  return (
    scenario.proxies.length > 0 || scenario.faults.some((f) => isToxicFault(f) || isDownFault(f))
  );
}
