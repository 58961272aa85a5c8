import { describe, expect, it } from "vitest";
import { FakeClock } from "../../src/drill/clock.js";
import { closingLines, endedOutcome, exitCodeOf } from "../../src/drill/outcome.js";
import { createSession, type SessionDeps } from "../../src/drill/session.js";
import type { MonitoringChecker } from "../../src/probes/monitoring-check.js";
import { scenario, setup } from "./builders.js";
import { RecordingBackend } from "./fake-backend.js";

const WALL0 = Date.parse("2026-11-25T01:00:00.000Z");
const AM = "http://127.0.0.1:9093";

/** Fault at 10s; the alert fires (its startsAt) at `firesAt` drill time, or never. */
function rig(firesAt: number | null, mode: "gameday" | "tabletop" = "gameday") {
  const clock = new FakeClock();
  const backend = new RecordingBackend();
  const asked: number[] = [];
  const check: MonitoringChecker = async () => {
    asked.push(clock.now());
    if (firesAt === null || clock.now() < firesAt) return { firing: false, detail: "none" };
    return { firing: true, activeAt: WALL0 + firesAt, detail: "firing" };
  };
  const s = scenario({
    signals: [
      {
        text: "CheckoutLatencyHigh",
        alertmanager: { url: AM, match: { alertname: "CheckoutLatencyHigh" } },
        every: "1s",
        expect: { within: "30s" },
      },
      { at: "12s", kind: "alert", text: "scripted page" },
    ],
  });
  const deps: SessionDeps = {
    clock,
    scheduler: clock,
    backend,
    runProbe: async () =>
      backend.ledger().length === 0
        ? { ok: true, latencyMs: 3, detail: "200" }
        : { ok: false, latencyMs: 900, detail: "503" },
    checkMonitoring: check,
    wallClock: () => WALL0 + clock.now(),
    tickMs: 0,
  };
  const session = createSession(setup(mode, s), "mon12345", deps);
  return { clock, session, asked };
}

describe("monitoring signals in the session (fake clock)", () => {
  it("notes a server that cannot be asked once per distinct error, and keeps asking", async () => {
    const clock = new FakeClock();
    const backend = new RecordingBackend();
    let calls = 0;
    const check: MonitoringChecker = async () => {
      calls++;
      if (clock.now() < 5_000) throw new Error(`GET ${AM}/api/v2/alerts: ECONNREFUSED`);
      if (clock.now() < 15_000) return { firing: false, detail: "none" };
      return { firing: true, activeAt: WALL0 + 14_000, detail: "firing" };
    };
    const s = scenario({
      signals: [{ text: "Page", alertmanager: { url: AM, match: { alertname: "Page" } } }],
    });
    const session = createSession(setup("gameday", s), "mon00000", {
      clock,
      scheduler: clock,
      backend,
      checkMonitoring: check,
      wallClock: () => WALL0 + clock.now(),
      tickMs: 0,
    });
    await session.start();
    await clock.advanceAsync(20_000);
    const notes = session.getState().notes.map((n) => n.text);
    expect(notes).toEqual([`monitoring: GET ${AM}/api/v2/alerts: ECONNREFUSED`]);
    expect(session.getState().signals.map((x) => [x.text, x.t, x.activeT])).toEqual([
      ["Page", 15_000, 14_000],
    ]);
    // asked every second until it fired, then no more
    expect(calls).toBe(16);
    await session.shutdown("test over");
  });

  it("shows the alert when the poll sees it, with its own time; TTD counts it, not the probe", async () => {
    const { clock, session } = rig(17_300);
    await session.start();
    await clock.advanceAsync(25_000);
    const state = session.getState();
    const shown = state.events.find(
      (e) => e.event.type === "signal.shown" && e.event.source === "alertmanager",
    );
    // polled at 0, 1s, 2s…: the first poll at or after 17.3s is at 18s
    expect(shown?.t).toBe(18_000);
    expect(shown?.event).toMatchObject({
      activeT: 17_300,
      activeAt: "2026-11-25T01:00:17.300Z",
      text: "CheckoutLatencyHigh",
    });
    // the probe failed at 10s and the scripted page came at 12s: neither is the team's alerting
    expect(state.timings.ttd).toBe(8_000);
    await session.shutdown("test over");
  });

  it("records a detection gap `within` after the fault, once, and exits 1 though recovered", async () => {
    const { clock, session } = rig(null);
    await session.start();
    await clock.advanceAsync(39_999);
    expect(session.getState().detectionGaps).toEqual([]);
    await clock.advanceAsync(1);
    expect(session.getState().detectionGaps).toEqual([
      { t: 40_000, signal: 0, name: "CheckoutLatencyHigh", withinMs: 30_000 },
    ]);
    await clock.advanceAsync(10_000);
    expect(session.getState().events.filter((e) => e.event.type === "detection.gap")).toHaveLength(
      1,
    );
    await session.dispatch({ type: "acknowledge" });
    await session.dispatch({ type: "declareMitigated" });
    const state = await session.shutdown("done");
    expect(state.result?.detection?.gaps).toHaveLength(1);
    expect(state.result?.breakdown).toContainEqual(
      expect.objectContaining({ key: "detection", points: -10 }),
    );
    const withinTarget = { ...state.result!, outcome: "recovered" as const, withinTarget: true };
    expect(
      exitCodeOf(
        endedOutcome({
          drill: { result: withinTarget },
          stop: null,
          revert: null,
          journalPath: null,
        }),
      ),
    ).toBe(1);
    expect(
      closingLines(
        endedOutcome({
          drill: { result: withinTarget },
          stop: null,
          revert: null,
          journalPath: "j",
        }),
      ),
    ).toEqual([
      expect.stringMatching(
        /^recovered within target · score \d+ \(\w\) · 1 detection gap · journal j$/,
      ),
    ]);
    const noGap = { ...withinTarget, detection: { alerts: [], gaps: [] } };
    expect(
      exitCodeOf(
        endedOutcome({ drill: { result: noGap }, stop: null, revert: null, journalPath: null }),
      ),
    ).toBe(0);
  });

  it("tabletop never asks the monitoring server and shows a monitoring signal without `at` never", async () => {
    const { clock, session, asked } = rig(0, "tabletop");
    await session.start();
    await clock.advanceAsync(60_000);
    expect(asked).toEqual([]);
    const shown = session.getState().signals.map((s) => s.text);
    expect(shown).toEqual(["scripted page"]);
    expect(session.getState().detectionGaps).toEqual([]);
    await session.shutdown("test over");
  });
});
