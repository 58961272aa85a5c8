import { describe, expect, it } from "vitest";
import type { DrillEvent } from "../../src/drill/events.js";
import { replay, tick } from "../../src/drill/reducer.js";
import { initialState, PROBE_HISTORY } from "../../src/drill/state.js";
import { fail, ok, play, scenario, setup } from "./builders.js";

const started: DrillEvent = { type: "drill.started", mode: "gameday", responder: "ana" };
const applied: DrillEvent = { type: "fault.applied", fault: 0, label: "latency" };

describe("drill reducer", () => {
  it("starts in briefing and runs once the drill starts", () => {
    expect(initialState(setup()).phase).toBe("briefing");
    const { state } = play(setup(), [[0, started]]);
    expect(state.phase).toBe("running");
    expect(state.faults[0]?.status).toBe("pending");
  });

  it("walks a gameday drill to recovery once the recovery probe passes 3 times after failing", () => {
    const { state, emitted } = play(setup(), [
      [0, started],
      ok(1000),
      ok(2000),
      ok(3000), // healthy before the fault: no recovery
      [10_000, applied],
      fail(11_000),
      [15_000, { type: "acknowledged", by: "ana" }],
      [16_000, { type: "procedure.selected", procedure: "db-slow" }],
      [17_000, { type: "step.completed", procedure: "db-slow", step: "look" }],
      [40_000, { type: "step.completed", procedure: "db-slow", step: "failover" }],
      [41_000, { type: "mitigated", by: "ana" }],
      ok(42_000),
      ok(43_000),
    ]);
    expect(state.phase).toBe("mitigated");
    expect(state.ended).toBe(false);
    const after = play(state, [ok(44_000)]);
    expect(after.emitted.map((e) => e.event.type)).toEqual(["probe.result", "recovered"]);
    expect(after.state.phase).toBe("recovered");
    expect(after.state.timings).toEqual({ ttd: 1000, tta: 5000, ttm: 31_000, ttr: 34_000 });
    expect(after.state.result?.outcome).toBe("recovered");
    expect(after.state.result?.withinTarget).toBe(true);
    expect(emitted.some((e) => e.event.type === "recovered")).toBe(false);
  });

  it("does not confirm recovery from passes that never saw the incident", () => {
    const { state } = play(setup(), [
      [0, started],
      [10_000, applied],
      ok(11_000),
      ok(12_000),
      ok(13_000),
      ok(14_000),
    ]);
    expect(state.ended).toBe(false);
  });

  it.each([
    ["briefing", []],
    ["running", [[0, started]]],
    [
      "running with a fault",
      [
        [0, started],
        [10_000, applied],
      ],
    ],
    [
      "acknowledged",
      [
        [0, started],
        [10_000, applied],
        [12_000, { type: "acknowledged", by: "ana" }],
      ],
    ],
    [
      "mitigated",
      [
        [0, started],
        [10_000, applied],
        [12_000, { type: "acknowledged", by: "ana" }],
        [13_000, { type: "mitigated", by: "ana" }],
      ],
    ],
  ] as [string, [number, DrillEvent][]][])("aborts from %s", (_name, before) => {
    const { state } = play(setup(), [
      ...before,
      [20_000, { type: "aborted", by: "ana", reason: "pager" }],
    ]);
    expect(state.phase).toBe("aborted");
    expect(state.ended).toBe(true);
    expect(state.result?.outcome).toBe("aborted");
    expect(state.result?.withinTarget).toBe(false);
    expect(state.result?.breakdown.find((i) => i.key === "stop")?.points).toBe(-10);
  });

  it("keeps the first ending: an abort after recovery changes nothing", () => {
    const recovered = play(setup(), [
      [0, started],
      [10_000, applied],
      fail(11_000),
      ok(12_000),
      ok(13_000),
      ok(14_000),
    ]);
    expect(recovered.state.phase).toBe("recovered");
    const { state } = play(recovered.state, [
      [15_000, { type: "aborted", by: "ana", reason: "late" }],
    ]);
    expect(state.phase).toBe("recovered");
    expect(state.result).toBe(recovered.state.result);
  });

  it("times out", () => {
    const { state } = play(setup(), [
      [0, started],
      [10_000, applied],
      [600_000, { type: "timed.out", limitMs: 600_000 }],
    ]);
    expect(state.phase).toBe("timed-out");
    expect(state.result?.outcome).toBe("timed-out");
    expect(state.result?.breakdown.find((i) => i.key === "ttr")?.points).toBe(0);
  });

  it("stops for safety when a probe fails N times in a row", () => {
    const s = scenario({
      safety: { maxDuration: "10m", stopWhen: [{ probe: "health", failures: 3 }] },
    });
    const { state, emitted } = play(setup("gameday", s), [
      [0, started],
      [10_000, applied],
      fail(11_000),
      fail(12_000),
      ok(13_000),
      fail(14_000),
      fail(15_000),
      fail(16_000),
    ]);
    expect(state.phase).toBe("safety-stop");
    const stop = emitted.find((e) => e.event.type === "safety.stopped");
    expect(stop?.t).toBe(16_000);
    expect(stop?.event).toMatchObject({ probe: "health" });
    expect(state.result?.breakdown.find((i) => i.key === "stop")?.points).toBe(-20);
  });

  it("recovers a tabletop drill when every resolving step is done, revealing outcomes", () => {
    const { state } = play(setup("tabletop"), [
      [0, { type: "drill.started", mode: "tabletop", responder: "ana" }],
      [10_000, applied],
      [20_000, { type: "signal.shown", signal: 0, kind: "alert", text: "p99" }],
      [25_000, { type: "acknowledged", by: "ana" }],
      [26_000, { type: "procedure.selected", procedure: "db-slow" }],
      [27_000, { type: "step.completed", procedure: "db-slow", step: "look", note: "red" }],
      [
        60_000,
        {
          type: "step.completed",
          procedure: "db-slow",
          step: "failover",
          outcome: "Replica promoted.",
        },
      ],
    ]);
    expect(state.phase).toBe("recovered");
    expect(state.timings).toEqual({ ttd: 10_000, tta: 15_000, ttm: null, ttr: 50_000 });
    const steps = state.procedures[0]?.steps;
    expect(steps?.[0]).toMatchObject({ status: "done", note: "red" });
    expect(steps?.[1]).toMatchObject({ status: "done", outcome: "Replica promoted." });
  });

  it("takes the responder's word when nothing can confirm recovery", () => {
    const s = scenario({ recovery: undefined });
    const { state } = play(setup("gameday", s), [
      [0, started],
      [10_000, applied],
      [30_000, { type: "mitigated", by: "ana" }],
    ]);
    expect(state.phase).toBe("recovered");
    expect(state.timings.ttr).toBe(20_000);
  });

  it("keeps signals newest first and a bounded probe history for sparklines", () => {
    const timeline: [number, DrillEvent][] = [
      [0, started],
      [1, applied],
    ];
    for (let i = 0; i < PROBE_HISTORY + 10; i++) timeline.push(fail(100 + i));
    timeline.push([500, { type: "signal.shown", signal: 0, kind: "alert", text: "a" }]);
    timeline.push([600, { type: "signal.shown", signal: 1, kind: "log", text: "b" }]);
    const { state } = play(setup(), timeline);
    expect(state.signals.map((s) => s.text)).toEqual(["b", "a"]);
    const health = state.probes[0];
    expect(health?.recent).toHaveLength(PROBE_HISTORY);
    expect(health?.recent.at(-1)?.t).toBe(100 + PROBE_HISTORY + 9);
    expect(health?.checks).toBe(PROBE_HISTORY + 10);
  });

  it("tracks steps, commands, hints and escalations", () => {
    const { state } = play(setup(), [
      [0, started],
      [10_000, applied],
      [11_000, { type: "procedure.selected", procedure: "db-slow" }],
      [12_000, { type: "step.skipped", procedure: "db-slow", step: "look", reason: "known" }],
      [13_000, { type: "step.started", procedure: "db-slow", step: "failover" }],
    ]);
    expect(state.procedures[0]?.steps[1]?.status).toBe("running");
    const later = play(state, [
      [
        14_000,
        {
          type: "command.ran",
          command: ["true"],
          exitCode: 0,
          durationMs: 3,
          offRunbook: false,
          procedure: "db-slow",
          step: "failover",
        },
      ],
      [15_000, { type: "escalated", level: 2, who: "payments lead" }],
      [70_000, { type: "hint.taken", hint: 0, cost: 10, text: "Look at the pool" }],
    ]).state;
    expect(later.procedures[0]?.steps[0]).toMatchObject({ status: "skipped", note: "known" });
    // Its command exited 0: the step is done, and the responder can still mark it skipped.
    expect(later.procedures[0]?.steps[1]).toMatchObject({
      status: "done",
      doneByCommand: true,
      lastExitCode: 0,
      t: 14_000,
    });
    expect(later.commands[0]).toMatchObject({ exitCode: 0, offRunbook: false, t: 14_000 });
    expect(later.escalations.map((e) => e.escalatedT)).toEqual([15_000, 15_000]);
    expect(later.hints[0]).toMatchObject({ taken: true, takenT: 70_000 });
  });

  it("a tabletop command that was not run leaves its step pending, with no exit code to show", () => {
    const { state } = play(setup("tabletop"), [
      [0, { type: "drill.started", mode: "tabletop", responder: "ana" }],
      [1_000, { type: "procedure.selected", procedure: "db-slow" }],
      [
        2_000,
        {
          type: "command.ran",
          command: ["true"],
          exitCode: null,
          durationMs: 0,
          offRunbook: false,
          procedure: "db-slow",
          step: "failover",
          notRun: "tabletop",
        },
      ],
    ]);
    const step = state.procedures[0]?.steps[1];
    expect(step?.status).toBe("pending");
    expect(step).not.toHaveProperty("lastExitCode");
  });

  it("makes hints available as time passes", () => {
    const { state } = play(setup(), [[0, started]]);
    expect(state.hints[0]?.available).toBe(false);
    expect(tick(state, 59_999).hints[0]?.available).toBe(false);
    const later = tick(state, 60_000);
    expect(later.hints[0]?.available).toBe(true);
    expect(later.elapsed).toBe(60_000);
  });

  it("replays a journal's events into the same state", () => {
    const live = play(setup(), [
      [0, started],
      [10_000, applied],
      fail(11_000),
      ok(12_000),
      ok(13_000),
      ok(14_000),
    ]);
    const again = replay(setup(), live.emitted);
    expect(again.phase).toBe(live.state.phase);
    expect(again.result).toEqual(live.state.result);
  });
});
