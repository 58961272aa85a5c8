import { refusal } from "../drill/refusals.js";
import type { DrillState, ProcedureState, StepState } from "../drill/state.js";
import { commandText } from "../model/common.js";
import type { LiveCommand, ResponderAction } from "./drill-port.js";
import {
  CHOOSE_KEYS,
  CONFIRM_KEYS,
  type CockpitAction,
  cockpitKeys,
  type KeyPress,
  match,
  PROMPT_KEYS,
} from "./keys.js";
import { editLine, emptyLine, type LineEdit, lineOf } from "./line-edit.js";

/** A question or input box over the cockpit; while one is open it gets every key. */
export type Overlay =
  | { kind: "help" }
  | { kind: "confirmRun"; procedure: string; step: string; command: string }
  | { kind: "confirmAbort" }
  | { kind: "confirmHint"; hint: number; cost: number }
  | { kind: "escalate"; cursor: number }
  | { kind: "adhoc"; line: LineEdit }
  | { kind: "note"; procedure: string; step: string; line: LineEdit };

/** UI-only cockpit state: where the cursor is, what is open, notes being written. */
export interface CockpitUi {
  /** showing the procedure list rather than the selected procedure's steps */
  browsing: boolean;
  cursor: number;
  overlay: Overlay | null;
  /** step notes written before the step is done, by `procedure/step` */
  notes: Readonly<Record<string, string>>;
  /** one line of feedback for the last key ("no hint yet") */
  flash: string | null;
  /** the step whose command was started at the cursor: once it is done, the cursor moves on */
  following?: string;
}

export const initialCockpitUi: CockpitUi = {
  browsing: true,
  cursor: 0,
  overlay: null,
  notes: {},
  flash: null,
};

export interface CockpitInput {
  state: DrillState;
  command?: LiveCommand | undefined;
  /** `--facilitator`: the facilitator's keys work (the responder's cockpit has none) */
  facilitator?: boolean;
}

export interface CockpitStep {
  ui: CockpitUi;
  action?: ResponderAction;
}

export function noteKey(procedure: string, step: string): string {
  return `${procedure}/${step}`;
}

/** The procedure whose steps are listed: the selected one, unless the list of procedures is open. */
export function shownProcedure(ui: CockpitUi, state: DrillState): ProcedureState | undefined {
  if (ui.browsing || state.selectedProcedure === null) return undefined;
  return state.procedures.find((p) => p.id === state.selectedProcedure);
}

function listLength(ui: CockpitUi, state: DrillState): number {
  const procedure = shownProcedure(ui, state);
  return procedure ? procedure.steps.length : state.procedures.length;
}

function clampCursor(ui: CockpitUi, state: DrillState): CockpitUi {
  const length = listLength(ui, state);
  const cursor = Math.max(0, Math.min(ui.cursor, length - 1));
  return cursor === ui.cursor ? ui : { ...ui, cursor };
}

/**
 * Keeps the UI consistent with a new engine state: when the engine selected a procedure (or the
 * drill started with one), show its steps at the first pending one.
 */
export function syncCockpitUi(ui: CockpitUi, state: DrillState): CockpitUi {
  if (ui.browsing && state.selectedProcedure !== null && ui.cursor === 0 && !ui.overlay) {
    const procedure = state.procedures.find((p) => p.id === state.selectedProcedure);
    if (procedure?.steps.some((s) => s.status !== "pending")) {
      return { ...ui, browsing: false, cursor: firstPending(procedure) };
    }
  }
  if (ui.following !== undefined) {
    // A command that exits 0 completes its step (docs/scoring.md): move on as Space would.
    const step = shownProcedure(ui, state)?.steps[ui.cursor];
    if (step?.id !== ui.following) return clampCursor({ ...ui, following: undefined }, state);
    if (step.status === "done") {
      return clampCursor({ ...ui, following: undefined, cursor: ui.cursor + 1 }, state);
    }
  }
  return clampCursor(ui, state);
}

function firstPending(procedure: ProcedureState): number {
  const index = procedure.steps.findIndex((s) => s.status === "pending" || s.status === "running");
  return index === -1 ? 0 : index;
}

function stepAtCursor(ui: CockpitUi, state: DrillState): [ProcedureState, StepState] | undefined {
  const procedure = shownProcedure(ui, state);
  const step = procedure?.steps[ui.cursor];
  return procedure && step ? [procedure, step] : undefined;
}

function flash(ui: CockpitUi, message: string): CockpitStep {
  return { ui: { ...ui, flash: message } };
}

/** The step's command as the runbook writes it; undefined when the step has none. */
export function stepCommand(
  state: DrillState,
  procedure: string,
  step: string,
): string | undefined {
  const run = state.setup.runbook?.procedures
    .find((p) => p.id === procedure)
    ?.steps.find((s) => s.id === step)?.run;
  return run === undefined ? undefined : commandText(run);
}

function nextEscalation(state: DrillState): number {
  const index = state.escalations.findIndex((e) => e.escalatedT === null);
  return index === -1 ? Math.max(0, state.escalations.length - 1) : index;
}

/** What one key does in the cockpit: the new UI state and the action for the engine, if any. */
export function cockpitKey(
  ui0: CockpitUi,
  input: CockpitInput,
  text: string,
  key: KeyPress,
): CockpitStep {
  const ui = { ...ui0, flash: null };
  const { state } = input;
  if (ui.overlay) return overlayKey(ui, ui.overlay, input, text, key);
  if (state.ended) return { ui };

  const keys = cockpitKeys(state.setup.mode, input.facilitator === true);
  const action: CockpitAction | undefined = match(keys, text, key);
  const length = listLength(ui, state);
  const here = stepAtCursor(ui, state);
  const running = input.command?.running === true;
  // The engine's own rules answer a key at once; the engine enforces them again on dispatch.
  const refused = (a: ResponderAction) =>
    refusal(state, a, { started: true, commandRunning: running });

  switch (action) {
    case "up":
      return { ui: { ...ui, cursor: Math.max(0, ui.cursor - 1) } };
    case "down":
      return { ui: { ...ui, cursor: Math.min(Math.max(0, length - 1), ui.cursor + 1) } };
    case "complete": {
      if (!shownProcedure(ui, state)) {
        const procedure = state.procedures[ui.cursor];
        if (!procedure) return flash(ui, "this runbook has no procedures");
        const shown = { ...ui, browsing: false, cursor: firstPending(procedure) };
        // Back to the procedure already chosen: nothing to tell the engine (or the journal).
        if (procedure.id === state.selectedProcedure) return { ui: shown };
        return { ui: shown, action: { type: "selectProcedure", procedure: procedure.id } };
      }
      if (!here) return { ui };
      const [procedure, step] = here;
      const why = refused({ type: "completeStep", step: step.id });
      if (why) return flash(ui, why);
      const key = noteKey(procedure.id, step.id);
      const note = ui.notes[key];
      const { [key]: _sent, ...notes } = ui.notes;
      return {
        ui: { ...ui, notes, cursor: Math.min(length - 1, ui.cursor + 1) },
        action: {
          type: "completeStep",
          step: step.id,
          ...(note ? { note } : {}),
        },
      };
    }
    case "skip": {
      if (!here) return flash(ui, "pick a procedure first (Enter)");
      const [procedure, step] = here;
      const why = refused({ type: "skipStep", step: step.id });
      if (why) return flash(ui, why);
      // A note written on a step that is then skipped says why: it goes with the skip.
      const key = noteKey(procedure.id, step.id);
      const reason = ui.notes[key];
      const { [key]: _sent, ...notes } = ui.notes;
      return {
        ui: { ...ui, notes, cursor: Math.min(length - 1, ui.cursor + 1) },
        action: { type: "skipStep", step: step.id, ...(reason ? { reason } : {}) },
      };
    }
    case "run": {
      if (!here) return flash(ui, "pick a procedure first (Enter)");
      const [procedure, step] = here;
      const why = refused({ type: "runStepCommand", step: step.id });
      const command = stepCommand(state, procedure.id, step.id);
      if (why || command === undefined) return flash(ui, why ?? `${step.id} has no command`);
      return {
        ui: {
          ...ui,
          overlay: { kind: "confirmRun", procedure: procedure.id, step: step.id, command },
        },
      };
    }
    case "note": {
      if (!here) return flash(ui, "pick a procedure first (Enter)");
      const [procedure, step] = here;
      const draft = ui.notes[noteKey(procedure.id, step.id)] ?? "";
      return {
        ui: {
          ...ui,
          overlay: { kind: "note", procedure: procedure.id, step: step.id, line: lineOf(draft) },
        },
      };
    }
    case "procedures": {
      const index = state.procedures.findIndex((p) => p.id === state.selectedProcedure);
      return { ui: { ...ui, browsing: true, cursor: Math.max(0, index) } };
    }
    case "adhoc": {
      const why = refused({ type: "runAdHocCommand", command: "" });
      if (why) return flash(ui, why);
      return { ui: { ...ui, overlay: { kind: "adhoc", line: emptyLine } } };
    }
    case "hint": {
      const why = refused({ type: "takeHint" });
      const hint = state.hints.find((h) => h.available && !h.taken);
      if (why || !hint) return flash(ui, why ?? "no hint is available yet");
      return {
        ui: { ...ui, overlay: { kind: "confirmHint", hint: hint.index, cost: hint.cost } },
      };
    }
    case "ack": {
      const why = refused({ type: "acknowledge" });
      return why ? flash(ui, why) : { ui, action: { type: "acknowledge" } };
    }
    case "escalate": {
      const level = state.escalations[nextEscalation(state)]?.level ?? 0;
      const why = refused({ type: "escalate", level });
      if (why) return flash(ui, why);
      return { ui: { ...ui, overlay: { kind: "escalate", cursor: nextEscalation(state) } } };
    }
    case "mitigate": {
      const why = refused({ type: "declareMitigated" });
      return why ? flash(ui, why) : { ui, action: { type: "declareMitigated" } };
    }
    case "abort":
      return { ui: { ...ui, overlay: { kind: "confirmAbort" } } };
    case "cancel":
      if (running) return { ui, action: { type: "cancelCommand" } };
      return { ui };
    case "help":
      return { ui: { ...ui, overlay: { kind: "help" } } };
    case "revealSignal":
      return { ui, action: { type: "revealNextSignal" } };
    case "injectFault":
      return { ui, action: { type: "injectNextFault" } };
    default:
      return { ui };
  }
}

function overlayKey(
  ui: CockpitUi,
  overlay: Overlay,
  input: CockpitInput,
  text: string,
  key: KeyPress,
): CockpitStep {
  const closed = { ...ui, overlay: null };
  switch (overlay.kind) {
    case "help":
      return { ui: closed };
    case "confirmRun":
    case "confirmAbort":
    case "confirmHint": {
      const answer = match(CONFIRM_KEYS, text, key);
      if (answer === "no") return { ui: closed };
      if (answer !== "yes") return { ui };
      if (overlay.kind === "confirmRun")
        return {
          ui: { ...closed, following: overlay.step },
          action: { type: "runStepCommand", step: overlay.step },
        };
      if (overlay.kind === "confirmHint")
        return { ui: closed, action: { type: "takeHint", hint: overlay.hint } };
      return { ui: closed, action: { type: "abort", reason: "aborted by the responder" } };
    }
    case "escalate": {
      const choice = match(CHOOSE_KEYS, text, key);
      const levels = input.state.escalations;
      if (choice === "cancel") return { ui: closed };
      if (choice === "up")
        return { ui: { ...ui, overlay: { ...overlay, cursor: Math.max(0, overlay.cursor - 1) } } };
      if (choice === "down")
        return {
          ui: {
            ...ui,
            overlay: { ...overlay, cursor: Math.min(levels.length - 1, overlay.cursor + 1) },
          },
        };
      const digit = /^[1-9]$/.test(text) ? levels.findIndex((l) => l.level === Number(text)) : -1;
      const chosen = choice === "submit" ? levels[overlay.cursor] : levels[digit];
      if (!chosen) return { ui };
      return { ui: closed, action: { type: "escalate", level: chosen.level } };
    }
    case "adhoc":
    case "note": {
      const done = match(PROMPT_KEYS, text, key);
      if (done === "cancel") return { ui: closed };
      if (done === "submit") {
        const value = overlay.line.text.trim();
        if (overlay.kind === "adhoc") {
          if (value === "") return { ui: closed };
          return { ui: closed, action: { type: "runAdHocCommand", command: value, shell: true } };
        }
        const stepKey = noteKey(overlay.procedure, overlay.step);
        const step = input.state.procedures
          .find((p) => p.id === overlay.procedure)
          ?.steps.find((s) => s.id === overlay.step);
        // A finished step can no longer carry the note on its completion: journal it as a note.
        if (step && (step.status === "done" || step.status === "skipped")) {
          if (value === "") return { ui: closed };
          return { ui: closed, action: { type: "note", text: `${overlay.step}: ${value}` } };
        }
        const { [stepKey]: _old, ...rest } = ui.notes;
        return { ui: { ...closed, notes: value === "" ? rest : { ...rest, [stepKey]: value } } };
      }
      return { ui: { ...ui, overlay: { ...overlay, line: editLine(overlay.line, text, key) } } };
    }
  }
}
