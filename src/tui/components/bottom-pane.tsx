import { Text } from "ink";
import type { DrillState } from "../../drill/state.js";
import { commandText } from "../../model/common.js";
import type { CockpitUi, Overlay } from "../cockpit-state.js";
import { clip, duration, wrap } from "../format.js";
import { BORDER } from "../layout.js";
import type { LineEdit } from "../line-edit.js";
import { type Tone, useTone } from "../theme.js";
import type { LiveCommand } from "../types.js";
import { Line, Panel } from "./panel.js";

interface Props {
  state: DrillState;
  ui: CockpitUi;
  command: LiveCommand | undefined;
  elapsed: number;
  width: number;
  height: number;
  /** the engine's refusal of the last action */
  notice?: string | undefined;
}

interface Shown {
  title: string;
  lines: { text: string; tone?: Tone; bold?: boolean }[];
}

/**
 * The pane under the panels: a question while one is open, otherwise the newest of the running or
 * last command's output, the last tabletop outcome and the last hint taken.
 */
export function BottomPane({ state, ui, command, elapsed, width, height, notice }: Props) {
  const flash = ui.flash ?? notice ?? null;
  const tone = useTone();
  const inner = width - BORDER;
  const rows = Math.max(0, height - BORDER - 1);
  const shown = ui.overlay
    ? overlayLines(ui.overlay, state)
    : activity(state, command, elapsed, inner);
  const body = shown.lines.slice(-Math.max(0, flash ? rows - 1 : rows));
  return (
    <Panel title={shown.title} width={width} height={height} active={ui.overlay !== null}>
      {body.map((line, i) => (
        <Text
          // biome-ignore lint/suspicious/noArrayIndexKey: output lines are positional
          key={i}
          wrap="truncate-end"
          color={line.tone ? tone(line.tone) : undefined}
          bold={line.bold === true}
        >
          {clip(line.text, inner)}
        </Text>
      ))}
      {flash ? (
        <Line width={inner} color={tone("warn")}>
          {`! ${flash}`}
        </Line>
      ) : null}
    </Panel>
  );
}

function field(line: LineEdit): string {
  return `${line.text.slice(0, line.caret)}█${line.text.slice(line.caret)}`;
}

function overlayLines(overlay: Overlay, state: DrillState): Shown {
  switch (overlay.kind) {
    case "confirmRun":
      return {
        title: "Run this step's command?",
        lines: [
          { text: `$ ${overlay.command}`, tone: "accent" },
          { text: "y/Enter run it · n/Esc cancel", bold: true },
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
        lines: [{ text: `! ${field(overlay.line)}`, tone: "accent" }],
      };
    case "note":
      return {
        title: `Note on ${overlay.step} · Enter save · Esc cancel`,
        lines: [{ text: `✎ ${field(overlay.line)}`, tone: "warn" }],
      };
    case "help":
      return { title: "", lines: [] };
  }
}

/** Whether the pane shows a command (running, or newer than any outcome or hint). */
export function showsCommand(state: DrillState, command: LiveCommand | undefined): boolean {
  if (!command) return false;
  if (command.running) return true;
  const outcome = lastOutcome(state)?.t ?? -1;
  const hint = Math.max(-1, ...state.hints.map((h) => h.takenT ?? -1));
  return command.startedAt >= outcome && command.startedAt >= hint;
}

function activity(
  state: DrillState,
  command: LiveCommand | undefined,
  elapsed: number,
  width: number,
): Shown {
  const outcome = lastOutcome(state);
  const hint = state.hints
    .filter((h) => h.taken)
    .sort((a, b) => (b.takenT ?? 0) - (a.takenT ?? 0))[0];
  const candidates: { t: number; shown: () => Shown }[] = [];
  if (command)
    candidates.push({ t: command.startedAt, shown: () => commandLines(command, elapsed) });
  if (outcome)
    candidates.push({
      t: outcome.t,
      shown: () => ({
        title: `Outcome · ${outcome.step}`,
        lines: wrap(outcome.text, width).map((text) => ({ text, tone: "good" as const })),
      }),
    });
  if (hint)
    candidates.push({
      t: hint.takenT ?? 0,
      shown: () => ({
        title: `Hint (−${hint.cost})`,
        lines: wrap(hint.text, width).map((text) => ({ text, tone: "warn" as const })),
      }),
    });
  candidates.sort((a, b) => b.t - a.t);
  const newest = candidates[0];
  if (newest) return newest.shown();
  return {
    title: "Command",
    lines: [
      { text: "r runs the step's command · ! runs any command (off-runbook)", tone: "muted" },
    ],
  };
}

function lastOutcome(state: DrillState): { t: number; step: string; text: string } | undefined {
  if (state.setup.mode !== "tabletop") return undefined;
  let best: { t: number; step: string; text: string } | undefined;
  for (const p of state.procedures) {
    for (const s of p.steps) {
      const text =
        s.outcome ??
        (s.status === "done" ? state.setup.scenario.tabletop.outcomes[s.id] : undefined);
      if (text && s.t !== undefined && (!best || s.t >= best.t))
        best = { t: s.t, step: s.id, text };
    }
  }
  return best;
}

function commandLines(command: LiveCommand, elapsed: number): Shown {
  const text = commandText(command.command);
  const status = command.running
    ? `running ${duration(Math.max(0, elapsed - command.startedAt))} · Esc cancels`
    : command.cancelled
      ? `cancelled after ${duration(command.durationMs)}`
      : `exit ${command.exitCode ?? "by signal"} in ${duration(command.durationMs)}`;
  const lines: Shown["lines"] = command.output.map((text) => ({ text }));
  const ok = command.exitCode === 0;
  lines.push({
    text: status,
    bold: true,
    ...(command.running ? {} : { tone: ok ? "good" : "bad" }),
  });
  return { title: `$ ${text}${command.offRunbook ? " (off-runbook)" : ""}`, lines };
}
