import type { Command } from "../model/common.js";

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
  | { type: "note"; text: string }
  | { type: "revealNextSignal" }
  | { type: "injectNextFault" };

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
