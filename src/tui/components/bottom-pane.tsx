import { Text } from "ink";
import type { DrillState } from "../../drill/state.js";
import type { CockpitUi } from "../cockpit-state.js";
import { clip } from "../format.js";
import { BORDER } from "../layout.js";
import { paneView } from "../pane-view.js";
import { useTone } from "../theme.js";
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

/** The pane under the panels as `paneView` says, its newest lines kept, with the last refusal. */
export function BottomPane({ state, ui, command, elapsed, width, height, notice }: Props) {
  const tone = useTone();
  const inner = width - BORDER;
  const rows = Math.max(0, height - BORDER - 1);
  const shown = paneView({ state, ui, command, notice, elapsed, width: inner });
  const { flash } = shown;
  const body = shown.lines.slice(-Math.max(0, flash ? rows - 1 : rows));
  return (
    <Panel title={shown.title} width={width} height={height} active={shown.asking}>
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
