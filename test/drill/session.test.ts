import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../src/drill/clock.js";
import { describeEvent } from "../../src/drill/event-text.js";
import { JournalWriter, readJournal } from "../../src/drill/journal.js";
import { closingLines, endedOutcome, exitCodeOf } from "../../src/drill/outcome.js";
import { createSession, type DrillSession, type SessionDeps } from "../../src/drill/session.js";
import type { DrillSetup } from "../../src/drill/state.js";
import { createFaultBackend } from "../../src/faults/backend.js";
import type { ProbeRunner } from "../../src/probes/probe-types.js";
import { runbook, scenario, setup } from "./builders.js";
import { RecordingBackend } from "./fake-backend.js";

let dir: string;
let clock: FakeClock;
let backend: RecordingBackend;
let healthy: boolean;
const sessions: DrillSession[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "firedrill-session-"));
  clock = new FakeClock();
  backend = new RecordingBackend();
  healthy = true;
});

afterEach(async () => {
  for (const s of sessions.splice(0)) await s.shutdown("test over");
  rmSync(dir, { recursive: true, force: true });
});

/** The service is unhealthy while any fault is applied and until `healthy` is set back. */
const probe: ProbeRunner = async () =>
  healthy && backend.ledger().length === 0
    ? { ok: true, latencyMs: 3, detail: "200 OK" }
    : { ok: false, latencyMs: 900, detail: "503" };

function make(s: DrillSetup, extra: Partial<SessionDeps> = {}): DrillSession {
  const session = createSession(s, "abcd1234", {
    clock,
    scheduler: clock,
    backend,
    runProbe: probe,
    wallClock: () => Date.parse("2026-11-25T01:02:03.000Z") + clock.now(),
    openJournal: (startedAt) =>
      JournalWriter.create(dir, {
        drillId: "abcd1234",
        startedAt: startedAt.toISOString(),
        firedrillVersion: "test",
        mode: s.mode,
        responder: s.responder,
        scenario: { id: s.scenario.id, title: s.scenario.title, service: s.scenario.service },
        targets: s.scenario.targets,
      }),
    ...extra,
  });
  sessions.push(session);
  return session;
}

const types = (session: DrillSession) => session.getState().events.map((e) => e.event.type);

describe("drill session (fake clock)", () => {
  it("runs a whole gameday drill in fake time and journals it", async () => {
    const session = make(setup("gameday"));
    await session.start();
    expect(session.getSnapshot().status).toBe("live");
    await clock.advanceAsync(9_999);
    expect(session.getState().faults[0]?.status).toBe("pending");
    await clock.advanceAsync(1);
    const applied = session.getState().events.find((e) => e.event.type === "fault.applied");
    expect(applied?.t).toBe(10_000);
    await clock.advanceAsync(2_000);
    expect(session.getState().probes[0]?.lastOk).toBe(false);
    expect((await session.dispatch({ type: "acknowledge" })).ok).toBe(true);
    await session.dispatch({ type: "selectProcedure", procedure: "db-slow" });
    await session.dispatch({ type: "completeStep", note: "dashboard is red" });
    const ran = await session.dispatch({ type: "runStepCommand" });
    expect(ran).toMatchObject({ ok: true, command: { exitCode: 0 } });
    await session.dispatch({ type: "completeStep" });
    await session.dispatch({ type: "skipStep", reason: "not needed" });
    // The "fix": the fault's effect is gone, the recovery probe needs 3 passes in a row.
    await backend.revert(0, "fixed");
    await session.dispatch({ type: "declareMitigated" });
    await clock.advanceAsync(3_000);
    const state = await session.finished;
    expect(state.phase).toBe("recovered");
    expect(state.result?.withinTarget).toBe(true);
    expect(session.getSnapshot().status).toBe("finished");

    const journal = readJournal(session.getSnapshot().journalPath ?? "");
    expect(journal.header.schema).toBe(1);
    expect(journal.summary?.outcome).toBe("recovered");
    expect(journal.summary?.score).toBe(state.result?.score);
    expect(journal.events.map((e) => e.event.type)).toEqual(types(session));
    expect(journal.events[0]?.event.type).toBe("drill.started");
  });

  it("a step whose command exited 0 is done, and the responder can still skip it", async () => {
    const session = make(setup("gameday"));
    await session.start();
    await clock.advanceAsync(10_000);
    await session.dispatch({ type: "selectProcedure", procedure: "db-slow" });
    expect(await session.dispatch({ type: "runStepCommand", step: "failover" })).toMatchObject({
      ok: true,
      command: { exitCode: 0 },
    });
    const step = () => session.getState().procedures[0]?.steps[1];
    expect(step()).toMatchObject({ status: "done", doneByCommand: true });
    expect(await session.dispatch({ type: "completeStep", step: "failover" })).toEqual({
      ok: false,
      error: "step failover is already done",
    });
    const skipped = await session.dispatch({ type: "skipStep", step: "failover", reason: "no" });
    expect(skipped).toEqual({ ok: true });
    expect(step()?.status).toBe("skipped");
    // Marked by the responder now: final.
    expect((await session.dispatch({ type: "skipStep", step: "failover" })).ok).toBe(false);
  });

  it("reverts every fault newest first when the responder aborts", async () => {
    const s = scenario({
      faults: [
        { at: "1s", proxy: "db", toxic: "latency", attributes: { latency: 100 } },
        { at: "2s", proxy: "db", down: true },
      ],
    });
    const session = make(setup("gameday", s));
    await session.start();
    await clock.advanceAsync(2_500);
    await session.dispatch({ type: "abort", reason: "real incident" });
    const state = await session.finished;
    expect(state.phase).toBe("aborted");
    expect(backend.calls).toEqual([
      "prepare",
      "apply 0",
      "apply 1",
      "revert 1 (aborted)",
      "revert 0 (aborted)",
      "dispose",
    ]);
    expect(types(session).slice(-3)).toEqual(["aborted", "fault.reverted", "fault.reverted"]);
    expect((await session.dispatch({ type: "acknowledge" })).ok).toBe(false);
  });

  it("times out at safety.maxDuration and reverts", async () => {
    healthy = false;
    const session = make(setup("gameday"));
    await session.start();
    await clock.advanceAsync(10 * 60_000);
    const state = await session.finished;
    expect(state.phase).toBe("timed-out");
    expect(state.events.find((e) => e.event.type === "timed.out")?.t).toBe(600_000);
    expect(backend.ledger()).toEqual([]);
    expect(readJournal(session.getSnapshot().journalPath ?? "").summary?.outcome).toBe("timed-out");
  });

  it("stops for safety when a stop condition is met", async () => {
    const s = scenario({
      safety: { maxDuration: "10m", stopWhen: [{ probe: "health", failures: 3 }] },
    });
    const session = make(setup("gameday", s));
    await session.start();
    await clock.advanceAsync(14_000);
    const state = await session.finished;
    expect(state.phase).toBe("safety-stop");
    expect(backend.calls).toContain("revert 0 (safety-stop)");
  });

  it("reverts a fault after its duration", async () => {
    const s = scenario({
      faults: [
        { at: "1s", duration: "5s", proxy: "db", toxic: "latency", attributes: { latency: 1 } },
      ],
    });
    const session = make(setup("gameday", s));
    await session.start();
    await clock.advanceAsync(6_500);
    expect(backend.calls).toContain("revert 0 (duration elapsed)");
    expect(session.getState().faults[0]).toMatchObject({ status: "reverted", revertedT: 6_000 });
  });

  it("shuts down once, whatever the number of calls, and from the briefing too", async () => {
    const early = make(setup("gameday"));
    const [a, b] = await Promise.all([early.shutdown("SIGINT"), early.shutdown("SIGTERM")]);
    expect(a).toBe(b);
    expect(a.phase).toBe("aborted");

    const session = make(setup("gameday"));
    await session.start();
    await clock.advanceAsync(11_000);
    const first = session.shutdown("SIGTERM");
    expect(session.shutdown("SIGINT")).toBe(first);
    const state = await first;
    expect(state.events.find((e) => e.event.type === "aborted")?.event).toMatchObject({
      reason: "SIGTERM",
    });
    expect(backend.ledger()).toEqual([]);
  });

  it("stops and reverts when something inside the drill throws", async () => {
    const session = make(setup("gameday"));
    session.onEvent((e) => {
      if (e.event.type === "signal.shown") throw new Error("view exploded");
    });
    await session.start();
    await clock.advanceAsync(21_000);
    const state = await session.finished;
    expect(state.phase).toBe("aborted");
    expect(session.getSnapshot().error).toBe("view exploded");
    expect(backend.ledger()).toEqual([]);
  });

  it("records a failed apply and carries on", async () => {
    backend.failApply.add(0);
    const session = make(setup("gameday"));
    await session.start();
    await clock.advanceAsync(10_000);
    expect(session.getState().faults[0]).toMatchObject({
      status: "failed",
      error: "proxy not found",
    });
  });

  it("lets a facilitator reveal signals and inject faults early", async () => {
    const session = make(setup("gameday"));
    await session.start();
    await clock.advanceAsync(1_000);
    expect((await session.dispatch({ type: "injectNextFault" })).ok).toBe(true);
    expect(session.getState().faults[0]?.appliedT).toBe(1_000);
    expect((await session.dispatch({ type: "injectNextFault" })).ok).toBe(false);
    await session.dispatch({ type: "revealNextSignal" });
    expect(session.getState().signals[0]?.text).toBe("p99 latency > 1s");
    await clock.advanceAsync(30_000);
    // The timers of what was brought forward never fire a second time.
    expect(backend.calls.filter((c) => c.startsWith("apply"))).toHaveLength(1);
    expect(session.getState().signals.map((s) => s.index)).toEqual([1, 0]);
  });

  it("refuses actions that make no sense, with a reason", async () => {
    const session = make(setup("gameday"));
    expect(await session.dispatch({ type: "acknowledge" })).toEqual({
      ok: false,
      error: "the drill has not started yet",
    });
    await session.start();
    expect(await session.dispatch({ type: "completeStep" })).toEqual({
      ok: false,
      error: "select a procedure first",
    });
    expect((await session.dispatch({ type: "escalate", level: 7 })).ok).toBe(false);
    expect((await session.dispatch({ type: "takeHint" })).ok).toBe(false);
    await clock.advanceAsync(60_000);
    expect(await session.dispatch({ type: "takeHint" })).toEqual({ ok: true });
  });

  it("redacts secrets from journaled command output, streaming the output live", async () => {
    const env = { ...process.env, API_TOKEN: "s3cr3t-value-123" };
    const session = make(setup("gameday"), { env });
    const chunks: string[] = [];
    session.onOutput((c) => chunks.push(c.text));
    await session.start();
    const result = await session.dispatch({
      type: "runAdHocCommand",
      command: [process.execPath, "-e", "console.log('token is ' + process.env.API_TOKEN)"],
    });
    expect(result).toMatchObject({ ok: true, command: { exitCode: 0 } });
    expect(chunks.join("")).toContain("token is");
    expect(session.getSnapshot().output).toEqual(["token is s3cr3t-value-123"]);
    await session.shutdown("done");
    const journal = readJournal(session.getSnapshot().journalPath ?? "");
    const ran = journal.events.find((e) => e.event.type === "command.ran")?.event;
    expect(ran).toMatchObject({ offRunbook: true, outputTail: "token is [redacted API_TOKEN]" });
  });

  it("cancels a running command", async () => {
    const session = make(setup("gameday"));
    await session.start();
    const running = session.dispatch({
      type: "runAdHocCommand",
      command: [process.execPath, "-e", "setTimeout(() => {}, 20000)"],
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(session.getSnapshot().running).not.toBeNull();
    expect((await session.dispatch({ type: "cancelCommand" })).ok).toBe(true);
    expect(await running).toMatchObject({
      ok: true,
      command: { cancelled: true, exitCode: null, failure: "cancelled" },
    });
    expect(session.getState().commands[0]).toMatchObject({ cancelled: true });
  });

  it("kills a command at its timeout and says so in the same words as a probe", async () => {
    const session = make(setup("gameday"));
    await session.start();
    const result = await session.dispatch({
      type: "runAdHocCommand",
      command: [process.execPath, "-e", "setTimeout(() => {}, 20000)"],
      timeoutMs: 300,
    });
    expect(result).toMatchObject({
      ok: true,
      command: { timedOut: true, exitCode: null, failure: "timed out after 300ms" },
    });
  });

  it("runs a tabletop drill on the simulated backend, revealing outcomes", async () => {
    const tabletop = createFaultBackend({
      drillId: "tt1",
      mode: "tabletop",
      ledgerPath: join(dir, "tt1.ledger.json"),
    });
    const session = make(setup("tabletop"), { backend: tabletop });
    await session.start();
    await clock.advanceAsync(20_000);
    expect(session.getState().faults[0]?.status).toBe("active");
    expect(session.getState().timings.ttd).toBe(10_000);
    await session.dispatch({ type: "acknowledge" });
    await session.dispatch({ type: "selectProcedure", procedure: "db-slow" });
    await session.dispatch({ type: "completeStep" });
    await clock.advanceAsync(10_000);
    await session.dispatch({ type: "completeStep" });
    const state = await session.finished;
    expect(state.phase).toBe("recovered");
    expect(state.timings.ttr).toBe(20_000);
    expect(state.procedures[0]?.steps[1]?.outcome).toBe("Replica promoted.");
    expect(tabletop.ledger()).toEqual([]);
  });
});

describe("tabletop touches nothing", () => {
  /** A command that would leave a file behind if it ever ran. */
  const touch = (file: string) => [
    process.execPath,
    "-e",
    `require("node:fs").writeFileSync(${JSON.stringify(file)}, "ran")`,
  ];

  it("records a step's command and an ad-hoc command as not run, with the step's outcome", async () => {
    const stepFile = join(dir, "step-ran");
    const adHocFile = join(dir, "adhoc-ran");
    const tabletop = createFaultBackend({
      drillId: "tt2",
      mode: "tabletop",
      ledgerPath: join(dir, "tt2.ledger.json"),
    });
    const s = {
      ...setup("tabletop"),
      runbook: runbook({
        procedures: [
          {
            id: "db-slow",
            title: "Database slow",
            steps: [{ id: "failover", kind: "action", title: "Fail over", run: touch(stepFile) }],
          },
        ],
      }),
    };
    const session = make(s, { backend: tabletop });
    await session.start();
    await session.dispatch({ type: "selectProcedure", procedure: "db-slow" });
    const step = await session.dispatch({ type: "runStepCommand" });
    const adHoc = await session.dispatch({ type: "runAdHocCommand", command: touch(adHocFile) });
    expect(step).toMatchObject({ ok: true, command: { exitCode: null, notRun: "tabletop" } });
    expect(adHoc).toMatchObject({ ok: true, command: { notRun: "tabletop" } });
    await session.shutdown("done");

    expect(existsSync(stepFile)).toBe(false);
    expect(existsSync(adHocFile)).toBe(false);
    const ran = readJournal(session.getSnapshot().journalPath ?? "")
      .events.filter((e) => e.event.type === "command.ran")
      .map((e) => e.event);
    expect(ran).toEqual([
      expect.objectContaining({
        step: "failover",
        notRun: "tabletop",
        outcome: "Replica promoted.",
        offRunbook: false,
      }),
      expect.objectContaining({ notRun: "tabletop", offRunbook: true }),
    ]);
    expect(describeEvent(ran[0]!)).toMatch(/: not run \(tabletop\) → Replica promoted\.$/);
    // Nothing ran, so the step never showed as running.
    expect(types(session)).not.toContain("step.started");
  });
});

describe("a journal that cannot be written", () => {
  /** A sink that fails like a full disk from the first line of type `from` on (never: summary only). */
  function fullDisk(from: string) {
    const lines: string[] = [];
    let closed = false;
    let full = false;
    const sink = {
      path: join(dir, "drill.jsonl"),
      event(timed: { event: { type: string } }) {
        full ||= timed.event.type === from;
        if (full) {
          throw Object.assign(new Error("ENOSPC: no space left on device, write"), {
            code: "ENOSPC",
            syscall: "write",
          });
        }
        lines.push(timed.event.type);
      },
      summary() {
        throw Object.assign(new Error("ENOSPC: no space left on device, write"), {
          code: "ENOSPC",
        });
      },
      close() {
        closed = true;
      },
    };
    return { sink, lines, closed: () => closed };
  }

  it("stops the drill, reverts every fault, and names the file and the reason", async () => {
    const disk = fullDisk("fault.applied");
    const session = make(setup("gameday"), { openJournal: () => disk.sink });
    await session.start();
    // The fault's own line is the first that does not fit.
    await clock.advanceAsync(10_000);
    const state = await session.finished;
    expect(state.phase).toBe("aborted");
    expect(backend.ledger()).toEqual([]);
    expect(backend.calls).toContain("revert 0 (aborted)");
    const snapshot = session.getSnapshot();
    expect(snapshot.status).toBe("finished");
    expect(snapshot.stop).toEqual({
      kind: "journal",
      path: join(dir, "drill.jsonl"),
      error: "ENOSPC: no space left on device, write",
    });
    const outcome = endedOutcome(snapshot);
    expect(exitCodeOf(outcome)).toBe(1);
    expect(closingLines(outcome)[0]).toBe(
      `could not write the journal ${join(dir, "drill.jsonl")}: ENOSPC: no space left on device, write; the drill was stopped and 1 fault reverted`,
    );
    expect(disk.closed()).toBe(true);
  });

  it("still finishes when only the summary does not fit", async () => {
    const disk = fullDisk("never");
    const session = make(setup("gameday"), { openJournal: () => disk.sink });
    await session.start();
    await clock.advanceAsync(11_000);
    const state = await session.shutdown("SIGTERM");
    expect(state.phase).toBe("aborted");
    expect(backend.ledger()).toEqual([]);
    expect(disk.lines.at(-1)).toBe("fault.reverted");
    expect(session.getSnapshot().stop).toMatchObject({ kind: "journal" });
    expect(session.getSnapshot().status).toBe("finished");
  });

  it("exits 3 and says what is still applied when a revert fails too", async () => {
    const disk = fullDisk("fault.applied");
    backend.failRevert = true;
    const session = make(setup("gameday"), { openJournal: () => disk.sink });
    await session.start();
    await clock.advanceAsync(10_000);
    await session.finished;
    const outcome = endedOutcome(session.getSnapshot(), "http://127.0.0.1:8474");
    expect(exitCodeOf(outcome)).toBe(3);
    expect(closingLines(outcome).slice(1)).toEqual([
      "NOT reverted, still applied: fault 0: proxy gone",
      "remove it from this directory with: firedrill cleanup --url http://127.0.0.1:8474",
    ]);
  });
});

describe("a command still running when the drill recovers", () => {
  it("is let finish and journaled with its exit code, so the step it ran counts as done", async () => {
    // The failover lands at once, but the process takes 4.5 s more to exit, as a loaded machine
    // can make it: the recovery probe (3 passes, 1 s apart) sees the service healthy before that.
    const runCommand: SessionDeps["runCommand"] = async (spec) => {
      await backend.revert(0, "failed over");
      await new Promise<void>((done) => clock.setTimeout(done, 4_500));
      if (spec.signal?.aborted) {
        return { exitCode: null, timedOut: false, cancelled: true, output: "", durationMs: 4_500 };
      }
      return { exitCode: 0, timedOut: false, cancelled: false, output: "ok\n", durationMs: 4_500 };
    };
    const session = make(setup("gameday"), { runCommand });
    await session.start();
    await clock.advanceAsync(12_000);
    await session.dispatch({ type: "acknowledge" });
    await session.dispatch({ type: "selectProcedure", procedure: "db-slow" });
    await session.dispatch({ type: "completeStep" });
    const running = session.dispatch({ type: "runStepCommand", step: "failover" });
    await clock.advanceAsync(3_500);
    expect(session.getState().phase).toBe("recovered");
    await clock.advanceAsync(1_500);
    await running;
    await session.finished;
    const ran = session.getState().events.find((e) => e.event.type === "command.ran")?.event;
    expect(ran).toMatchObject({ type: "command.ran", exitCode: 0, step: "failover" });
    expect(ran).not.toHaveProperty("cancelled");
  });
});
