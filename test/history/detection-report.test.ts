import { describe, expect, it } from "vitest";
import type { DrillEvent } from "../../src/drill/events.js";
import { parseJournal } from "../../src/drill/journal-reader.js";
import type { DrillRecord } from "../../src/drill/journal-record.js";
import { renderCsv, renderJson, renderJunit } from "../../src/history/exports.js";
import { renderHtml } from "../../src/history/render-html.js";
import { renderMarkdown } from "../../src/history/render-md.js";
import { buildDrillReport } from "../../src/history/report-model.js";
import { journalLines } from "./journals.js";
import { checkXml } from "./xml.js";

const STARTED = "2026-11-20T10:00:00.000Z";
const FAULT_T = 2000;

/** A recovered, within-target drill whose real alert fired once and whose other alert never did. */
function drillWithDetection(): DrillRecord {
  const lines = journalLines({ drillId: "d-mon", startedAt: STARTED, ttd: null });
  const extra: { t: number; event: DrillEvent }[] = [
    {
      t: FAULT_T + 4100,
      event: {
        type: "signal.shown",
        signal: 0,
        kind: "alert",
        text: "CheckoutLatencyHigh",
        source: "alertmanager",
        activeAt: new Date(Date.parse(STARTED) + FAULT_T + 3800).toISOString(),
        activeT: FAULT_T + 3800,
      },
    },
    {
      t: FAULT_T + 120_000,
      event: { type: "detection.gap", signal: 1, name: "CheckoutErrorsHigh", withinMs: 120_000 },
    },
  ];
  const header = lines.slice(0, 1);
  const rest = lines.slice(1);
  const summary = rest.pop() ?? "";
  const events = [
    ...rest.map((l) => JSON.parse(l) as { t: number }),
    ...extra.map((e) => ({
      type: "event",
      ...e,
      at: new Date(Date.parse(STARTED) + e.t).toISOString(),
    })),
  ].sort((a, b) => a.t - b.t);
  const text = [...header, ...events.map((e) => JSON.stringify(e)), summary].join("\n");
  const sink = { problems: [], refused: [] };
  const drill = parseJournal(text, "d-mon.jsonl", sink, { keepEvents: true });
  expect(sink.problems).toEqual([]);
  if (!drill) throw new Error("journal not read");
  return drill;
}

const GAP = "CheckoutErrorsHigh did not fire within 2m of the fault";

describe("reports show detection latency per alert and detection gaps as findings", () => {
  const drill = drillWithDetection();

  it("markdown and html: fault → active → seen, and the gap, with an action item", () => {
    const report = buildDrillReport(drill, [drill], null);
    const md = renderMarkdown(report);
    expect(md).toContain("## Detection");
    expect(md).toMatch(/\| CheckoutLatencyHigh \(alertmanager\) *\| 3.8s *\| 300ms *\| 4.1s *\|/);
    expect(md).toContain(`- **Detection gap:** ${GAP}`);
    expect(md).toContain(`${GAP}: fix the alert rule`);
    const html = renderHtml(report);
    expect(html).toContain("<h2>Detection</h2>");
    expect(html).toContain(`<strong>Detection gap:</strong> ${GAP}`);
  });

  it("csv and json: the alert's timings and the gap in the drill's row", () => {
    const json = JSON.parse(renderJson([drill], [], [])) as { drills: Record<string, unknown>[] };
    expect(json.drills[0]).toMatchObject({
      withinTarget: true,
      alertActiveMs: 3800,
      alertSeenMs: 4100,
      detectionGaps: [GAP],
    });
    const [head, row] = renderCsv([drill]).split("\r\n");
    const columns = head?.split(",") ?? [];
    const cells = row?.split(",") ?? [];
    expect(cells[columns.indexOf("detectionGaps")]).toBe(GAP);
    expect(cells[columns.indexOf("alertSeenMs")]).toBe("4100");
  });

  it("junit: a recovered drill with a detection gap is a failed testcase", () => {
    const xml = renderJunit([drill]);
    checkXml(xml);
    expect(xml).toContain(`<failure type="detection-gap" message="detection gap: ${GAP}">`);
    expect(xml).toMatch(/<testsuites name="firedrill" tests="1" failures="1"/);
  });
});
