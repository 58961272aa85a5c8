import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { DrillEvent } from "../../src/drill/events.js";
import { judgeSteps, STEP_STATUS_TEXT, stepMarks } from "../../src/drill/step-verdict.js";
import { expectedSteps } from "../../src/tui/debrief-view.js";
import { fail, ok, play, runbook, scenario } from "./builders.js";

const P = "p";
const started: DrillEvent = { type: "drill.started", mode: "gameday", responder: "ana" };
const applied: DrillEvent = { type: "fault.applied", fault: 0, label: "latency" };
const ran = (step: string, exitCode: number): DrillEvent => ({
  type: "command.ran",
  command: ["true"],
  exitCode,
  durationMs: 5,
  offRunbook: false,
  procedure: P,
  step,
});

/** The example table of docs/scoring.md's "What became of each step", row by row. */
function specRows(): string[][] {
  const doc = readFileSync(new URL("../../docs/scoring.md", import.meta.url), "utf8");
  const section = doc.slice(doc.indexOf("### What became of each step"));
  const lines = section.split("\n").filter((l) => l.startsWith("| "));
  const rows = lines.slice(2).map((l) =>
    l
      .slice(2, -2)
      .split(" | ")
      .map((c) => c.trim()),
  );
  return rows.filter((r) => r.length === 7);
}

describe("what became of each step (docs/scoring.md is the specification)", () => {
  const rows = specRows();
  it("the documented table has its examples", () => {
    expect(rows.length).toBeGreaterThanOrEqual(12);
  });

  it.each(rows)(
    "%s, optional %s, listed %s, %s, %s → %s (counted %s)",
    (kind, optional, listed, did, drill, status, counted) => {
      const x = {
        id: "x",
        kind: kind as "check",
        title: "X",
        ...(optional === "yes" ? { optional: true } : {}),
      };
      const anchor = { id: "anchor", kind: "action" as const, title: "Anchor" };
      const steps = listed === "before" ? [x, anchor] : [anchor, x];
      const rb = runbook({ procedures: [{ id: P, title: "P", steps }] });
      const setup = {
        scenario: scenario({ procedure: P }),
        runbook: rb,
        mode: "gameday" as const,
        responder: "ana",
      };
      const marks: [number, DrillEvent][] = [];
      const t = listed === "before" ? 12_000 : 14_000;
      for (const part of did.split(", then ")) {
        if (part === "completed")
          marks.push([t, { type: "step.completed", procedure: P, step: "x" }]);
        if (part === "skipped")
          marks.push([t + 500, { type: "step.skipped", procedure: P, step: "x" }]);
        if (part.startsWith("command exit ")) marks.push([t, ran("x", Number(part.slice(13)))]);
      }
      const { state } = play(
        setup,
        [
          [0, started],
          [10_000, applied],
          [11_000, { type: "procedure.selected", procedure: P }],
          ...marks,
          [13_000, { type: "step.completed", procedure: P, step: "anchor" }],
          [
            20_000,
            drill === "recovered"
              ? { type: "recovered" }
              : { type: "aborted", by: "ana", reason: "x" },
          ],
        ].sort((a, b) => (a[0] as number) - (b[0] as number)) as [number, DrillEvent][],
      );
      const judged = judgeSteps(
        steps,
        stepMarks(state.events, P),
        state.result?.outcome === "recovered",
      );
      const verdict = judged.steps.find((s) => s.id === "x")!;
      expect({
        status: STEP_STATUS_TEXT[verdict.status],
        counted: verdict.counted ? "yes" : "no",
      }).toEqual({
        status,
        counted,
      });
      // The debrief shows the same answer.
      expect(expectedSteps(state).steps.find((s) => s.id === "x")?.status).toBe(verdict.status);
    },
  );
});

describe("a step whose command succeeded", () => {
  it("counts as done when the probe recovers before the responder marks it: adherence 30/30", () => {
    // The drill: `r` on failover (exit 0), health recovers before Space is pressed.
    const { state } = play(
      { scenario: scenario(), runbook: runbook(), mode: "gameday", responder: "ana" },
      [
        [0, started],
        [10_000, applied],
        fail(11_000),
        [12_000, { type: "acknowledged", by: "ana" }],
        [13_000, { type: "procedure.selected", procedure: "db-slow" }],
        [14_000, { type: "step.completed", procedure: "db-slow", step: "look" }],
        [15_000, { type: "step.started", procedure: "db-slow", step: "failover" }],
        [16_000, { ...(ran("failover", 0) as object), procedure: "db-slow" } as DrillEvent],
        ok(17_000),
        ok(18_000),
        ok(19_000),
      ],
    );
    expect(state.result?.outcome).toBe("recovered");
    const adherence = state.result?.breakdown.find((i) => i.key === "adherence");
    expect(adherence?.points).toBe(30);
    expect(state.result?.score).toBe(100);
    expect(expectedSteps(state).steps.map((s) => `${s.id} ${s.status}`)).toEqual([
      "look done",
      "failover done",
      "restart not-needed",
      "confirm not-reached",
    ]);
  });

  it("a command that failed does not complete the step", () => {
    const { state } = play(
      { scenario: scenario(), runbook: runbook(), mode: "gameday", responder: "ana" },
      [
        [0, started],
        [10_000, applied],
        [13_000, { type: "procedure.selected", procedure: "db-slow" }],
        [16_000, { ...(ran("failover", 1) as object), procedure: "db-slow" } as DrillEvent],
      ],
    );
    expect(state.procedures[0]?.steps[1]?.status).toBe("pending");
  });
});

describe("gameday drills that show what really happens", () => {
  const tied = scenario({
    signals: [
      { at: "20s", kind: "alert", text: "HealthFailing", when: { probe: "health", failing: true } },
      { at: "30s", kind: "log", text: "pool exhausted" },
    ],
  });
  const gameday = {
    scenario: tied,
    runbook: runbook(),
    mode: "gameday" as const,
    responder: "ana",
  };

  it("a signal tied to a probe shows when the probe fails, never for a fault with no effect", () => {
    // The probe never fails: the timed point passes and the alert is not shown.
    const quiet = play(gameday, [[0, started], [10_000, applied], ok(20_000), ok(21_000)]);
    expect(quiet.state.signals).toEqual([]);
    // It fails after `at`: the alert shows with that probe result.
    const loud = play(gameday, [[0, started], [10_000, applied], ok(20_000), fail(23_000)]);
    expect(loud.state.signals.map((s) => [s.text, s.t])).toEqual([["HealthFailing", 23_000]]);
    // Tabletop has no probes: `at` alone decides (the session's timer shows it).
  });

  it("ends as 'fault had no visible effect' when no probe fails within the window", () => {
    const timeline: [number, DrillEvent][] = [
      [0, started],
      [10_000, applied],
    ];
    for (let t = 11_000; t <= 71_000; t += 1000) timeline.push(ok(t));
    const { state } = play(gameday, timeline);
    expect(state.result?.outcome).toBe("aborted");
    expect(state.result?.endT).toBe(70_000);
    expect(state.result?.withinTarget).toBe(false);
    const aborted = state.events.find((e) => e.event.type === "aborted")?.event;
    expect(aborted).toMatchObject({ by: "firedrill" });
    expect(JSON.stringify(aborted)).toContain("fault had no visible effect");
  });
});
