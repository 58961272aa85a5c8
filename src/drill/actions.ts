import type { Command } from "../model/common.js";
import type { Actor, NoteTag } from "./events.js";

/** What a responder (or facilitator) can do; the TUI, `--auto` and `--script` all dispatch these. */
export type ResponderAction =
  | { type: "acknowledge" }
  | { type: "escalate"; level: number }
  | { type: "selectProcedure"; procedure: string }
  | { type: "completeStep"; step?: string; note?: string }
  | { type: "skipStep"; step?: string; reason?: string }
  | { type: "runStepCommand"; step?: string }
  | { type: "runAdHocCommand"; command: Command; shell?: boolean; timeoutMs?: number }
  | { type: "cancelCommand" }
  | { type: "takeHint"; hint?: number }
  | { type: "declareMitigated" }
  | { type: "abort"; reason: string }
  | { type: "note"; text: string; tag?: NoteTag }
  | { type: "revealNextSignal" }
  | { type: "injectNextFault" }
  /** the facilitator gives a hint: it costs as if the responder had taken it (docs/scoring.md) */
  | { type: "giveHint"; hint?: number }
  | { type: "pauseClock"; reason?: string }
  | { type: "resumeClock" }
  /** the facilitator calls the drill over: not recovered, no abort penalty */
  | { type: "endDrill"; reason: string };

export type ActionType = ResponderAction["type"];

/** Actions only the facilitator takes; the responder's terminal takes them as the facilitator. */
const FACILITATOR_ONLY: ReadonlySet<ActionType> = new Set([
  "revealNextSignal",
  "injectNextFault",
  "giveHint",
  "pauseClock",
  "resumeClock",
  "endDrill",
]);

/** Who an action is taken as when the caller does not say: the facilitator's own, else the responder. */
export function defaultActor(action: ResponderAction): Actor {
  return FACILITATOR_ONLY.has(action.type) ? "facilitator" : "responder";
}

/** Why `actor` may not take `action`, or undefined when it may. The one place roles are policed. */
export function roleRefusal(actor: Actor, action: ResponderAction): string | undefined {
  if (actor === "firedrill") return undefined;
  if (actor === "scribe") {
    return action.type === "note" ? undefined : "the scribe can only write notes";
  }
  if (actor === "facilitator") {
    return FACILITATOR_ONLY.has(action.type) || action.type === "note" || action.type === "abort"
      ? undefined
      : "that is the responder's to do";
  }
  return FACILITATOR_ONLY.has(action.type) ? "that is the facilitator's to do" : undefined;
}

export interface CommandResult {
  exitCode: number | null;
  cancelled: boolean;
  timedOut: boolean;
  durationMs: number;
  failure?: string;
  /** a tabletop drill records a command and never runs it */
  notRun?: "tabletop";
}

export type ActionResult = { ok: true; command?: CommandResult } | { ok: false; error: string };
