import { Box, Text } from "ink";
import { useRef, useState } from "react";
import { Footer } from "../components/footer.js";
import { Line } from "../components/panel.js";
import { clip, pad } from "../format.js";
import { PICKER_KEYS } from "../keys.js";
import { windowAround } from "../layout.js";
import {
  initialPickerUi,
  type PickerOutcome,
  type PickerUi,
  pickerKey,
  pickerRow,
  pickerSelection,
} from "../picker-state.js";
import { useTone } from "../theme.js";
import type { CatalogEntry } from "../types.js";
import { useScreenKeys } from "../use-keys.js";

export interface PickerViewProps {
  entries: readonly CatalogEntry[] | null;
  ui: PickerUi;
  nowMs: number;
  cols: number;
  rows: number;
  error?: string | undefined;
}

const COLUMNS = [
  { key: "id", title: "SCENARIO", min: 18 },
  { key: "service", title: "SERVICE", min: 12 },
  { key: "owner", title: "OWNER", min: 12 },
  { key: "modes", title: "MODES", min: 5 },
  { key: "target", title: "TARGET", min: 6 },
  { key: "last", title: "LAST DRILL", min: 10 },
  { key: "lastTtr", title: "LAST TTR", min: 8 },
] as const;

/** The scenario table with a filter line; pure, sized to `cols` × `rows`. */
export function PickerView({ entries, ui, nowMs, cols, rows, error }: PickerViewProps) {
  const tone = useTone();
  const height = Math.max(8, rows) - 1;
  const footer = cols >= 100 ? 1 : 2;
  const listRows = height - 5 - footer;
  const { shown, cursor, current } = pickerSelection(entries ?? [], ui);
  const { start, end } = windowAround(shown.length, cursor, listRows);
  const widths = columnWidths(cols);
  const header = COLUMNS.map((c, i) => pad(c.title, widths[i] ?? 0)).join(" ");
  return (
    <Box flexDirection="column" width={cols} height={height}>
      <Text bold color={tone("title")}>
        {clip(
          `firedrill · choose a scenario${entries ? ` (${shown.length} of ${entries.length})` : ""}`,
          cols,
        )}
      </Text>
      <Text>
        <Text color={tone("accent")}>filter › </Text>
        {clip(`${ui.filter.text}█`, cols - 10)}
      </Text>
      <Text dimColor>{clip(header, cols)}</Text>
      <Box flexDirection="column" height={listRows}>
        {error ? (
          <Line width={cols} color={tone("bad")}>
            {error}
          </Line>
        ) : entries === null ? (
          <Line width={cols} dim>
            loading scenarios…
          </Line>
        ) : shown.length === 0 ? (
          <Line width={cols} dim>
            {entries.length === 0
              ? "no scenarios found (firedrill init writes samples)"
              : "nothing matches the filter"}
          </Line>
        ) : (
          shown.slice(start, end).map((entry, i) => {
            const row = pickerRow(entry, nowMs);
            const here = start + i === cursor;
            const text = COLUMNS.map((c, j) => pad(row[c.key], widths[j] ?? 0)).join(" ");
            return (
              <Text
                key={entry.id}
                inverse={here}
                color={here ? tone("accent") : undefined}
                wrap="truncate-end"
              >
                {pad(`${here ? "›" : " "}${text}`, cols)}
              </Text>
            );
          })
        )}
      </Box>
      <Line width={cols} dim>
        {current
          ? `${current.title}${current.tags.length ? `  [${current.tags.join(", ")}]` : ""}`
          : " "}
      </Line>
      <Text> </Text>
      <Footer
        bindings={PICKER_KEYS}
        extra={["type to filter", "Ctrl-C quit"]}
        width={cols}
        rows={footer}
      />
    </Box>
  );
}

function columnWidths(cols: number): number[] {
  const mins = COLUMNS.map((c) => c.min);
  const used = mins.reduce((a, b) => a + b, 0) + COLUMNS.length;
  const spare = Math.max(0, cols - used);
  // Spare room goes to the scenario, service and owner columns, which hold the long names.
  return mins.map((m, i) =>
    i === 0 ? m + Math.floor(spare / 2) : i === 1 || i === 2 ? m + Math.floor(spare / 4) : m,
  );
}

export interface PickerScreenProps {
  entries: readonly CatalogEntry[] | null;
  error?: string | undefined;
  nowMs: number;
  cols: number;
  rows: number;
  keysActive: boolean;
  onOutcome: (outcome: PickerOutcome) => void;
}

export function PickerScreen({
  entries,
  error,
  nowMs,
  cols,
  rows,
  keysActive,
  onOutcome,
}: PickerScreenProps) {
  const [ui, setUi] = useState(initialPickerUi);
  const uiRef = useRef(ui);
  useScreenKeys((input, key) => {
    const step = pickerKey(uiRef.current, entries ?? [], input, key);
    uiRef.current = step.ui;
    setUi(step.ui);
    if (step.outcome.kind !== "none") onOutcome(step.outcome);
  }, keysActive);
  return (
    <PickerView entries={entries} ui={ui} nowMs={nowMs} cols={cols} rows={rows} error={error} />
  );
}
