import { describe, expect, it } from "vitest";
import type { DrillEvent, TimedEvent } from "../../src/drill/events.js";
import type { Outcome } from "../../src/drill/journal-format.js";
import { gradeFor, type ScoreInput, scoreDrill } from "../../src/drill/score.js";
import { computeTimings } from "../../src/drill/timings.js";

const P = "db-slow";
const steps = [
  { id: "look", kind: "check" },
  { id: "failover", kind: "action" },
  { id: "restart", kind: "action", optional: true },
  { id: "confirm", kind: "verify" },
  { id: "failback", kind: "rollback" },
];
const ladder = [
  { level: 1, who: "on-call", after: 0 },
  { level: 2, who: "lead", after: 300_000 },
];

const at = (t: number, event: DrillEvent): TimedEvent => ({ t, event });
const fault = at(10_000, { type: "fault.applied", fault: 0, label: "f" });
const ack = (t: number) => at(t, { type: "acknowledged", by: "ana" });
const done = (t: number, step: string) => at(t, { type: "step.completed", procedure: P, step });
const recovered = (t: number) => at(t, { type: "recovered", probe: "health" });

function input(outcome: Outcome, events: TimedEvent[], endT?: number): ScoreInput {
  return {
    events: [fault, ...events],
    outcome,
    targets: { ttr: 120_000, tta: 60_000 },
    expected: { procedure: P, steps },
    ladder,
    endT: endT ?? events.at(-1)?.t ?? 10_000,
  };
}

const textbook = [
  ack(20_000),
  done(30_000, "look"),
  done(40_000, "failover"),
  done(50_000, "confirm"),
];

describe("scoring", () => {
  it.each([
    [
      "textbook recovery within target",
      input("recovered", [...textbook, recovered(60_000)]),
      100,
      "A",
    ],
    [
      "recovered at 1.5× the target",
      input("recovered", [...textbook, recovered(10_000 + 180_000)]),
      // ttr 30 (50 - 0.5 × 40); escalation to level 2 was due at 5m: the incident did not last that long
      80,
      "B",
    ],
    [
      "recovered at 3× the target, no escalation to level 2",
      input("recovered", [...textbook, recovered(10_000 + 360_000)]),
      // ttr floor 10, ack 10, adherence 30; the level-2 rung (5m) was due and missed: escalation 5
      55,
      "F",
    ],
    [
      "acted before checking, out of order",
      input("recovered", [
        ack(20_000),
        done(30_000, "failover"),
        done(35_000, "look"),
        recovered(60_000),
      ]),
      // steps: look, failover done of the 2 due before the cutoff (20); order 5; checks first 0
      95,
      "A",
    ],
    [
      "two hints",
      input("recovered", [
        ...textbook,
        at(45_000, { type: "hint.taken", hint: 0, cost: 5, text: "a" }),
        at(46_000, { type: "hint.taken", hint: 1, cost: 15, text: "b" }),
        recovered(60_000),
      ]),
      80,
      "B",
    ],
    [
      "late acknowledgement",
      input("recovered", [
        ack(90_000),
        done(91_000, "look"),
        done(92_000, "failover"),
        recovered(100_000),
      ]),
      90,
      "A",
    ],
    [
      "aborted after a check",
      input("aborted", [
        ack(20_000),
        done(30_000, "look"),
        at(40_000, { type: "aborted", by: "ana", reason: "x" }),
      ]),
      // ttr 0, ack 10, adherence 1/3 required → 7 + order 0 + checks 0 (no action done → none due) 5 = 12,
      // escalation 10 (level 1 by ack; level 2 not due), abort -10
      22,
      "F",
    ],
    [
      "safety stop, nothing done",
      input("safety-stop", [at(40_000, { type: "safety.stopped", reason: "x" })]),
      // ttr 0, ack 0, adherence 0 + 0 + 5, escalation: level 1 due and missed 0, stop -20 → clamped
      0,
      "F",
    ],
  ] as [string, ScoreInput, number, string][])("%s", (_name, scored, score, grade) => {
    const result = scoreDrill(scored);
    expect(
      { score: result.score, grade: result.grade },
      JSON.stringify(result.breakdown, null, 1),
    ).toEqual({
      score,
      grade,
    });
  });

  it("explains every item of the breakdown", () => {
    const { breakdown } = scoreDrill(input("recovered", [...textbook, recovered(60_000)]));
    expect(breakdown.map((i) => i.key)).toEqual([
      "ttr",
      "acknowledge",
      "adherence",
      "escalation",
      "hints",
      "stop",
    ]);
    expect(breakdown.reduce((sum, i) => sum + i.max, 0)).toBe(100);
    expect(breakdown[0]?.detail).toBe("50s within the 2m target");
    expect(breakdown[2]?.detail).toBe(
      "db-slow: 3/3 required steps done, 1/1 actions in order, 1/1 checks before acting",
    );
  });

  it("an aborted drill with nothing done earns no escalation points, and no adherence for steps", () => {
    const escalation = (scored: ScoreInput) =>
      scoreDrill(scored).breakdown.find((i) => i.key === "escalation")!;
    const aborted = at(40_000, { type: "aborted", by: "ana", reason: "gave up" });
    // No rung due yet (the ladder starts at 5m): nothing was followed, nothing is earned.
    const lateLadder = { ...input("aborted", [aborted]), ladder: [ladder[1]!] };
    expect(escalation(lateLadder)).toMatchObject({ points: 0 });
    expect(escalation({ ...input("aborted", [aborted]), ladder: [] }).points).toBe(0);
    // Aborted before the fault landed.
    const early = { ...input("aborted", [aborted]), events: [at(3_000, aborted.event)] };
    expect(escalation(early).points).toBe(0);
    // A recovered drill that needed nobody still gets its 10.
    expect(
      escalation({ ...input("recovered", [...textbook, recovered(60_000)]), ladder: [ladder[1]!] })
        .points,
    ).toBe(10);
    const adherence = scoreDrill(input("aborted", [aborted])).breakdown.find(
      (i) => i.key === "adherence",
    )!;
    expect(adherence.detail).toContain(
      "0/3 required steps done (look missed, failover missed, confirm missed)",
    );
  });

  it("grades at the documented boundaries", () => {
    expect([90, 89, 80, 79, 70, 69, 60, 59, 0].map(gradeFor)).toEqual([
      "A",
      "B",
      "B",
      "C",
      "C",
      "D",
      "D",
      "F",
      "F",
    ]);
  });
});

describe("timings", () => {
  it("measures from the first fault; TTD is the first alert or failing probe", () => {
    const t = computeTimings([
      at(0, { type: "drill.started", mode: "gameday", responder: "a" }),
      at(1_000, {
        type: "probe.result",
        probe: "p",
        ok: false,
        latencyMs: 1,
        detail: "before the fault",
      }),
      at(1_500, { type: "acknowledged", by: "a" }),
      fault,
      at(12_000, { type: "signal.shown", signal: 0, kind: "log", text: "a log is not detection" }),
      at(14_000, { type: "probe.result", probe: "p", ok: false, latencyMs: 1, detail: "503" }),
      at(15_000, { type: "signal.shown", signal: 1, kind: "alert", text: "later alert" }),
      at(20_000, { type: "acknowledged", by: "a" }),
      at(30_000, { type: "mitigated", by: "a" }),
      at(45_000, { type: "recovered" }),
    ]);
    expect(t).toEqual({ ttd: 4_000, tta: 10_000, ttm: 20_000, ttr: 35_000 });
  });

  it("is all null without a fault", () => {
    expect(computeTimings([at(5, { type: "recovered" })])).toEqual({
      ttd: null,
      tta: null,
      ttm: null,
      ttr: null,
    });
  });
});
