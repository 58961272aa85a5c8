import { afterEach, describe, expect, it } from "vitest";
import type { TimedEvent } from "../../src/drill/events.js";
import { replay } from "../../src/drill/reducer.js";
import type { ProbeRunner } from "../../src/probes/probe-types.js";
import { feedItems, headerView, probeRows } from "../../src/tui/cockpit-view.js";
import { expectedSteps, timelineLines, timingRows } from "../../src/tui/debrief-view.js";
import type { PastDrill } from "../../src/tui/drill-port.js";
import { Drill, sampleRunbook, sampleScenario } from "./fixtures.js";

const drills: Drill[] = [];
afterEach(async () => {
  for (const d of drills.splice(0)) await d.close();
});

const setup = {
  scenario: sampleScenario(),
  runbook: sampleRunbook(),
  mode: "gameday" as const,
  responder: "ana",
};
const started: TimedEvent[] = [
  { t: 0, event: { type: "drill.started", mode: "gameday", responder: "ana" } },
  { t: 5000, event: { type: "fault.applied", fault: 0, label: "primary disk saturated" } },
];
function probe(t: number, ok: boolean, detail = ok ? "200 OK" : "503"): TimedEvent {
  return {
    t,
    event: { type: "probe.result", probe: "checkout-health", ok, latencyMs: ok ? 20 : 310, detail },
  };
}

describe("signals feed", () => {
  it("is newest first and collapses a run of probe failures into one line, then one ok-again line", () => {
    const state = replay(setup, [
      ...started,
      probe(6000, true),
      probe(7000, false),
      probe(8000, false, "timed out"),
      {
        t: 8500,
        event: { type: "signal.shown", signal: 0, kind: "alert", text: "CheckoutHealthFailing" },
      },
      probe(9000, false, "timed out"),
      probe(10_000, true),
    ]);
    expect(feedItems(state).map((i) => `${i.t} ${i.kind} ${i.text}`)).toEqual([
      "10000 recovered checkout-health ok again (20ms)",
      "9000 probe checkout-health failing (3×): timed out",
      "8500 alert CheckoutHealthFailing",
    ]);
  });

  it("shows no probe lines in tabletop, where probes never run", () => {
    const state = replay({ ...setup, mode: "tabletop" }, [...started, probe(7000, false)]);
    expect(feedItems(state)).toEqual([]);
  });
});

describe("probes and header", () => {
  it("gives each probe its state, last latency and a sparkline of the successful latencies", () => {
    const state = replay(setup, [
      ...started,
      probe(6000, true),
      probe(7000, false),
      probe(8000, true),
    ]);
    const [health, replica] = probeRows(state, 10);
    expect(health).toMatchObject({ name: "checkout-health", status: "ok", latency: "20ms" });
    expect(health?.spark).toHaveLength(3);
    expect(health?.spark[1]).toBe(" ");
    expect(replica).toMatchObject({ name: "replica-alive", status: "waiting", latency: "" });
  });

  it("turns late past the TTR target and names the highest escalation", () => {
    const state = replay(setup, [
      ...started,
      { t: 6000, event: { type: "escalated", level: 2, who: "checkout secondary" } },
    ]);
    expect(headerView(state, 60_000, true)).toMatchObject({
      phase: "INCIDENT",
      clock: "01:00",
      late: false,
      escalated: "L2 checkout secondary",
    });
    expect(headerView(state, 5000 + 240_001).late).toBe(true);
    expect(headerView(replay(setup, started.slice(0, 1)), 1000, true).phase).toBe("WAITING");
  });
});

describe("the responder's header tells symptoms, not the cause", () => {
  it("names the service, not the scenario, and stays ON CALL when the fault lands, until a probe fails", () => {
    const quiet = headerView(replay(setup, started), 6000);
    expect(quiet.title).toBe("Incident on checkout-api");
    expect(quiet.title).not.toContain("primary");
    expect(quiet.phase).toBe("ON CALL");
    const paged = headerView(replay(setup, [...started, probe(7000, false)]), 8000);
    expect(paged.phase).toBe("INCIDENT");
    const facilitator = headerView(replay(setup, started), 6000, true);
    expect(facilitator.title).toBe(setup.scenario.title);
    expect(facilitator.phase).toBe("INCIDENT");
  });
});

describe("debrief view models", () => {
  const past = (ttr: number | null, tta: number | null): PastDrill => ({
    drillId: `d${ttr}`,
    startedAt: "2026-11-01T00:00:00Z",
    mode: "tabletop",
    outcome: ttr === null ? "aborted" : "recovered",
    ttd: 10_000,
    tta,
    ttm: null,
    ttr,
  });

  it("compares each timing with its target and the median of earlier drills that reached it", () => {
    const state = replay(setup, started);
    const rows = timingRows(state, { ttd: 10_000, tta: 90_000, ttm: null, ttr: 100_000 }, [
      past(200_000, 30_000),
      past(300_000, 40_000),
      past(null, 50_000),
    ]);
    expect(
      rows.map((r) => [r.name, r.value, r.target, r.withinTarget, r.previous, r.verdict]),
    ).toEqual([
      ["TTD", "10s", "30s", true, "10s", "same"],
      ["TTA", "1m30s", "1m", false, "40s", "worse"],
      ["TTM", "—", "3m", null, "—", "none"],
      ["TTR", "1m40s", "4m", true, "4m10s", "better"],
    ]);
    expect(timingRows(state, { ttd: 1, tta: 1, ttm: 1, ttr: 1 }, [])[3]?.verdict).toBe("first");
  });

  it("marks the expected procedure's steps done, skipped, missed or not reached", () => {
    const state = replay(setup, [
      ...started,
      { t: 6000, event: { type: "procedure.selected", procedure: "db-latency" } },
      { t: 7000, event: { type: "step.completed", procedure: "db-latency", step: "check-status" } },
      { t: 8000, event: { type: "step.skipped", procedure: "db-latency", step: "check-pool" } },
    ]);
    const { procedure, steps } = expectedSteps(state);
    expect(procedure).toBe("Database primary is slow");
    expect(steps.map((s) => `${s.id}:${s.status}`)).toEqual([
      "check-status:done",
      "check-pool:skipped",
      "failover:missed",
      "verify-health:missed",
      "failback:not-reached",
      "escalate-dbre:not-needed",
    ]);
  });

  it("reads the timeline back without the probe heartbeat", () => {
    const lines = timelineLines([
      ...started,
      probe(6000, true),
      probe(7000, false),
      probe(8000, false),
      probe(9000, true),
      {
        t: 70_000,
        event: {
          type: "command.ran",
          command: ["curl", "-fsS", "http://x/"],
          exitCode: 0,
          durationMs: 120,
          offRunbook: true,
        },
      },
    ]);
    expect(lines).toEqual([
      "00:00  drill started (gameday, responder ana)",
      "00:05  fault applied: primary disk saturated",
      "00:07  probe checkout-health FAIL 310ms 503",
      "00:09  probe checkout-health ok 20ms 200 OK",
      "01:10  off-runbook command curl -fsS http://x/: exit 0 in 120ms",
    ]);
  });

  it("names the facilitator's and scribe's moves and ends with the action items noted", () => {
    const lines = timelineLines([
      ...started,
      {
        t: 8000,
        event: { type: "signal.shown", signal: 0, kind: "alert", text: "p99 > 1s" },
        actor: "facilitator",
      },
      { t: 9000, event: { type: "acknowledged", by: "ana" }, actor: "responder" },
      {
        t: 12_000,
        event: { type: "note", text: "name the pool in the alert", tag: "action" },
        actor: "scribe",
      },
    ]);
    expect(lines.slice(2)).toEqual([
      "00:08  facilitator: alert: p99 > 1s",
      "00:09  acknowledged by ana",
      "00:12  scribe: action item: name the pool in the alert",
      "",
      "action items:",
      "  - name the pool in the alert (scribe, 00:12)",
    ]);
  });
});

describe("session port", () => {
  it("hands the views a new snapshot only when something visible changed, not on a bare clock tick", async () => {
    const drill = await new Drill("tabletop").start();
    drills.push(drill);
    let notified = 0;
    drill.port.subscribe(() => notified++);
    const before = drill.port.snapshot();
    await drill.clock.advanceAsync(3000);
    expect(notified).toBe(0);
    expect(drill.port.snapshot().state.elapsed).toBe(3000);
    await drill.clock.advanceAsync(3000);
    expect(notified).toBeGreaterThan(0);
    expect(drill.port.snapshot().state.faults[0]?.status).toBe("active");
    expect(drill.port.snapshot()).not.toBe(before);
  });

  it("leaves probe results alone for the next clock tick to draw, but not an event that matters", async () => {
    let healthy = true;
    const runProbe: ProbeRunner = async () =>
      healthy
        ? { ok: true, latencyMs: 5, detail: "200 OK" }
        : { ok: false, latencyMs: 300, detail: "503" };
    const drill = await new Drill("gameday", sampleScenario(), sampleRunbook(), runProbe).start();
    drills.push(drill);
    await drill.clock.advanceAsync(100);
    let notified = 0;
    drill.port.subscribe(() => notified++);
    await drill.clock.advanceAsync(3000);
    expect(drill.state.probes[0]?.checks).toBeGreaterThan(2);
    expect(notified).toBe(0);
    // ...yet whoever draws next sees them
    expect(drill.port.snapshot().state.probes[0]?.checks).toBe(drill.state.probes[0]?.checks);
    healthy = false;
    await drill.clock.advanceAsync(3000);
    expect(notified).toBeGreaterThan(0);
  });

  it("shows the engine's refusal until the next action succeeds", async () => {
    const drill = await new Drill("tabletop").start();
    drills.push(drill);
    drill.port.dispatch({ type: "takeHint" });
    await drill.clock.advanceAsync(0);
    expect(drill.port.snapshot().notice).toMatch(/^no hint available yet: the next one opens at /);
    drill.port.dispatch({ type: "acknowledge" });
    await drill.clock.advanceAsync(0);
    expect(drill.port.snapshot().notice).toBeUndefined();
  });
});
