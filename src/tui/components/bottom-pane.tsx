import { Text } from "ink";
import { clip } from "../../platform/text-table.js";
import type { PaneWindow } from "../cockpit-frame.js";
import { BORDER } from "../layout.js";
import type { PaneView } from "../pane-view.js";
import { useTone } from "../theme.js";
import { Line, Panel } from "./panel.js";

interface Props {
  pane: PaneView;
  window: PaneWindow;
  width: number;
}

/** The pane under the panels as `paneView` says: the lines in sight, its status, the last refusal. */
export function BottomPane({ pane, window, width }: Props) {
  const tone = useTone();
  const inner = width - BORDER;
  const { flash } = pane;
  const body = [...pane.lines.slice(window.start, window.end), ...window.status];
  return (
    <Panel title={pane.title} width={width} height={window.height} active={pane.asking}>
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
