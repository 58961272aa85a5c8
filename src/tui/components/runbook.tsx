import { Box, Text } from "ink";
import type { DrillState, ProcedureState } from "../../drill/state.js";
import { clip, pad } from "../../platform/text-table.js";
import { type CockpitUi, shownProcedure } from "../cockpit-state.js";
import { procedureProgress, STEP_MARK, stepDetailLines, type ViewLine } from "../cockpit-view.js";
import { BORDER, windowAround } from "../layout.js";
import { useTone } from "../theme.js";
import { Line, Panel } from "./panel.js";

interface Props {
  state: DrillState;
  ui: CockpitUi;
  width: number;
  height: number;
  /** whether the procedure chosen is the expected one is the facilitator's to know */
  facilitator?: boolean;
}

/** The procedure list, or the chosen procedure's steps with a cursor and the cursor step's details. */
export function RunbookPanel({ state, ui, width, height, facilitator = false }: Props) {
  const procedure = shownProcedure(ui, state);
  const inner = width - BORDER;
  const rows = Math.max(0, height - BORDER - 1);
  if (state.procedures.length === 0) {
    return (
      <Panel title="Runbook" width={width} height={height} active>
        <Line width={inner} dim>
          {state.setup.runbook ? "no procedures" : `no runbook for ${state.setup.scenario.service}`}
        </Line>
      </Panel>
    );
  }
  if (!procedure) {
    return (
      <Panel title="Runbook · choose a procedure (Enter)" width={width} height={height} active>
        <ProcedureList state={state} cursor={ui.cursor} width={inner} rows={rows} />
      </Panel>
    );
  }
  const detailRows = rows >= 10 ? 4 : rows >= 6 ? 2 : 0;
  const detail = detailRows > 0 ? stepDetailLines(state, ui, inner) : undefined;
  const title = `Runbook · ${procedure.title}${procedure.expected || !facilitator ? "" : " (not the expected one)"} ${procedureProgress(procedure)}`;
  return (
    <Panel title={title} width={width} height={height} active>
      <StepList procedure={procedure} cursor={ui.cursor} width={inner} rows={rows - detailRows} />
      {detail ? <StepDetail lines={detail} width={inner} rows={detailRows} /> : null}
    </Panel>
  );
}

function ProcedureList({
  state,
  cursor,
  width,
  rows,
}: {
  state: DrillState;
  cursor: number;
  width: number;
  rows: number;
}) {
  const tone = useTone();
  const { start, end } = windowAround(state.procedures.length, cursor, rows);
  return (
    <>
      {state.procedures.slice(start, end).map((p, i) => {
        const here = start + i === cursor;
        const text = `${here ? "›" : " "} ${p.title}  ${procedureProgress(p)}${p.id === state.selectedProcedure ? " (current)" : ""}`;
        return (
          <Text
            key={p.id}
            wrap="truncate-end"
            inverse={here}
            color={here ? tone("accent") : undefined}
          >
            {here ? pad(text, width) : clip(text, width)}
          </Text>
        );
      })}
    </>
  );
}

function StepList({
  procedure,
  cursor,
  width,
  rows,
}: {
  procedure: ProcedureState;
  cursor: number;
  width: number;
  rows: number;
}) {
  const tone = useTone();
  const { start, end } = windowAround(procedure.steps.length, cursor, rows);
  return (
    <Box flexDirection="column" height={rows}>
      {procedure.steps.slice(start, end).map((step, i) => {
        const here = start + i === cursor;
        const kind = pad(step.kind, 8);
        const flags = `${step.hasCommand ? " $" : ""}${step.optional ? " (optional)" : ""}`;
        const text = `${here ? "›" : " "} ${STEP_MARK[step.status]} ${kind} ${step.title}${flags}`;
        const color =
          step.status === "done"
            ? tone("good")
            : step.status === "skipped"
              ? tone("muted")
              : undefined;
        return (
          <Text key={step.id} wrap="truncate-end" inverse={here} color={color}>
            {here ? pad(text, width) : clip(text, width)}
          </Text>
        );
      })}
    </Box>
  );
}

function StepDetail({ lines, width, rows }: { lines: ViewLine[]; width: number; rows: number }) {
  const tone = useTone();
  return (
    <Box flexDirection="column" height={rows} width={width}>
      <Text dimColor>{"─".repeat(width)}</Text>
      {lines.slice(0, rows - 1).map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a fixed stack of detail lines
        <Text key={i} wrap="truncate-end" color={line.tone ? tone(line.tone) : undefined}>
          {clip(line.text, width)}
        </Text>
      ))}
    </Box>
  );
}
