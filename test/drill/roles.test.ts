import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../src/drill/clock.js";
import { notesLines } from "../../src/drill/event-text.js";
import type { Actor } from "../../src/drill/events.js";
import { JournalWriter, readJournal } from "../../src/drill/journal.js";
import { readJournalFiles } from "../../src/drill/journal-reader.js";
import { createSession, type DrillSession } from "../../src/drill/session.js";
import type { DrillSetup } from "../../src/drill/state.js";
import { drillRow, renderCsv, renderJunit } from "../../src/history/exports.js";
import { renderHtml } from "../../src/history/render-html.js";
import { renderMarkdown } from "../../src/history/render-md.js";
import { buildDrillReport } from "../../src/history/report-model.js";
import { headerView } from "../../src/tui/cockpit-view.js";
import { setup } from "./builders.js";
import { RecordingBackend } from "./fake-backend.js";

let dir: string;
let clock: FakeClock;
const sessions: DrillSession[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "firedrill-roles-"));
  clock = new FakeClock();
});

afterEach(async () => {
  for (const s of sessions.splice(0)) await s.shutdown("test over");
  rmSync(dir, { recursive: true, force: true });
});

function make(s: DrillSetup): DrillSession {
  const session = createSession(s, "r0le5000", {
    clock,
    scheduler: clock,
    backend: new RecordingBackend(),
    wallClock: () => Date.parse("2026-11-25T01:02:03.000Z") + clock.now(),
    openJournal: (startedAt) =>
      JournalWriter.create(dir, {
        drillId: "r0le5000",
        startedAt: startedAt.toISOString(),
        firedrillVersion: "test",
        mode: s.mode,
        responder: s.responder,
        scenario: { id: s.scenario.id, title: s.scenario.title, service: s.scenario.service },
        targets: s.scenario.targets,
      }),
    tickMs: 0,
  });
  sessions.push(session);
  return session;
}

/** `type by actor` for every event so far. */
const attributed = (session: DrillSession) =>
  session.getState().events.map((e) => `${e.event.type} by ${e.actor}`);

describe("roles in the drill engine", () => {
  it("journals who did what: firedrill's timers, the facilitator's reveal and inject, the responder, the scribe", async () => {
    const session = make(setup("tabletop"));
    await session.start();
    expect((await session.dispatch({ type: "injectNextFault" })).ok).toBe(true);
    expect((await session.dispatch({ type: "revealNextSignal" })).ok).toBe(true);
    await session.dispatch({ type: "acknowledge" });
    await session.dispatch({ type: "note", text: "paged the DBA", tag: "decision" }, "scribe");
    await session.dispatch(
      { type: "note", text: "alert should name the pool", tag: "action" },
      "scribe",
    );
    await clock.advanceAsync(30_000);
    await session.dispatch({ type: "abort", reason: "enough" }, "facilitator");
    await session.finished;

    expect(attributed(session)).toEqual([
      "drill.started by firedrill",
      "fault.applied by facilitator",
      "signal.shown by facilitator",
      "acknowledged by responder",
      "note by scribe",
      "note by scribe",
      // the log signal's timer; the alert was already revealed
      "signal.shown by firedrill",
      "aborted by facilitator",
      "fault.reverted by firedrill",
    ]);
    // The journal keeps the actors, and the debrief lists the action item.
    const path = session.getSnapshot().journalPath ?? "";
    const actors = readJournal(path).events.map((e) => e.actor);
    expect(actors).toEqual(session.getState().events.map((e) => e.actor));
    expect(notesLines(session.getState().notes)).toEqual([
      "notes:",
      "  [   0.0s] scribe: decision: paged the DBA",
      "action items:",
      "  - alert should name the pool (scribe, [   0.0s])",
    ]);
    expect(session.getState().events.find((e) => e.event.type === "aborted")?.event).toEqual({
      type: "aborted",
      by: "facilitator",
      reason: "enough",
    });
  });

  it("refuses an action to a role it does not belong to", async () => {
    const session = make(setup("tabletop"));
    await session.start();
    const tries: [Actor, Parameters<DrillSession["dispatch"]>[0]][] = [
      ["scribe", { type: "acknowledge" }],
      ["scribe", { type: "revealNextSignal" }],
      ["facilitator", { type: "acknowledge" }],
      ["responder", { type: "injectNextFault" }],
      ["responder", { type: "giveHint" }],
    ];
    const answers = [];
    for (const [actor, action] of tries) answers.push(await session.dispatch(action, actor));
    expect(answers).toEqual([
      { ok: false, error: "the scribe can only write notes" },
      { ok: false, error: "the scribe can only write notes" },
      { ok: false, error: "that is the responder's to do" },
      { ok: false, error: "that is the facilitator's to do" },
      { ok: false, error: "that is the facilitator's to do" },
    ]);
    expect(session.getState().faults[0]?.status).toBe("pending");
  });

  it("a hint the facilitator gives costs as one taken, even before it is due", async () => {
    const session = make(setup("tabletop"));
    await session.start();
    await clock.advanceAsync(10_000);
    // The scenario's hint opens at 1m: the responder cannot take it yet, the facilitator can give it.
    expect(await session.dispatch({ type: "takeHint" })).toMatchObject({ ok: false });
    expect(await session.dispatch({ type: "giveHint" })).toEqual({ ok: true });
    expect(await session.dispatch({ type: "giveHint" })).toEqual({
      ok: false,
      error: "no hints left",
    });
    await session.dispatch({ type: "endDrill", reason: "out of time" });
    const state = await session.finished;
    expect(state.result?.outcome).toBe("not-recovered");
    const hints = state.result?.breakdown.find((b) => b.key === "hints");
    expect(hints).toMatchObject({
      points: -10,
      detail: "1 hint taken (1 given by the facilitator), -10",
    });
    // Ended by the facilitator: not recovered, but not the responder's abort either.
    expect(state.result?.breakdown.find((b) => b.key === "stop")?.points).toBe(0);
  });

  it("a paused tabletop clock holds every timer and the responder's actions; paused time is not drill time", async () => {
    const session = make(setup("tabletop"));
    await session.start();
    await clock.advanceAsync(5_000);
    expect(await session.dispatch({ type: "pauseClock", reason: "discuss" })).toEqual({ ok: true });
    await clock.advanceAsync(60_000);
    // The fault at 10s did not land: the drill clock stands at 5s.
    expect(session.getState().faults[0]?.status).toBe("pending");
    expect(session.now()).toBe(5_000);
    // The responder's header says so first.
    expect(headerView(session.getState(), session.now()).phase).toBe("PAUSED");
    expect(await session.dispatch({ type: "acknowledge" })).toEqual({
      ok: false,
      error: "the facilitator paused the clock; wait until it runs again",
    });
    expect(await session.dispatch({ type: "note", text: "talked it over" }, "scribe")).toEqual({
      ok: true,
    });
    expect(await session.dispatch({ type: "resumeClock" })).toEqual({ ok: true });
    await clock.advanceAsync(5_000);
    const applied = session.getState().events.find((e) => e.event.type === "fault.applied");
    expect(applied?.t).toBe(10_000);
    const resumed = session.getState().events.find((e) => e.event.type === "clock.resumed");
    expect(resumed).toMatchObject({ t: 5_000, actor: "facilitator", event: { pausedMs: 60_000 } });
  });

  it("a gameday's clock cannot be paused: its faults are real", async () => {
    const session = make(setup("gameday"));
    await session.start();
    expect(await session.dispatch({ type: "pauseClock" })).toEqual({
      ok: false,
      error: "only a tabletop's clock can be paused: a gameday's faults are real and keep acting",
    });
  });

  it("puts the scribe's action item and the facilitator's interventions in every report", async () => {
    const session = make(setup("tabletop"));
    await session.start();
    await session.dispatch({ type: "injectNextFault" }, "facilitator");
    await session.dispatch({ type: "revealNextSignal" }, "facilitator");
    await clock.advanceAsync(12_000);
    await session.dispatch(
      { type: "note", text: "alert lacked the pool name", tag: "observation" },
      "scribe",
    );
    await session.dispatch(
      { type: "note", text: "add pool size to the alert", tag: "action" },
      "scribe",
    );
    await session.dispatch({ type: "endDrill", reason: "time is up" }, "facilitator");
    await session.finished;
    const { drills } = readJournalFiles([session.getSnapshot().journalPath ?? ""], {
      keepEvents: true,
    });
    const drill = drills[0];
    if (!drill) throw new Error("the journal was not read");
    const report = buildDrillReport(drill, [drill], null);
    const md = renderMarkdown(report);
    expect(md).toContain("- [ ] add pool size to the alert (scribe, at +12s) Owner: … Due: …");
    expect(md).toMatch(/\| \+0s +\| facilitator \| fault applied: /);
    expect(md).toMatch(/\| \+12s +\| scribe +\| observation: alert lacked the pool name/);
    expect(md).toMatch(/\| facilitator \| ENDED by facilitator: time is up/);
    expect(renderHtml(report)).toContain("add pool size to the alert (scribe, at +12s)");
    expect(drillRow(drill)).toMatchObject({
      outcome: "not-recovered",
      actionItems: ["add pool size to the alert (scribe, at +12s)"],
      facilitatorActions: 3,
    });
    expect(renderCsv([drill])).toContain(',"add pool size to the alert (scribe, at +12s)",3,');
    expect(renderJunit([drill])).toContain(
      '<property name="actionItems" value="add pool size to the alert (scribe, at +12s)"/>',
    );
  });
});
