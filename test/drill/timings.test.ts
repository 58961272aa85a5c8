import { describe, expect, it } from "vitest";
import type { DrillEvent, TimedEvent } from "../../src/drill/events.js";
import { advance } from "../../src/drill/reducer.js";
import { scoreDrill } from "../../src/drill/score.js";
import { type DrillState, initialState } from "../../src/drill/state.js";
import { computeTimings } from "../../src/drill/timings.js";
import { scenario, setup } from "./builders.js";

/** A small seeded generator (mulberry32), so a failing sequence can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Events that never end the drill on their own (recovery needs far more passes than these give). */
function randomEvent(next: () => number): DrillEvent {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  return pick<() => DrillEvent>([
    () => ({ type: "fault.applied", fault: 0, label: "latency" }),
    () => ({ type: "fault.reverted", fault: 0, label: "latency", reason: "duration elapsed" }),
    () => ({ type: "signal.shown", signal: 0, kind: "alert", text: "p99 > 1s" }),
    () => ({ type: "signal.shown", signal: 1, kind: "log", text: "pool exhausted" }),
    () => ({ type: "probe.result", probe: "health", ok: true, latencyMs: 4, detail: "200" }),
    () => ({ type: "probe.result", probe: "health", ok: false, latencyMs: 900, detail: "503" }),
    () => ({ type: "acknowledged", by: "ana" }),
    () => ({ type: "escalated", level: 2, who: "payments lead" }),
    () => ({ type: "step.completed", procedure: "db-slow", step: "look" }),
    () => ({ type: "note", text: "looking" }),
  ])();
}

const ENDINGS: DrillEvent[] = [
  { type: "recovered", probe: "health" },
  { type: "aborted", by: "ana", reason: "done" },
  { type: "timed.out", limitMs: 600_000 },
  { type: "safety.stopped", reason: "probe health failed", probe: "health" },
];

describe("drill timings", () => {
  it("kept event by event, equal the timings computed from scratch over a long random drill", () => {
    const drill = setup(
      "gameday",
      scenario({ recovery: { probe: "health", consecutive: 100_000 }, safety: { stopWhen: [] } }),
    );
    for (let seed = 1; seed <= 8; seed++) {
      const next = random(seed);
      let state: DrillState = initialState(drill);
      let t = 0;
      state = advance(state, {
        t,
        event: { type: "drill.started", mode: "gameday", responder: "ana" },
      }).state;
      for (let i = 0; i < 2_000; i++) {
        // Often several events in the same millisecond, now and then one stamped a little late.
        const step = next();
        t = step < 0.3 ? t : step < 0.9 ? t + Math.floor(next() * 2_000) : Math.max(0, t - 50);
        state = advance(state, { t, event: randomEvent(next) }).state;
        expect(state.timings, `seed ${seed}, event ${i}`).toEqual(computeTimings(state.events));
      }
      const last = ENDINGS[seed % ENDINGS.length] as DrillEvent;
      state = advance(state, { t: t + 1_000, event: last }).state;
      const events: readonly TimedEvent[] = state.events;
      expect(state.ended).toBe(true);
      expect(state.result?.timings).toEqual(computeTimings(events));
      expect(state.timings).toEqual(computeTimings(events));
      const fromScratch = scoreDrill({
        events,
        outcome: state.result?.outcome ?? "aborted",
        targets: drill.scenario.targets,
        expected: {
          procedure: "db-slow",
          steps: (drill.runbook?.procedures[0]?.steps ?? []).map((s) => ({
            id: s.id,
            kind: s.kind,
            optional: s.optional,
          })),
        },
        ladder: drill.runbook?.escalation ?? [],
        endT: t + 1_000,
      });
      expect(state.result?.score).toBe(fromScratch.score);
      expect(state.result?.breakdown).toEqual(fromScratch.breakdown);
    }
  });

  it("counts a moment logged in the same millisecond just before the first fault landed", () => {
    let state = initialState(setup("tabletop"));
    for (const [t, event] of [
      [0, { type: "drill.started", mode: "tabletop", responder: "ana" }],
      [5_000, { type: "acknowledged", by: "ana" }],
      [5_000, { type: "fault.applied", fault: 0, label: "latency" }],
      [7_000, { type: "signal.shown", signal: 0, kind: "alert", text: "p99 > 1s" }],
    ] as [number, DrillEvent][]) {
      state = advance(state, { t, event }).state;
    }
    expect(state.timings).toEqual({ ttd: 2_000, tta: 0, ttm: null, ttr: null });
  });
});
