import type { ResponderAction } from "../drill/actions.js";
import { NOTE_TAGS } from "../drill/events.js";
import type { JoinRole } from "./share-protocol.js";

/**
 * What a joined role can type, one line per action: the plain `firedrill join` (piped, scripted)
 * and the help of the role's screen read this one table.
 */
export const JOIN_COMMANDS: Record<
  Exclude<JoinRole, "observer">,
  readonly { usage: string; does: string }[]
> = {
  facilitator: [
    { usage: "reveal", does: "show the next signal now" },
    { usage: "inject", does: "inject the next fault now" },
    { usage: "hint [n]", does: "give the next hint (or hint n); it costs as one taken" },
    { usage: "pause [reason]", does: "pause the drill clock (tabletop)" },
    { usage: "resume", does: "start the drill clock again" },
    { usage: "end <reason>", does: "call the drill over: not recovered" },
    { usage: "abort <reason>", does: "abort the drill" },
    { usage: "note <text>", does: "add a note to the timeline" },
  ],
  scribe: [
    { usage: "observation: <text>", does: "note what happened" },
    { usage: "decision: <text>", does: "note a decision taken" },
    { usage: "action: <text>", does: "note an action item for after the drill" },
    { usage: "<text>", does: "a note without a tag" },
  ],
};

/** The action a typed line means for `role`, or why it means none. */
export function parseJoinCommand(role: JoinRole, line: string): ResponderAction | string {
  const text = line.trim();
  if (role === "observer") return "an observer cannot act";
  if (text === "") return "empty line";
  if (role === "scribe") {
    const tagged = /^(observation|decision|action)\s*:\s*(.+)$/i.exec(text);
    const tag = NOTE_TAGS.find((t) => t === tagged?.[1]?.toLowerCase());
    return tag && tagged?.[2] ? { type: "note", text: tagged[2], tag } : { type: "note", text };
  }
  const [word = "", ...rest] = text.split(/\s+/);
  const arg = rest.join(" ");
  switch (word.toLowerCase()) {
    case "reveal":
      return { type: "revealNextSignal" };
    case "inject":
      return { type: "injectNextFault" };
    case "hint": {
      if (arg === "") return { type: "giveHint" };
      const n = Number.parseInt(arg, 10);
      return Number.isInteger(n) && n >= 1
        ? { type: "giveHint", hint: n - 1 }
        : "hint takes a number from 1";
    }
    case "pause":
      return arg ? { type: "pauseClock", reason: arg } : { type: "pauseClock" };
    case "resume":
      return { type: "resumeClock" };
    case "end":
    case "abort":
      if (!arg) return `${word} needs a reason: ${word} <reason>`;
      return word === "end" ? { type: "endDrill", reason: arg } : { type: "abort", reason: arg };
    case "note":
      return arg ? { type: "note", text: arg } : "note needs its text";
    default:
      return `unknown command "${word}"; one of: ${JOIN_COMMANDS.facilitator.map((c) => c.usage.split(" ")[0]).join(", ")}`;
  }
}
