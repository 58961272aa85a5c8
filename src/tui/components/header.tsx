import { Box, Text } from "ink";
import { clip } from "../../platform/text-table.js";
import type { HeaderView } from "../cockpit-view.js";
import { useTone } from "../theme.js";

/** Two lines: what is being drilled, then the clock against the target and the scorekeeping. */
export function Header({ view, width }: { view: HeaderView; width: number }) {
  const tone = useTone();
  const left = `firedrill · ${view.title}`;
  const right = ` ${view.mode} · ${view.phase} `;
  const status = [
    `⏱ ${view.clock}`,
    `target TTR ${view.target}`,
    `hints ${view.hints}`,
    `responder ${view.responder}`,
    ...(view.escalated ? [`escalated ${view.escalated}`] : []),
    ...(view.joined === undefined ? [] : [`joined ${view.joined}`]),
  ].join("   ");
  return (
    <Box flexDirection="column" width={width} height={2}>
      <Box width={width}>
        <Text bold wrap="truncate-end">
          {clip(left, Math.max(1, width - right.length))}
        </Text>
        <Box flexGrow={1} />
        <Text bold inverse color={tone(view.phaseTone)}>
          {clip(right, width)}
        </Text>
      </Box>
      <Text wrap="truncate-end" color={view.late ? tone("bad") : undefined}>
        {clip(status, width)}
      </Text>
    </Box>
  );
}
