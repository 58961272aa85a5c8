import { Box, Text } from "ink";
import { useMemo, useState, useSyncExternalStore } from "react";
import { formatDuration } from "../../model/duration.js";
import { clip, pad } from "../../platform/text-table.js";
import { Footer } from "../components/footer.js";
import { Line, Panel } from "../components/panel.js";
import { cleanupNote, detectionRows, injectedLine } from "../debrief-summary.js";
import {
  alikePast,
  expectedSteps,
  pastLabel,
  timelineLines,
  timingRows,
  type Verdict,
} from "../debrief-view.js";
import type { DrillPort, DrillSnapshot, PastDrill } from "../drill-port.js";
import { DEBRIEF_KEYS, type DebriefAction, match } from "../keys.js";
import { BORDER, panelHeight } from "../layout.js";
import { type Tone, useTone } from "../theme.js";
import { useScreenKeys } from "../use-keys.js";

const VERDICT: Record<Verdict, { text: string; tone: Tone }> = {
  better: { text: "better ▲", tone: "good" },
  worse: { text: "worse ▼", tone: "bad" },
  same: { text: "same", tone: "muted" },
  first: { text: "first drill", tone: "muted" },
  none: { text: "", tone: "muted" },
};

const TIMING_LINES = 6;

const MARK = {
  done: "[x]",
  skipped: "[-]",
  missed: "[!]",
  "not-reached": "[ ]",
  "not-needed": "[ ]",
} as const;

export interface DebriefViewProps {
  snapshot: DrillSnapshot;
  previous: readonly PastDrill[] | null;
  scroll: number;
  cols: number;
  rows: number;
}

export function DebriefView({ snapshot, previous, scroll, cols, rows }: DebriefViewProps) {
  const tone = useTone();
  const { state } = snapshot;
  const result = state.result;
  const height = Math.max(16, rows) - 1;
  const timings = result?.timings ?? state.timings;
  const alike = useMemo(
    () => (previous === null ? null : alikePast(previous, state.setup.mode)),
    [previous, state.setup.mode],
  );
  const table = timingRows(state, timings, alike ?? []);
  const expected = expectedSteps(state);
  const timeline = useMemo(() => timelineLines(state.events), [state.events]);
  // The timings panel needs its title, a header, four timings and the note on earlier drills.
  const top = Math.max(panelHeight(TIMING_LINES), Math.min(panelHeight(expected.steps.length), 12));
  const leftWidth = Math.floor(cols * 0.5);
  const rightWidth = cols - leftWidth;
  const injected = injectedLine(state);
  const detection = detectionRows(state);
  const bottom = height - 3 - top - 2 - detection.length;
  const timelineRows = Math.max(0, bottom - BORDER - 1);
  const start = Math.max(0, Math.min(scroll, timeline.length - timelineRows));
  const outcome = result?.outcome ?? "ended";
  const headline = `${outcome.toUpperCase()} · ${state.setup.scenario.title}`;
  const scoreLine = result
    ? `score ${result.score}/100 · grade ${result.grade} · ${result.withinTarget ? "within" : "not within"} the TTR target of ${formatDuration(state.setup.scenario.targets.ttr)}${cleanupNote(snapshot)}`
    : "no score";
  const inner = leftWidth - BORDER;
  const labelWidth = inner >= 44 ? 18 : 12;
  return (
    <Box flexDirection="column" width={cols} height={height}>
      <Text bold inverse color={tone(outcome === "recovered" ? "good" : "bad")}>
        {pad(` Debrief · ${headline}`, cols)}
      </Text>
      <Line width={cols} bold>
        {scoreLine}
      </Line>
      <Line width={cols} color={tone("warn")}>
        {injected}
      </Line>
      {detection.map((row) => (
        <Line key={row} width={cols} color={tone(row.startsWith("DETECTION GAP") ? "bad" : "good")}>
          {row}
        </Line>
      ))}
      <Box height={top}>
        <Panel title="Timings" width={leftWidth} height={top}>
          <Line width={inner} dim>
            {`${pad("", 4)}${pad("this", 7)}${pad("target", 7)}${pad("before", 7)}vs before`}
          </Line>
          {table.map((row) => (
            <Text key={row.name} wrap="truncate-end">
              <Text bold>{pad(row.name, 4)}</Text>
              <Text
                color={
                  row.withinTarget === null ? undefined : tone(row.withinTarget ? "good" : "bad")
                }
              >
                {pad(row.value, 7)}
              </Text>
              <Text>{pad(row.target, 7)}</Text>
              <Text dimColor>{pad(row.previous, 7)}</Text>
              <Text color={tone(VERDICT[row.verdict].tone)}>{VERDICT[row.verdict].text}</Text>
            </Text>
          ))}
          <Line width={inner} dim>
            {alike === null
              ? "reading earlier drills…"
              : pastLabel(alike.length, state.setup.mode, inner)}
          </Line>
        </Panel>
        <Panel
          title={`Procedure · ${expected.procedure ?? "none expected"}`}
          width={rightWidth}
          height={top}
        >
          {expected.steps.slice(0, top - BORDER - 1).map((s) => (
            <Text
              key={s.id}
              wrap="truncate-end"
              color={tone(s.status === "done" ? "good" : s.cost ? "bad" : "muted")}
            >
              {clip(
                `${MARK[s.status]} ${pad(s.kind, 8)} ${s.title}${s.optional ? " (optional)" : ""}`,
                rightWidth - BORDER,
              )}
            </Text>
          ))}
        </Panel>
      </Box>
      <Box height={bottom}>
        <Panel
          title={`Score ${result ? `${result.score} (${result.grade})` : ""}`}
          width={leftWidth}
          height={bottom}
        >
          {(result?.breakdown ?? []).slice(0, bottom - BORDER - 1).map((item) => (
            <Line key={item.key} width={inner}>
              {`${pad(item.label, labelWidth)} ${pad(`${item.points}/${item.max}`, 6)}${item.detail}`}
            </Line>
          ))}
        </Panel>
        <Panel title={`Timeline (${timeline.length}) ↑↓`} width={rightWidth} height={bottom}>
          {timeline.slice(start, start + timelineRows).map((line, i) => (
            <Line
              // biome-ignore lint/suspicious/noArrayIndexKey: timeline rows are positional
              key={i}
              width={rightWidth - BORDER}
            >
              {line}
            </Line>
          ))}
        </Panel>
      </Box>
      <Line width={cols} dim>
        {`journal: ${snapshot.journalPath ?? "(not written)"}`}
      </Line>
      <Footer bindings={DEBRIEF_KEYS} width={cols} rows={1} />
    </Box>
  );
}

export interface DebriefScreenProps {
  port: DrillPort;
  previous: readonly PastDrill[] | null;
  cols: number;
  rows: number;
  keysActive: boolean;
  onAction: (action: "quit" | "picker" | "history") => void;
}

export function DebriefScreen({
  port,
  previous,
  cols,
  rows,
  keysActive,
  onAction,
}: DebriefScreenProps) {
  const snapshot = useSyncExternalStore(port.subscribe, port.snapshot);
  const [scroll, setScroll] = useState(0);
  useScreenKeys((input, key) => {
    const action: DebriefAction | undefined = match(DEBRIEF_KEYS, input, key);
    if (action === "up") setScroll((s) => Math.max(0, s - 1));
    else if (action === "down") setScroll((s) => s + 1);
    else if (action) onAction(action);
  }, keysActive);
  return (
    <DebriefView snapshot={snapshot} previous={previous} scroll={scroll} cols={cols} rows={rows} />
  );
}
