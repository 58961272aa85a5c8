import type { DrillState } from "../drill/state.js";
import { commandText } from "../model/common.js";
import { formatDuration } from "../model/duration.js";
import type { CockpitUi, Overlay } from "./cockpit-state.js";
import { type PaneActivity, paneActivity, type ViewLine } from "./cockpit-view.js";
import type { LiveCommand } from "./drill-port.js";
import { foldLine, withCaret, wrap } from "./format.js";

/** The command pane under the panels, as it is drawn: a title and its lines. */
export interface PaneView {
  title: string;
  /** what scrolls (command output, a hint), folded to the pane's width */
  lines: ViewLine[];
  /** kept in sight under the lines however they are scrolled: a command's exit status */
  status: ViewLine[];
  /** what is on show (this command, this hint): scrolling starts again when it changes */
  id: string;
  /** a question is open and has the keys */
  asking: boolean;
  /** one warning line under the rest: the last key's feedback, else the engine's refusal */
  flash: string | null;
}

export interface PaneInput {
  state: DrillState;
  ui: CockpitUi;
  command: LiveCommand | undefined;
  /** the engine's refusal of the last action */
  notice: string | undefined;
  elapsed: number;
  width: number;
}

/** A question while one is open, otherwise the pane's newest activity. */
export function paneView({ state, ui, command, notice, elapsed, width }: PaneInput): PaneView {
  const flash = ui.flash ?? notice ?? null;
  if (ui.overlay)
    return {
      status: [],
      ...overlayView(ui.overlay, state),
      id: `ask:${ui.overlay.kind}`,
      asking: true,
      flash,
    };
  return {
    status: [],
    ...activityView(paneActivity(state, command), elapsed, width),
    asking: false,
    flash,
  };
}

type Content = Pick<PaneView, "title" | "lines" | "id"> & { status?: ViewLine[] };

function overlayView(overlay: Overlay, state: DrillState): Pick<PaneView, "title" | "lines"> {
  switch (overlay.kind) {
    case "confirmRun":
      return {
        title: "Run this step's command?",
        lines: [
          { text: `$ ${overlay.command}`, tone: "accent" },
          state.setup.mode === "tabletop"
            ? { text: "tabletop: it is recorded, not run · y/Enter ok · n/Esc cancel", bold: true }
            : { text: "y/Enter run it · n/Esc cancel", bold: true },
        ],
      };
    case "confirmAbort":
      return {
        title: "Abort the drill?",
        lines: [
          { text: "Faults are reverted and the journal is closed; the drill scores as aborted." },
          { text: "y/Enter abort · n/Esc keep going", bold: true },
        ],
      };
    case "confirmHint":
      return {
        title: "Take a hint?",
        lines: [
          {
            text: `This hint costs ${overlay.cost} point${overlay.cost === 1 ? "" : "s"} off the score.`,
            tone: "warn",
          },
          { text: "y/Enter take it · n/Esc not now", bold: true },
        ],
      };
    case "escalate":
      return {
        title: "Escalate to (↑/↓ or the level's digit, Enter)",
        lines: state.escalations.map((e, i) => ({
          text: `${i === overlay.cursor ? "›" : " "} L${e.level} ${e.who}${e.contact ? ` (${e.contact})` : ""}${e.escalatedT !== null ? " ✓ paged" : ""}`,
          ...(i === overlay.cursor ? { tone: "accent" as const, bold: true } : {}),
        })),
      };
    case "adhoc":
      return {
        title: "Ad-hoc command (recorded as off-runbook) · Enter run · Esc cancel",
        lines: [{ text: `! ${withCaret(overlay.line)}`, tone: "accent" }],
      };
    case "note":
      return {
        title: `Note on ${overlay.step} · Enter save · Esc cancel`,
        lines: [{ text: `✎ ${withCaret(overlay.line)}`, tone: "warn" }],
      };
    case "help":
      return { title: "", lines: [] };
  }
}

function activityView(activity: PaneActivity, elapsed: number, width: number): Content {
  switch (activity.kind) {
    case "command":
      return commandView(activity.command, elapsed, width);
    case "outcome":
      return {
        id: `outcome:${activity.outcome.step}:${activity.outcome.t}`,
        title: `Outcome · ${activity.outcome.step}`,
        lines: wrap(activity.outcome.text, width).map((text) => ({ text, tone: "good" })),
      };
    case "hint":
      return {
        id: `hint:${activity.t}`,
        title: `Hint (−${activity.cost})`,
        lines: wrap(activity.text, width).map((text) => ({ text, tone: "warn" })),
      };
    case "idle":
      return {
        id: "idle",
        title: "Command",
        lines: [
          { text: "r runs the step's command · ! runs any command (off-runbook)", tone: "muted" },
        ],
      };
  }
}

function commandView(command: LiveCommand, elapsed: number, width: number): Content {
  let status = command.running
    ? `running ${formatDuration(Math.max(0, elapsed - command.startedAt))} · Esc cancels`
    : command.cancelled
      ? `cancelled after ${formatDuration(command.durationMs)}`
      : `exit ${command.exitCode ?? "by signal"} in ${formatDuration(command.durationMs)}`;
  if (command.notRun) status = `not run (${command.notRun})`;
  // Long lines fold rather than being cut at the pane's edge.
  const lines: ViewLine[] = command.output.flatMap((line) =>
    foldLine(line, width).map((text) => ({ text })),
  );
  return {
    id: `command:${command.startedAt}`,
    title: `$ ${commandText(command.command)}${command.offRunbook ? " (off-runbook)" : ""}`,
    lines,
    status: [
      {
        text: status,
        bold: true,
        ...(command.running ? {} : { tone: command.exitCode === 0 ? "good" : "bad" }),
      },
    ],
  };
}
