import { describe, expect, it } from "vitest";
import type { DrillEvent, TimedEvent } from "../../src/drill/events.js";
import type { PathStep } from "../../src/drill/journal-record.js";
import { scoreDrill } from "../../src/drill/score.js";
import { compareToExpected } from "../../src/history/adherence.js";

const P = "db-slow";
const steps = [
  { id: "look", kind: "check", title: "Look at the dashboard" },
  { id: "drain", kind: "action", title: "Drain the pool" },
  { id: "failover", kind: "action", title: "Fail over" },
  { id: "check-db", kind: "check", title: "Check the replica" },
  { id: "restart", kind: "action", title: "Restart checkout" },
];

/** The score's adherence line and the report's out-of-order steps, for steps done at these times. */
function judge(done: [string, number][]) {
  const at = (t: number, event: DrillEvent): TimedEvent => ({ t, event });
  const events = [
    at(1000, { type: "fault.applied", fault: 0, label: "f" }),
    ...done.map(([step, t]) => at(t, { type: "step.completed", procedure: P, step })),
    at(100_000, { type: "recovered" }),
  ];
  const score = scoreDrill({
    events,
    outcome: "recovered",
    targets: { ttr: 600_000 },
    expected: { procedure: P, steps },
    endT: 100_000,
  });
  const path: PathStep[] = done.map(([step, t]) => ({
    procedure: P,
    step,
    status: "completed",
    t,
  }));
  const report = compareToExpected(steps, path, P, true);
  return {
    adherence: score.breakdown.find((item) => item.key === "adherence")!,
    flagged: report.outOfOrder.map((s) => `${s.id}: ${s.outOfOrder}`),
  };
}

describe("runbook order, as scored and as reported", () => {
  it("flags only the one action done late, not the actions done in order before it", () => {
    // The score used to take points for failover and restart (drain, listed before them, was done
    // after them); the report flagged failover and drain.
    const { adherence, flagged } = judge([
      ["look", 2000],
      ["check-db", 3000],
      ["failover", 4000],
      ["restart", 5000],
      ["drain", 6000],
    ]);
    expect(adherence.detail).toContain("2/3 actions in order");
    expect(adherence.points).toBe(28);
    expect(flagged).toEqual(["drain: done after failover, which the runbook puts later"]);
  });

  it("flags a check done after the action it was due before, which is what costs the points", () => {
    // The report used to flag restart ("done before check-db") while the score counted restart in
    // order and took the points for check-db.
    const { adherence, flagged } = judge([
      ["look", 2000],
      ["drain", 3000],
      ["failover", 4000],
      ["restart", 5000],
      ["check-db", 6000],
    ]);
    expect(adherence.detail).toContain("3/3 actions in order, 1/2 checks before acting");
    expect(flagged).toEqual(["check-db: done after restart, which the runbook puts later"]);
  });
});
