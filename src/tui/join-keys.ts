import type { Binding } from "./keys.js";

/** What a key does on a joined role's screen; the tags and reasons are typed on the prompt line. */
export type JoinAction =
  | "reveal"
  | "inject"
  | "hint"
  | "pause"
  | "end"
  | "abort"
  | "note"
  | "observation"
  | "decision"
  | "actionItem"
  | "quit";

const QUIT: Binding<JoinAction> = {
  action: "quit",
  keys: [{ char: "q" }],
  label: "leave",
  help: "leave the drill (it goes on without you)",
};

/** One table per role: the footer and the keys come from the same rows. */
export const JOIN_KEYS: Record<
  "facilitator" | "observer" | "scribe",
  readonly Binding<JoinAction>[]
> = {
  facilitator: [
    {
      action: "reveal",
      keys: [{ char: "R" }],
      label: "reveal signal",
      help: "show the next signal now",
    },
    {
      action: "inject",
      keys: [{ char: "F" }],
      label: "inject fault",
      help: "inject the next fault now",
    },
    {
      action: "hint",
      keys: [{ char: "h" }],
      label: "give hint",
      help: "give the next hint (costs as one taken)",
    },
    {
      action: "pause",
      keys: [{ char: "p" }],
      label: "pause/resume",
      help: "pause or resume the drill clock (tabletop)",
    },
    {
      action: "end",
      keys: [{ char: "e" }],
      label: "end",
      help: "call the drill over, with a reason",
    },
    {
      action: "abort",
      keys: [{ char: "a" }],
      label: "abort",
      help: "abort the drill, with a reason",
    },
    { action: "note", keys: [{ char: "n" }], label: "note", help: "add a note to the timeline" },
    QUIT,
  ],
  scribe: [
    {
      action: "observation",
      keys: [{ char: "o" }],
      label: "observation",
      help: "note what happened",
    },
    { action: "decision", keys: [{ char: "d" }], label: "decision", help: "note a decision taken" },
    {
      action: "actionItem",
      keys: [{ char: "a" }],
      label: "action item",
      help: "note an action item",
    },
    { action: "note", keys: [{ char: "n" }], label: "note", help: "a note without a tag" },
    QUIT,
  ],
  observer: [QUIT],
};
