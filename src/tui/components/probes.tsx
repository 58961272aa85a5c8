import { Text } from "ink";
import { clip, pad } from "../../platform/text-table.js";
import type { ProbeRow } from "../cockpit-view.js";
import { BORDER } from "../layout.js";
import { useTone } from "../theme.js";
import { Panel } from "./panel.js";

export function ProbesPanel({
  rows,
  width,
  height,
}: {
  rows: readonly ProbeRow[];
  width: number;
  height: number;
}) {
  const tone = useTone();
  if (height < 3) return null;
  const inner = width - BORDER;
  const shown = rows.slice(0, Math.max(0, height - BORDER - 1));
  const nameWidth = Math.min(16, Math.max(...shown.map((r) => r.name.length), 4));
  return (
    <Panel title="Probes" width={width} height={height}>
      {shown.map((row) => {
        const mark = row.status === "ok" ? "●" : row.status === "failing" ? "✕" : "○";
        const color =
          row.status === "ok"
            ? tone("good")
            : row.status === "failing"
              ? tone("bad")
              : tone("muted");
        const rest = `${pad(row.latency, 7)} ${row.spark} ${row.status === "failing" ? row.detail : ""}`;
        return (
          <Text key={row.name} wrap="truncate-end">
            <Text color={color}>{mark} </Text>
            <Text>{pad(row.name, nameWidth)} </Text>
            <Text dimColor={row.status === "waiting"}>
              {clip(rest, Math.max(1, inner - nameWidth - 3))}
            </Text>
          </Text>
        );
      })}
    </Panel>
  );
}
