import type { Command } from "../model/common.js";
import { formatDuration } from "../model/duration.js";
import type { Fault } from "../model/scenario.js";

export function commandText(command: Command): string {
  return typeof command === "string" ? command : command.map(quoteArg).join(" ");
}

function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

/** A one-line description of a fault for event lines, journals and the TUI. */
export function faultLabel(fault: Fault): string {
  if (fault.name) return fault.name;
  if ("command" in fault) return `command: ${commandText(fault.command.inject)}`;
  if ("down" in fault) return `${fault.proxy} down`;
  const attrs = Object.entries(fault.attributes as Record<string, number | undefined>)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
  const toxicity = fault.toxicity < 1 ? ` ${Math.round(fault.toxicity * 100)}%` : "";
  return `${fault.toxic}${attrs ? ` ${attrs}` : ""} on ${fault.proxy} (${fault.stream}${toxicity})`;
}

export function faultWhen(fault: Fault): string {
  const at = `at ${formatDuration(fault.at)}`;
  return fault.duration === undefined ? at : `${at} for ${formatDuration(fault.duration)}`;
}
