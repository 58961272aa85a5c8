import { Box, Text } from "ink";
import { pad } from "../../platform/text-table.js";
import { type Binding, keysLabel } from "../keys.js";
import { BORDER } from "../layout.js";
import { Panel } from "./panel.js";

/** The `?` screen: every binding with its one-line help, in columns when there is room. */
export function HelpPanel({
  bindings,
  width,
  height,
}: {
  bindings: readonly Binding<string>[];
  width: number;
  height: number;
}) {
  const inner = width - BORDER;
  const rows = Math.max(1, height - BORDER - 2);
  const keyWidth = Math.max(...bindings.map((b) => keysLabel(b).length)) + 2;
  const columns = Math.max(1, Math.min(Math.ceil(bindings.length / rows), Math.floor(inner / 44)));
  const columnWidth = Math.floor(inner / columns);
  const perColumn = Math.ceil(bindings.length / columns);
  const lines: string[] = [];
  for (let r = 0; r < Math.min(perColumn, rows); r++) {
    let line = "";
    for (let c = 0; c < columns; c++) {
      const b = bindings[c * perColumn + r];
      if (b) line += pad(`${pad(keysLabel(b), keyWidth)}${b.help}`, columnWidth);
    }
    lines.push(line.trimEnd());
  }
  return (
    <Panel title="Keys (any key closes)" width={width} height={height} active>
      <Box flexDirection="column">
        {lines.map((line, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: help rows are positional
          <Text key={i} wrap="truncate-end">
            {line}
          </Text>
        ))}
      </Box>
      <Text dimColor>Ctrl-C aborts safely at any time (faults reverted, journal closed).</Text>
    </Panel>
  );
}
