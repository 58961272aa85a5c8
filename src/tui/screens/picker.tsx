import { Box, Text } from "ink";
import { useRef, useState } from "react";
import { clip, pad } from "../../platform/text-table.js";
import { Footer } from "../components/footer.js";
import { Line } from "../components/panel.js";
import type { CatalogEntry } from "../drill-port.js";
import { clipMiddle } from "../format.js";
import { PICKER_KEYS } from "../keys.js";
import { windowAround } from "../layout.js";
import { type PickerColumn, pickerColumns } from "../picker-columns.js";
import {
  initialPickerUi,
  type PickerOutcome,
  type PickerUi,
  pickerKey,
  pickerRow,
  pickerSelection,
} from "../picker-state.js";
import { useTone } from "../theme.js";
import { useScreenKeys } from "../use-keys.js";

export interface PickerViewProps {
  entries: readonly CatalogEntry[] | null;
  ui: PickerUi;
  nowMs: number;
  cols: number;
  rows: number;
  error?: string | undefined;
}

/** The scenario table with a filter line; pure, sized to `cols` × `rows`. */
export function PickerView({ entries, ui, nowMs, cols, rows, error }: PickerViewProps) {
  const tone = useTone();
  const height = Math.max(8, rows) - 1;
  const footer = cols >= 100 ? 1 : 2;
  const listRows = height - 5 - footer;
  const { shown, cursor, current } = pickerSelection(entries ?? [], ui);
  const { start, end } = windowAround(shown.length, cursor, listRows);
  const rowsShown = shown.slice(start, end).map((entry) => pickerRow(entry, nowMs));
  const columns = pickerColumns(
    cols,
    (entries ?? []).map((entry) => pickerRow(entry, nowMs)),
  );
  // One column for the cursor mark, as every row has.
  const header = ` ${columns.map((c) => pad(c.title, c.width)).join(" ")}`;
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
            const row = rowsShown[i] ?? pickerRow(entry, nowMs);
            const here = start + i === cursor;
            const text = columns.map((c) => cell(row[c.key], c)).join(" ");
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
        {current ? detailLine(current, columns) : " "}
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

/** The chosen scenario's title, with the service and owner when their columns had no room. */
function detailLine(entry: CatalogEntry, columns: readonly PickerColumn[]): string {
  const shown = new Set(columns.map((c) => c.key));
  const names = [
    ...(shown.has("service") ? [] : [entry.service]),
    ...(shown.has("owner") ? [] : [entry.owner ?? "no owner"]),
  ];
  const tags = entry.tags.length ? `  [${entry.tags.join(", ")}]` : "";
  return `${entry.title}${names.map((n) => ` · ${n}`).join("")}${tags}`;
}

function cell(text: string, column: PickerColumn): string {
  return pad(column.middle ? clipMiddle(text, column.width) : text, column.width);
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
