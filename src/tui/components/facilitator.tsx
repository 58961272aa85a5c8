import { Text } from "ink";
import { clip } from "../../platform/text-table.js";
import type { ViewLine } from "../cockpit-view.js";
import { BORDER } from "../layout.js";
import { useTone } from "../theme.js";
import { Panel } from "./panel.js";

/** `--facilitator` only: the faults with their timing and state, the next signal, the answer. */
export function FacilitatorPanel({
  lines,
  width,
  height,
}: {
  lines: readonly ViewLine[];
  width: number;
  height: number;
}) {
  const tone = useTone();
  const inner = width - BORDER;
  return (
    <Panel title="Facilitator (not the responder's)" width={width} height={height}>
      {lines.slice(0, Math.max(0, height - BORDER - 1)).map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a fixed stack of lines
        <Text key={i} wrap="truncate-end" color={line.tone ? tone(line.tone) : undefined}>
          {clip(line.text, inner)}
        </Text>
      ))}
    </Panel>
  );
}
