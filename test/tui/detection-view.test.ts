import { describe, expect, it } from "vitest";
import { feedItems } from "../../src/tui/cockpit-view.js";
import { detectionRows } from "../../src/tui/debrief-summary.js";
import { fail, ok, play, scenario, setup } from "../drill/builders.js";

const AM = "http://127.0.0.1:9093";

const monitored = scenario({
  signals: [
    {
      text: "CheckoutLatencyHigh",
      alertmanager: { url: AM, match: { alertname: "CheckoutLatencyHigh" } },
    },
    {
      text: "CheckoutErrorsHigh",
      alertmanager: { url: AM, match: { alertname: "CheckoutErrorsHigh" } },
      expect: { within: "1m" },
    },
  ],
});

describe("the cockpit and the debrief show what the team's monitoring did", () => {
  const { state } = play(setup("gameday", monitored), [
    [0, { type: "drill.started", mode: "gameday", responder: "ana", ttdFrom: "monitoring" }],
    [10_000, { type: "fault.applied", fault: 0, label: "latency" }],
    fail(11_000),
    // a metric from monitoring is not the alert that pages: it does not stop TTD
    [
      12_000,
      {
        type: "signal.shown",
        signal: 2,
        kind: "metric",
        text: "p99 (q = 1.2 > 1)",
        source: "prometheus",
        value: 1.2,
      },
    ],
    [
      14_500,
      {
        type: "signal.shown",
        signal: 0,
        kind: "alert",
        text: "CheckoutLatencyHigh",
        source: "alertmanager",
        activeAt: "2026-11-25T01:00:14.200Z",
        activeT: 14_200,
      },
    ],
    [70_000, { type: "detection.gap", signal: 1, name: "CheckoutErrorsHigh", withinMs: 60_000 }],
    ok(71_000),
    ok(72_000),
    ok(73_000),
  ]);

  it("recovers, with TTD from the real alert and the gap in the feed", () => {
    expect(state.result?.outcome).toBe("recovered");
    expect(state.timings.ttd).toBe(4_500);
    expect(feedItems(state).map((i) => [i.kind, i.text])).toContainEqual([
      "gap",
      "CheckoutErrorsHigh did not fire within 1m of the fault",
    ]);
  });

  it("the debrief's detection line splits fault → active → seen and names the gap", () => {
    expect(detectionRows(state)).toEqual([
      "DETECTION GAP: CheckoutErrorsHigh did not fire within 1m of the fault",
      "detected: CheckoutLatencyHigh (alertmanager): fault → active 4.2s → seen 300ms later (4.5s after the fault)",
      "detected: p99 (q = 1.2 > 1) (prometheus): fault → seen 2s",
    ]);
  });
});
