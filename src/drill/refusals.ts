import { clock, formatDuration } from "../model/duration.js";
import { defaultActor, type ResponderAction } from "./actions.js";
import { currentStep, type DrillState, type ProcedureState, type StepState } from "./state.js";

/** What, besides the drill's state, decides whether an action can be taken now. */
export interface RefusalContext {
  /** the drill has started (faults scheduled, journal open) */
  started: boolean;
  /** a responder command is running */
  commandRunning: boolean;
  /** drill time now; without it a hint counts as available only once the engine marked it so */
  now?: number;
}

/** The step an action means: the given one, or the current step of the selected procedure. */
export function findStep(
  state: DrillState,
  stepId: string | undefined,
): { procedure: ProcedureState; step: StepState } | { error: string } {
  const procedure = state.procedures.find((p) => p.id === state.selectedProcedure);
  if (!procedure) return { error: "select a procedure first" };
  const step =
    stepId === undefined ? currentStep(procedure) : procedure.steps.find((s) => s.id === stepId);
  if (!step) {
    return {
      error:
        stepId === undefined
          ? `every step of ${procedure.id} is done`
          : `no step "${stepId}" in ${procedure.id}; it has ${procedure.steps.map((s) => s.id).join(", ")}`,
    };
  }
  return { procedure, step };
}

/** The hint `takeHint` would take: the given one, or the first available one not yet taken. */
export function hintFor(state: DrillState, hint: number | undefined) {
  return hint === undefined
    ? state.hints.find((h) => h.available && !h.taken)
    : state.hints.find((h) => h.index === hint);
}

/**
 * Why the engine would refuse `action` now, or undefined when it would take it. The one place
 * these rules live: the session enforces them, the cockpit uses them to answer a key at once.
 */
export function refusal(
  state: DrillState,
  action: ResponderAction,
  context: RefusalContext,
): string | undefined {
  if (action.type === "abort") return state.ended ? "the drill is already over" : undefined;
  if (action.type === "cancelCommand") {
    return context.commandRunning ? undefined : "no command is running";
  }
  if (!context.started) return "the drill has not started yet";
  if (state.ended) return "the drill is over";
  if (state.paused && defaultActor(action) === "responder" && action.type !== "note") {
    return "the facilitator paused the clock; wait until it runs again";
  }

  switch (action.type) {
    case "acknowledge":
      return state.acknowledgedBy ? `already acknowledged by ${state.acknowledgedBy}` : undefined;
    case "escalate": {
      if (state.escalations.some((e) => e.level === action.level)) return undefined;
      const levels = state.escalations.map((e) => `${e.level} (${e.who})`).join(", ");
      return levels
        ? `no escalation level ${action.level}; the ladder has ${levels}`
        : "the runbook has no escalation ladder";
    }
    case "selectProcedure":
      return state.procedures.some((p) => p.id === action.procedure)
        ? undefined
        : `no procedure "${action.procedure}"; the runbook has ${state.procedures.map((p) => p.id).join(", ") || "none"}`;
    case "completeStep":
    case "skipStep": {
      const found = findStep(state, action.step);
      if ("error" in found) return found.error;
      const { step } = found;
      // A step done by its command exiting 0 can still be marked otherwise (docs/scoring.md).
      const remark = action.type === "skipStep" && step.doneByCommand === true;
      return (step.status === "done" || step.status === "skipped") && !remark
        ? `step ${step.id} is already ${step.status}`
        : undefined;
    }
    case "runStepCommand": {
      const found = findStep(state, action.step);
      if ("error" in found) return found.error;
      if (!stepCommandOf(state, found.procedure.id, found.step.id)) {
        return `step ${found.step.id} has no command to run`;
      }
      return context.commandRunning ? "a command is still running; cancel it first" : undefined;
    }
    case "runAdHocCommand":
      return context.commandRunning ? "a command is still running; cancel it first" : undefined;
    case "takeHint": {
      const hint = hintFor(state, action.hint);
      if (!hint) return noHintYet(state);
      if (hint.taken) return `hint ${hint.index + 1} was already taken`;
      const due = context.now !== undefined && context.now >= hint.after;
      return hint.available || due ? undefined : "that hint is not available yet";
    }
    case "declareMitigated":
      return state.phase === "mitigated" ? "already declared mitigated" : undefined;
    case "note":
      return undefined;
    case "revealNextSignal":
      return state.setup.scenario.signals.every((_s, index) =>
        state.signals.some((shown) => shown.index === index),
      )
        ? "every signal has been shown"
        : undefined;
    case "injectNextFault":
      return state.faults.some((f) => f.status === "pending")
        ? undefined
        : "every fault has been injected";
    case "giveHint": {
      const hint = hintToGive(state, action.hint);
      if (!hint) {
        return action.hint === undefined
          ? "no hints left"
          : `no hint ${action.hint + 1}; the scenario has ${state.hints.length}`;
      }
      return hint.taken ? `hint ${hint.index + 1} was already taken` : undefined;
    }
    case "pauseClock":
      if (state.setup.mode !== "tabletop") {
        return "only a tabletop's clock can be paused: a gameday's faults are real and keep acting";
      }
      return state.paused ? "the clock is already paused" : undefined;
    case "resumeClock":
      return state.paused ? undefined : "the clock is not paused";
    case "endDrill":
      return undefined;
  }
}

/**
 * The hint the facilitator gives: the given one, or the next not yet taken in the scenario's order;
 * unlike `takeHint`, it need not be available yet (the facilitator decides when it is needed).
 */
export function hintToGive(state: DrillState, hint: number | undefined) {
  return hint === undefined
    ? state.hints.find((h) => !h.taken)
    : state.hints.find((h) => h.index === hint);
}

/** A runbook step's command as the runbook declares it, with how to run it. */
export function stepCommandOf(state: DrillState, procedure: string, step: string) {
  const spec = state.setup.runbook?.procedures
    .find((p) => p.id === procedure)
    ?.steps.find((s) => s.id === step);
  return spec?.run === undefined
    ? undefined
    : { run: spec.run, shell: spec.shell, timeout: spec.timeout };
}

/** Why no hint can be taken now: none left, or when the next one opens (on the drill clock). */
function noHintYet(state: DrillState): string {
  const next = state.hints
    .filter((h) => !h.taken && !h.available)
    .sort((a, b) => a.after - b.after)[0];
  if (!next) return "no hints left";
  const wait = Math.max(0, next.after - state.elapsed);
  // Whole seconds: the wait is read at a glance, and the drill clock shows seconds.
  const seconds = Math.ceil(wait / 1000) * 1000;
  return `no hint available yet: the next one opens at ${clock(next.after)} (in ${formatDuration(seconds)}), costs ${next.cost}`;
}
