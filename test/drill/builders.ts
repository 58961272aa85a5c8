import type { DrillEvent, TimedEvent } from "../../src/drill/events.js";
import { advance } from "../../src/drill/reducer.js";
import { type DrillSetup, type DrillState, initialState } from "../../src/drill/state.js";
import { Runbook, type RunbookInput } from "../../src/model/runbook.js";
import { Scenario, type ScenarioInput } from "../../src/model/scenario.js";

export function scenario(overrides: Partial<ScenarioInput> = {}): Scenario {
  return Scenario.parse({
    id: "checkout-db-latency",
    title: "Checkout database latency",
    service: "checkout",
    targets: { ttr: "5m", tta: "1m" },
    briefing: "Checkout is slow.",
    proxies: [{ name: "db", upstream: "127.0.0.1:5432" }],
    faults: [{ at: "10s", proxy: "db", toxic: "latency", attributes: { latency: 800 } }],
    signals: [
      { at: "20s", kind: "alert", text: "p99 latency > 1s" },
      { at: "30s", kind: "log", text: "pool exhausted" },
    ],
    probes: [{ name: "health", http: { url: "http://127.0.0.1:1/health" }, every: "1s" }],
    recovery: { probe: "health", consecutive: 3 },
    procedure: "db-slow",
    hints: [{ after: "1m", cost: 10, text: "Look at the pool" }],
    tabletop: { outcomes: { failover: "Replica promoted." }, resolvedBy: ["failover"] },
    safety: { maxDuration: "10m", stopWhen: [] },
    ...overrides,
  });
}

export function runbook(overrides: Partial<RunbookInput> = {}): Runbook {
  return Runbook.parse({
    service: "checkout",
    owner: "payments-team",
    escalation: [
      { level: 1, who: "on-call", after: 0 },
      { level: 2, who: "payments lead", after: "3m" },
    ],
    procedures: [
      {
        id: "db-slow",
        title: "Database slow",
        steps: [
          { id: "look", kind: "check", title: "Check the dashboard" },
          { id: "failover", kind: "action", title: "Fail over", run: ["true"] },
          { id: "restart", kind: "action", title: "Restart pool", optional: true },
          { id: "confirm", kind: "verify", title: "Confirm latency is back" },
        ],
      },
      {
        id: "other",
        title: "Something else",
        steps: [{ id: "x", kind: "action", title: "X" }],
      },
    ],
    ...overrides,
  });
}

export function setup(mode: "tabletop" | "gameday" = "gameday", s = scenario()): DrillSetup {
  return { scenario: s, runbook: runbook(), mode, responder: "ana" };
}

/** Applies events at the given times through the reducer and its rules; returns the last state. */
export function play(
  start: DrillState | DrillSetup,
  timeline: [number, DrillEvent][],
): { state: DrillState; emitted: TimedEvent[] } {
  let state = "phase" in start ? start : initialState(start);
  const emitted: TimedEvent[] = [];
  for (const [t, event] of timeline) {
    const r = advance(state, { t, event });
    state = r.state;
    emitted.push(...r.emitted);
  }
  return { state, emitted };
}

export const ok = (t: number): [number, DrillEvent] => [
  t,
  { type: "probe.result", probe: "health", ok: true, latencyMs: 5, detail: "200" },
];
export const fail = (t: number): [number, DrillEvent] => [
  t,
  { type: "probe.result", probe: "health", ok: false, latencyMs: 900, detail: "slow" },
];
