/** A cockpit snapshot with 200 signals and a 30-step procedure, for the render benchmarks. */
import type { TimedEvent } from "../../src/drill/events.js";
import { replay } from "../../src/drill/reducer.js";
import { Runbook } from "../../src/model/runbook.js";
import { Scenario } from "../../src/model/scenario.js";

export function bigCockpit() {
  const scenario = Scenario.parse({
    id: "bench-big",
    title: "A long incident with a chatty monitoring stack",
    service: "bench-svc",
    targets: { ttr: "10m" },
    briefing: "Two hundred signals and a thirty-step procedure.",
    faults: [{ at: 0, command: { inject: ["true"], revert: ["true"] } }],
    signals: Array.from({ length: 200 }, (_, i) => ({
      at: i * 1000,
      kind: (["alert", "log", "metric"] as const)[i % 3],
      text: `signal ${i}: p99 latency ${200 + i} ms on bench-svc, pool ${i % 8}/8 busy, queue ${i}`,
    })),
    probes: [{ name: "bench-health", every: 1000, tcp: { address: "127.0.0.1:1" } }],
    procedure: "big",
    hints: [{ after: 0, cost: 5, text: "look at the pool" }],
  });
  const runbook = Runbook.parse({
    service: "bench-svc",
    owner: "team-bench",
    escalation: [{ level: 1, who: "bench on-call" }],
    procedures: [
      {
        id: "big",
        title: "Thirty steps",
        steps: Array.from({ length: 30 }, (_, i) => ({
          id: `step-${i}`,
          kind: (["check", "action", "verify"] as const)[i % 3],
          title: `Step ${i}: do the ${i}th thing and confirm it worked`,
          ...(i % 2 ? { run: ["curl", "-fsS", `http://127.0.0.1:1/${i}`] } : {}),
        })),
      },
    ],
  });
  const events: TimedEvent[] = [
    { t: 0, event: { type: "drill.started", mode: "gameday", responder: "bench" } },
    { t: 10, event: { type: "fault.applied", fault: 0, label: "bench fault" } },
  ];
  scenario.signals.forEach((s, i) => {
    events.push({
      t: (s.at ?? 0) + 20,
      event: { type: "signal.shown", signal: i, kind: s.kind, text: s.text },
    });
    events.push({
      t: (s.at ?? 0) + 30,
      event: {
        type: "probe.result",
        probe: "bench-health",
        ok: i % 5 !== 0,
        latencyMs: 20 + (i % 40),
        detail: "ok",
      },
    });
  });
  events.push({ t: 200_500, event: { type: "acknowledged", by: "bench" } });
  events.push({ t: 200_600, event: { type: "procedure.selected", procedure: "big" } });
  for (let i = 0; i < 12; i++)
    events.push({
      t: 200_700 + i,
      event: { type: "step.completed", procedure: "big", step: `step-${i}` },
    });
  const state = replay({ scenario, runbook, mode: "gameday", responder: "bench" }, events);
  return { state };
}
