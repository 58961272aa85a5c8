import { Box, Text } from "ink";
import { pad } from "../../platform/text-table.js";
import {
  type FeedItem,
  type FeedKind,
  feedAge,
  feedLines,
  feedTextWidth,
} from "../cockpit-view.js";
import { BORDER } from "../layout.js";
import { type Tone, useTone } from "../theme.js";
import { Line, Panel } from "./panel.js";

const KIND: Record<FeedKind, { label: string; tone: Tone }> = {
  alert: { label: "ALERT", tone: "alert" },
  log: { label: "log", tone: "log" },
  metric: { label: "metric", tone: "metric" },
  probe: { label: "PROBE", tone: "probe" },
  recovered: { label: "ok", tone: "good" },
  gap: { label: "GAP", tone: "alert" },
};

export function SignalsPanel({
  items,
  elapsed,
  width,
  height,
}: {
  items: readonly FeedItem[];
  elapsed: number;
  width: number;
  height: number;
}) {
  const tone = useTone();
  const inner = width - BORDER;
  const rows = Math.max(0, height - BORDER - 1);
  // Newest first; a signal too long for one line takes two while there is room, so the alert
  // that matters is read, not guessed from its first words.
  const shown = feedLines(items, feedTextWidth(width), rows);
  return (
    <Panel title={`Signals (${items.length})`} width={width} height={height}>
      {shown.length === 0 ? (
        <Line width={inner} dim>
          quiet so far…
        </Line>
      ) : (
        shown.map(({ item, lines }, i) => {
          const kind = KIND[item.kind];
          const age = pad(feedAge(item, elapsed), 4);
          const label = pad(kind.label, 6);
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional, newest first
            <Box key={i} flexDirection="column">
              <Text>
                <Text dimColor>{age} </Text>
                <Text color={tone(kind.tone)} bold={item.kind === "alert"}>
                  {label}
                </Text>
                <Text> {lines[0] ?? ""}</Text>
              </Text>
              {lines[1] === undefined ? null : <Text>{`${" ".repeat(12)}${lines[1]}`}</Text>}
            </Box>
          );
        })
      )}
    </Panel>
  );
}
