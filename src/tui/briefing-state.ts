import type { Mode } from "../model/scenario.js";
import { BRIEFING_KEYS, type KeyPress, match } from "./keys.js";
import { editLine, type LineEdit, lineOf } from "./line-edit.js";

export interface BriefingUi {
  mode: Mode;
  responder: LineEdit;
  flash: string | null;
}

export function initialBriefingUi(
  modes: readonly Mode[],
  responder: string,
  preferred?: Mode,
): BriefingUi {
  const fallback = modes.includes("tabletop") ? "tabletop" : (modes[0] ?? "tabletop");
  return {
    mode: preferred && modes.includes(preferred) ? preferred : fallback,
    responder: lineOf(responder),
    flash: null,
  };
}

export type BriefingOutcome =
  | { kind: "none" }
  | { kind: "start"; mode: Mode; responder: string }
  | { kind: "back" };

export interface BriefingCheck {
  /** the scenario's allowed modes */
  modes: readonly Mode[];
  /** gameday: null while the preflight runs, then whether it passed */
  preflightOk: boolean | null;
}

/** Tab (Shift-Tab the other way) switches mode (among the scenario's), typing edits the responder, Enter starts when it may. */
export function briefingKey(
  ui0: BriefingUi,
  check: BriefingCheck,
  input: string,
  key: KeyPress,
): { ui: BriefingUi; outcome: BriefingOutcome } {
  const ui = { ...ui0, flash: null };
  const none = { kind: "none" } as const;
  const action = match(BRIEFING_KEYS, input, key);
  switch (action) {
    case "mode":
    case "modeBack": {
      const modes = check.modes;
      if (modes.length < 2)
        return {
          ui: { ...ui, flash: `this scenario only runs as ${modes[0] ?? "tabletop"}` },
          outcome: none,
        };
      const step = action === "mode" ? 1 : modes.length - 1;
      const next = modes[(modes.indexOf(ui.mode) + step) % modes.length] ?? ui.mode;
      return { ui: { ...ui, mode: next }, outcome: none };
    }
    case "back":
      return { ui, outcome: { kind: "back" } };
    case "start": {
      const responder = ui.responder.text.trim();
      if (responder === "")
        return { ui: { ...ui, flash: "type the responder's name first" }, outcome: none };
      if (ui.mode === "gameday" && check.preflightOk === null)
        return { ui: { ...ui, flash: "wait for the preflight check to finish" }, outcome: none };
      if (ui.mode === "gameday" && check.preflightOk === false)
        return {
          ui: { ...ui, flash: "the preflight check failed: fix it or switch to tabletop (Tab)" },
          outcome: none,
        };
      return { ui, outcome: { kind: "start", mode: ui.mode, responder } };
    }
    default:
      return { ui: { ...ui, responder: editLine(ui.responder, input, key) }, outcome: none };
  }
}
