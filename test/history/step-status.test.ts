import { describe, expect, it } from "vitest";
import type { DrillEvent } from "../../src/drill/events.js";
import type { JournalHeader, JournalSummary } from "../../src/drill/journal-format.js";
import { parseJournal } from "../../src/drill/journal-reader.js";
import type { DrillRecord } from "../../src/drill/journal-record.js";
import { drillRow, renderCsv, renderJunit } from "../../src/history/exports.js";
import { renderHtml } from "../../src/history/render-html.js";
import { renderMarkdown } from "../../src/history/render-md.js";
import { buildDrillReport } from "../../src/history/report-model.js";
import { expectedSteps } from "../../src/tui/debrief-view.js";
import { fail, ok, play, runbook, scenario } from "../drill/builders.js";

const P = "db-latency";
const steps = [
  { id: "check-status", kind: "check" as const, title: "Compare latency", run: "true" },
  { id: "failover", kind: "action" as const, title: "Fail over", run: "true" },
  { id: "verify-health", kind: "verify" as const, title: "Health is 200", run: "true" },
  { id: "failback", kind: "rollback" as const, title: "Fail back", run: "true" },
  { id: "escalate-dbre", kind: "escalate" as const, title: "Page DBRE", optional: true },
];

/**
 * The drill the issue describes: check done, `r` on failover (exit 0), the probe recovers before
 * the responder presses Space; verify, rollback and the optional escalation not done.
 */
function drill(): { record: DrillRecord; state: ReturnType<typeof play>["state"] } {
  const setup = {
    scenario: scenario({ procedure: P }),
    runbook: runbook({ procedures: [{ id: P, title: "DB latency", steps }] }),
    mode: "gameday" as const,
    responder: "ana",
  };
  const ranFailover: DrillEvent = {
    type: "command.ran",
    command: "true",
    exitCode: 0,
    durationMs: 20,
    offRunbook: false,
    procedure: P,
    step: "failover",
  };
  const { state } = play(setup, [
    [0, { type: "drill.started", mode: "gameday", responder: "ana" }],
    [10_000, { type: "fault.applied", fault: 0, label: "latency" }],
    fail(11_000),
    [12_000, { type: "acknowledged", by: "ana" }],
    [13_000, { type: "procedure.selected", procedure: P }],
    [14_000, { type: "step.completed", procedure: P, step: "check-status" }],
    [16_000, ranFailover],
    ok(17_000),
    ok(18_000),
    ok(19_000),
  ]);
  const header: JournalHeader = {
    type: "header",
    schema: 1,
    drillId: "d1",
    startedAt: "2026-04-01T10:00:00Z",
    firedrillVersion: "test",
    mode: "gameday",
    responder: "ana",
    scenario: { id: "checkout-db-latency", title: "DB", service: "checkout", procedure: P },
    targets: { ttr: 300_000 },
    expectedSteps: steps.map(({ id, kind, title, optional }) => ({
      id,
      kind,
      title,
      ...(optional ? { optional } : {}),
    })),
  };
  const result = state.result!;
  const summary: JournalSummary = {
    type: "summary",
    endedAt: "2026-04-01T10:00:19Z",
    outcome: result.outcome,
    timings: result.timings,
    withinTarget: result.withinTarget,
    score: result.score,
    grade: result.grade,
    breakdown: result.breakdown,
  };
  const lines = [
    header,
    ...state.events.map((e) => ({ type: "event", t: e.t, at: header.startedAt, event: e.event })),
    summary,
  ].map((l) => JSON.stringify(l));
  const sink = { problems: [], refused: [] };
  const record = parseJournal(`${lines.join("\n")}\n`, "d1.jsonl", sink, { keepEvents: true });
  return { record: record!, state };
}

describe("one answer per step, in every output", () => {
  const { record, state } = drill();

  it("the score: every required step that was due is done", () => {
    expect(state.result?.breakdown.find((i) => i.key === "adherence")?.points).toBe(30);
    expect(state.result?.score).toBe(100);
  });

  it("the debrief", () => {
    expect(expectedSteps(state).steps.map((s) => `${s.id}: ${s.status}`)).toEqual([
      "check-status: done",
      "failover: done",
      "verify-health: not-reached",
      "failback: not-reached",
      "escalate-dbre: not-needed",
    ]);
  });

  it("json, csv and junit list no missed or skipped step", () => {
    expect(drillRow(record)).toMatchObject({ missedSteps: [], skippedSteps: [] });
    const [head, row] = renderCsv([record]).trimEnd().split("\r\n");
    const columns = head!.split(",");
    const cells = row!.split(",");
    expect(cells[columns.indexOf("missedSteps")]).toBe("");
    expect(renderJunit([record])).not.toMatch(/missedSteps|skippedSteps/);
  });

  it("md and html say the same, and only a step that cost points is flagged", () => {
    const report = buildDrillReport(record, [record], null);
    expect(report.drift?.steps).toEqual([]);
    const md = renderMarkdown(report);
    expect(md).toMatch(/`failover` Fail over +\| action +\| done at/);
    expect(md).toMatch(/`verify-health` Health is 200 +\| verify +\| not reached/);
    expect(md).toMatch(/`failback` Fail back +\| rollback +\| not reached/);
    expect(md).toMatch(/`escalate-dbre` Page DBRE \(optional\) +\| escalate +\| not needed/);
    expect(md).not.toMatch(/\*\*(not done|missed|skipped)\*\*/);
    const html = renderHtml(report);
    expect(html).not.toContain('class="bad"');
    expect(html).toContain('<span class="muted">not needed</span>');
  });
});
