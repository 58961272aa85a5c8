import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../src/drill/clock.js";
import { runAuto, runScript } from "../../src/drill/drivers.js";
import { parseScript } from "../../src/drill/script.js";
import { createSession, type DrillSession } from "../../src/drill/session.js";
import type { DrillSetup } from "../../src/drill/state.js";
import { formatProblem } from "../../src/model/problem.js";
import { runbook, scenario, setup } from "./builders.js";
import { RecordingBackend } from "./fake-backend.js";

let clock: FakeClock;
let backend: RecordingBackend;
const sessions: DrillSession[] = [];

beforeEach(() => {
  clock = new FakeClock();
  backend = new RecordingBackend();
});

afterEach(async () => {
  for (const s of sessions.splice(0)) await s.shutdown("test over");
});

/** Healthy until a fault is applied, then until the failover step is done. */
function make(s: DrillSetup): DrillSession {
  const session: DrillSession = createSession(s, "drv", {
    clock,
    scheduler: clock,
    backend,
    runProbe: async () => {
      const state = session.getState();
      const failedOver = state.procedures.some((p) =>
        p.steps.some((step) => step.id === "failover" && step.status === "done"),
      );
      return state.incidentStart === null || failedOver
        ? { ok: true, latencyMs: 2, detail: "200" }
        : { ok: false, latencyMs: 800, detail: "503" };
    },
  });
  sessions.push(session);
  return session;
}

/** Runs fake time forward until the drill is over (bounded). */
async function drive<T>(session: DrillSession, driver: Promise<T>): Promise<T> {
  for (let i = 0; i < 2000 && !session.getState().ended; i++) await clock.advanceAsync(100);
  if (!session.getState().ended) await session.shutdown("test bound reached");
  await session.finished;
  return driver;
}

const types = (session: DrillSession) => session.getState().events.map((e) => e.event.type);

describe("--auto", () => {
  it("follows the expected procedure to a recovery, as a runbook verification", async () => {
    // The fault lands between two probe checks: the incident is only seen 500 ms later.
    const s = scenario({
      faults: [{ at: "10500ms", proxy: "db", toxic: "latency", attributes: { latency: 800 } }],
    });
    const session = make(setup("gameday", s));
    await session.start();
    const healthy = async () => ({ ok: true, latencyMs: 1, detail: "200" });
    await drive(session, runAuto(session, clock, { runProbe: healthy }));
    const state = session.getState();
    expect(state.phase).toBe("recovered");
    // Acknowledged when the first failing probe was seen, not the instant the fault landed.
    expect(state.timings.ttd).toBe(500);
    expect(state.timings.tta).toBe(500);
    const steps = Object.fromEntries(state.procedures[0]?.steps.map((s) => [s.id, s.status]) ?? []);
    expect(steps).toEqual({ look: "done", failover: "done", restart: "skipped", confirm: "done" });
    const order = types(session).filter((t) =>
      ["acknowledged", "procedure.selected", "mitigated", "recovered"].includes(t),
    );
    expect(order).toEqual(["acknowledged", "procedure.selected", "mitigated", "recovered"]);
    expect(state.result?.withinTarget).toBe(true);
    expect(state.result?.breakdown.find((i) => i.key === "adherence")?.points).toBe(30);
  });

  it.each([
    [["true"], true, []],
    [["false"], false, ["rollback step failback failed (exit 1)"]],
  ])(
    "after recovery, runs the rollback steps and checks steady state: %j",
    async (run, ok, findings) => {
      const withRollback = runbook({
        procedures: [
          {
            id: "db-slow",
            title: "Database slow",
            steps: [
              { id: "failover", kind: "action", title: "Fail over", run: ["true"] },
              { id: "failback", kind: "rollback", title: "Fail back", run },
            ],
          },
        ],
      });
      const session = make({ ...setup("gameday"), runbook: withRollback });
      await session.start();
      const probed: string[] = [];
      const report = await drive(
        session,
        runAuto(session, clock, {
          runProbe: async (p) => {
            probed.push(p.name);
            return { ok: true, latencyMs: 1, detail: "200" };
          },
        }),
      );
      expect(session.getState().phase).toBe("recovered");
      expect(report.afterward).toEqual({
        rollbacks: [{ step: "failback", ok, detail: ok ? "exit 0" : "exit 1" }],
        steadyState: [{ probe: "health", ok: true, detail: "200" }],
        ok,
        findings,
      });
      // Run once every fault was reverted, not while the fault was on.
      expect(backend.ledger()).toEqual([]);
      expect(probed).toEqual(["health"]);
    },
  );

  it("aborts when a required step's command fails", async () => {
    const broken = runbook({
      procedures: [
        {
          id: "db-slow",
          title: "Database slow",
          steps: [{ id: "failover", kind: "action", title: "Fail over", run: ["false"] }],
        },
      ],
    });
    const session = make({ ...setup("gameday"), runbook: broken });
    await session.start();
    await drive(session, runAuto(session, clock));
    const state = session.getState();
    expect(state.phase).toBe("aborted");
    const aborted = state.events.find((e) => e.event.type === "aborted")?.event;
    expect(aborted).toMatchObject({ reason: "--auto: step failover failed (exit 1)" });
    expect(backend.ledger()).toEqual([]);
  });

  it("walks a tabletop drill without running commands", async () => {
    const session = make(setup("tabletop"));
    await session.start();
    await drive(session, runAuto(session, clock));
    const state = session.getState();
    expect(state.phase).toBe("recovered");
    expect(state.commands).toEqual([]);
    expect(state.procedures[0]?.steps[1]).toMatchObject({
      status: "done",
      outcome: "Replica promoted.",
    });
  });
});

describe("--script", () => {
  const text = `responder: bo
actions:
  - do: acknowledge
    waitFor: alert
    after: 5s
  - do: hint
    at: 1m
  - do: select
    procedure: db-slow
  - do: complete
    note: looked
  - do: run
    complete: true
  - do: mitigate
`;

  it("replays a responder's actions at their times", async () => {
    const loaded = parseScript(text, "answers.yaml");
    if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join("\n"));
    const session = make(setup("gameday"));
    await session.start();
    await drive(session, runScript(session, clock, loaded.script));
    const state = session.getState();
    expect(state.phase).toBe("recovered");
    const at = (type: string) => state.events.find((e) => e.event.type === type)?.t;
    expect(at("signal.shown")).toBe(20_000);
    expect(at("acknowledged")).toBe(25_000);
    expect(at("hint.taken")).toBe(60_000);
    // The step's real command takes real time while fake time keeps moving: no exact time here.
    expect(at("mitigated")).toBeGreaterThanOrEqual(60_000);
    expect(at("mitigated")).toBeLessThanOrEqual(at("recovered") ?? 0);
    expect(state.result?.breakdown.find((i) => i.key === "hints")?.points).toBe(-10);
  });

  it("rejects a bad script with file:line:col and what is valid", () => {
    const loaded = parseScript("actions:\n  - do: dance\n    at: soon\n", "bad.yaml");
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    const messages = loaded.problems.map(formatProblem).join("\n");
    expect(messages).toMatch(/^bad\.yaml:2:\d+: actions\[0\]\.do: .*acknowledge/m);
  });

  it("logs refused actions and goes on", async () => {
    const loaded = parseScript(
      "actions:\n  - do: complete\n  - do: abort\n    reason: bored\n",
      "s.yaml",
    );
    if (!loaded.ok) throw new Error("bad script");
    const session = make({ ...setup("gameday"), scenario: scenario() });
    const log: string[] = [];
    await session.start();
    await drive(session, runScript(session, clock, loaded.script, { log: (l) => log.push(l) }));
    expect(log).toEqual(["script: action 1 (complete) refused: select a procedure first"]);
    expect(session.getState().phase).toBe("aborted");
  });
});

describe("--script in tabletop", () => {
  it("records a step's command as not run, and `complete: true` still marks the step done", async () => {
    const loaded = parseScript(
      "actions:\n  - do: select\n    procedure: db-slow\n  - do: complete\n  - do: run\n    step: failover\n    complete: true\n",
      "tt.yaml",
    );
    if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join("\n"));
    const session = make(setup("tabletop"));
    await session.start();
    await drive(session, runScript(session, clock, loaded.script));
    const state = session.getState();
    expect(state.commands[0]).toMatchObject({ step: "failover", notRun: "tabletop" });
    expect(state.procedures[0]?.steps[1]).toMatchObject({
      status: "done",
      outcome: "Replica promoted.",
    });
  });
});
