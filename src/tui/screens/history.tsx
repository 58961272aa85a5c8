import { Box, Text } from "ink";
import { useEffect, useState } from "react";
import { formatDuration } from "../../model/duration.js";
import { clip, pad } from "../../platform/text-table.js";
import { Footer } from "../components/footer.js";
import { Line } from "../components/panel.js";
import type { CatalogEntry, PastDrill } from "../drill-port.js";
import { HISTORY_KEYS, match } from "../keys.js";
import { windowAround } from "../layout.js";
import { useTone } from "../theme.js";
import { ttrChart, ttrSpark } from "../ttr-chart.js";
import { useScreenKeys } from "../use-keys.js";

export interface HistoryViewProps {
  entries: readonly CatalogEntry[];
  cursor: number;
  drills: ReadonlyMap<string, readonly PastDrill[]>;
  cols: number;
  rows: number;
}

/** TTR per drill of the chosen scenario as a line chart with its target, then every scenario with a sparkline. */
export function HistoryView({ entries, cursor, drills, cols, rows }: HistoryViewProps) {
  const tone = useTone();
  const height = Math.max(16, rows) - 1;
  const entry = entries[cursor];
  const chosen = entry ? drills.get(entry.id) : undefined;
  const listRows = Math.max(3, Math.min(entries.length, Math.floor((height - 4) / 3)));
  const chartRows = height - 3 - listRows - 2;
  const chart =
    entry && chosen
      ? ttrChart(chosen, entry.targetTtr, chartRows - 2, Math.floor((cols - 14) / 2))
      : [];
  const { start, end } = windowAround(entries.length, cursor, listRows);
  const sparkWidth = Math.max(8, Math.min(30, cols - 70));
  return (
    <Box flexDirection="column" width={cols} height={height}>
      <Text bold color={tone("title")}>
        {clip(`History · ${entry ? `${entry.title} (${entry.id})` : "no scenarios"}`, cols)}
      </Text>
      <Line width={cols} dim>
        {entry && chosen
          ? `${chosen.length} drill${chosen.length === 1 ? "" : "s"} · TTR per drill, oldest left · ┄ target ${formatDuration(entry.targetTtr)} · ✕ not recovered`
          : "loading…"}
      </Line>
      <Box flexDirection="column" height={chartRows}>
        {chart.map((line, i) => (
          <Text
            // biome-ignore lint/suspicious/noArrayIndexKey: chart rows are positional
            key={i}
            wrap="truncate-end"
            color={tone("accent")}
          >
            {clip(line, cols)}
          </Text>
        ))}
      </Box>
      <Line width={cols} dim>
        {`  ${pad("SCENARIO", 28)} ${pad("DRILLS", 7)}${pad("LAST TTR", 10)}${pad("TARGET", 8)}TTR TREND`}
      </Line>
      <Box flexDirection="column" height={listRows}>
        {entries.slice(start, end).map((e, i) => {
          const here = start + i === cursor;
          const list = drills.get(e.id);
          const last = list?.at(-1);
          const text = `${here ? "›" : " "} ${pad(e.id, 28)} ${pad(list ? String(list.length) : "…", 7)}${pad(last ? formatDuration(last.ttr) : "", 10)}${pad(formatDuration(e.targetTtr), 8)}${list ? ttrSpark(list, sparkWidth) : ""}`;
          return (
            <Text key={e.id} inverse={here} wrap="truncate-end">
              {here ? pad(text, cols) : clip(text, cols)}
            </Text>
          );
        })}
      </Box>
      <Text> </Text>
      <Footer bindings={HISTORY_KEYS} width={cols} rows={1} />
    </Box>
  );
}

export interface HistoryScreenProps {
  entries: readonly CatalogEntry[];
  initial: string;
  load: (scenarios: readonly string[]) => Promise<ReadonlyMap<string, readonly PastDrill[]>>;
  cols: number;
  rows: number;
  keysActive: boolean;
  onBack: () => void;
}

export function HistoryScreen({
  entries,
  initial,
  load,
  cols,
  rows,
  keysActive,
  onBack,
}: HistoryScreenProps) {
  const [cursor, setCursor] = useState(() =>
    Math.max(
      0,
      entries.findIndex((e) => e.id === initial),
    ),
  );
  const [drills, setDrills] = useState<ReadonlyMap<string, readonly PastDrill[]>>(new Map());
  useEffect(() => {
    let live = true;
    load(entries.map((e) => e.id)).then(
      // a scenario without journals has no drills, not drills still loading
      (all) => live && setDrills(new Map(entries.map((e) => [e.id, all.get(e.id) ?? []]))),
      () => live && setDrills(new Map(entries.map((e) => [e.id, []]))),
    );
    return () => {
      live = false;
    };
  }, [entries, load]);
  useScreenKeys((input, key) => {
    const action = match(HISTORY_KEYS, input, key);
    if (action === "up") setCursor((c) => Math.max(0, c - 1));
    if (action === "down") setCursor((c) => Math.min(entries.length - 1, c + 1));
    if (action === "back") onBack();
  }, keysActive);
  return <HistoryView entries={entries} cursor={cursor} drills={drills} cols={cols} rows={rows} />;
}
