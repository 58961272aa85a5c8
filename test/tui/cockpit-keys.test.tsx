import { render } from "ink-testing-library";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type CockpitUi,
  cockpitKey,
  initialCockpitUi,
  syncCockpitUi,
} from "../../src/tui/cockpit-state.js";
import type { KeyPress } from "../../src/tui/keys.js";
import { CockpitScreen } from "../../src/tui/screens/cockpit-screen.js";
import { Drill, KEY, listening, RecordingPort, tick, until } from "./fixtures.js";

let drill: Drill;
beforeEach(async () => {
  drill = await new Drill("tabletop").start();
  await drill.clock.advanceAsync(60_000);
});
afterEach(async () => {
  await drill.close();
});

const none: KeyPress = {};
function press(ui: CockpitUi, text: string, key: KeyPress = none) {
  return cockpitKey(ui, drill.port.snapshot(), text, key);
}

async function onSteps(): Promise<CockpitUi> {
  await drill.act({ type: "selectProcedure", procedure: "db-latency" });
  return { ...initialCockpitUi, browsing: false, cursor: 0 };
}

describe("cockpit keys (reducer)", () => {
  it("Enter on the procedure list selects the procedure", () => {
    const step = press(initialCockpitUi, "\r", { return: true });
    expect(step.action).toEqual({ type: "selectProcedure", procedure: "db-latency" });
    expect(step.ui.browsing).toBe(false);
  });

  it("p lists the procedures again; Enter on the chosen one only shows its steps", async () => {
    const ui = await onSteps();
    const list = press({ ...ui, cursor: 3 }, "p").ui;
    expect(list).toMatchObject({ browsing: true, cursor: 0 });
    const back = press(list, "\r", { return: true });
    expect(back.action).toBeUndefined();
    expect(back.ui.browsing).toBe(false);
    const other = press({ ...list, cursor: 1 }, "\r", { return: true });
    expect(other.action).toEqual({ type: "selectProcedure", procedure: "pool-exhaustion" });
  });

  it("↓/j and ↑/k move the cursor within the list", async () => {
    const ui = await onSteps();
    expect(press(ui, "j").ui.cursor).toBe(1);
    expect(press(ui, "", { downArrow: true }).ui.cursor).toBe(1);
    expect(press({ ...ui, cursor: 2 }, "k").ui.cursor).toBe(1);
    expect(press(ui, "k").ui.cursor).toBe(0);
    expect(press({ ...ui, cursor: 5 }, "j").ui.cursor).toBe(5);
  });

  it("Enter/space completes the step with its note; s skips; both advance the cursor", async () => {
    const ui = { ...(await onSteps()), notes: { "db-latency/check-status": "dashboards agree" } };
    const done = press(ui, " ");
    expect(done.action).toEqual({
      type: "completeStep",
      step: "check-status",
      note: "dashboards agree",
    });
    expect(done.ui.cursor).toBe(1);
    expect(done.ui.notes).toEqual({});
    expect(press({ ...ui, cursor: 1 }, "s").action).toEqual({
      type: "skipStep",
      step: "check-pool",
    });
  });

  it("a note on a skipped step becomes the skip's reason", async () => {
    const ui = {
      ...(await onSteps()),
      cursor: 1,
      notes: { "db-latency/check-pool": "pool is a symptom" },
    };
    expect(press(ui, "s").action).toEqual({
      type: "skipStep",
      step: "check-pool",
      reason: "pool is a symptom",
    });
  });

  it("a finished step is not completed again", async () => {
    const ui = await onSteps();
    await drill.act({ type: "completeStep", step: "check-status" });
    const step = press(ui, "\r", { return: true });
    expect(step.action).toBeUndefined();
    expect(step.ui.flash).toContain("already done");
  });

  it("r asks before running the step's command, then dispatches it", async () => {
    const ui = await onSteps();
    const ask = press(ui, "r");
    expect(ask.action).toBeUndefined();
    expect(ask.ui.overlay).toMatchObject({ kind: "confirmRun", step: "check-status" });
    expect(cockpitKey(ask.ui, drill.port.snapshot(), "n", none)).toMatchObject({
      ui: { overlay: null },
    });
    expect(cockpitKey(ask.ui, drill.port.snapshot(), "y", none).action).toEqual({
      type: "runStepCommand",
      step: "check-status",
    });
    expect(press({ ...ui, cursor: 1 }, "r").ui.flash).toContain("no command");
  });

  it("moves on once the step whose command it ran is done, as Space would; not before", async () => {
    const ui = await onSteps();
    const ran = cockpitKey(press(ui, "r").ui, drill.port.snapshot(), "y", none).ui;
    expect(syncCockpitUi(ran, drill.port.snapshot().state).cursor).toBe(0);
    // A command exiting 0 completes its step in the engine.
    await drill.act({ type: "completeStep", step: "check-status" });
    const after = syncCockpitUi(ran, drill.port.snapshot().state);
    expect(after.cursor).toBe(1);
    // Pressing s now skips the next step, not the one just done.
    expect(press(after, "s").action).toMatchObject({ type: "skipStep", step: "check-pool" });
  });

  it("n writes a note that rides on the step's completion", async () => {
    let ui = press(await onSteps(), "n").ui;
    for (const ch of "slow") ui = cockpitKey(ui, drill.port.snapshot(), ch, none).ui;
    ui = cockpitKey(ui, drill.port.snapshot(), "\r", { return: true }).ui;
    expect(ui.notes).toEqual({ "db-latency/check-status": "slow" });
    expect(press(ui, "\r", { return: true }).action).toMatchObject({ note: "slow" });
  });

  it("! prompts for an ad-hoc command run through the shell", () => {
    let ui = press(initialCockpitUi, "!").ui;
    for (const ch of "uptime") ui = cockpitKey(ui, drill.port.snapshot(), ch, none).ui;
    const run = cockpitKey(ui, drill.port.snapshot(), "\r", { return: true });
    expect(run.action).toEqual({ type: "runAdHocCommand", command: "uptime", shell: true });
    expect(cockpitKey(ui, drill.port.snapshot(), "", { escape: true }).action).toBeUndefined();
  });

  it("h shows the hint's cost first, y takes it", () => {
    const ask = press(initialCockpitUi, "h");
    expect(ask.ui.overlay).toEqual({ kind: "confirmHint", hint: 0, cost: 5 });
    expect(cockpitKey(ask.ui, drill.port.snapshot(), "y", none).action).toEqual({
      type: "takeHint",
      hint: 0,
    });
  });

  it("a acknowledges once; m declares mitigated", async () => {
    expect(press(initialCockpitUi, "a").action).toEqual({ type: "acknowledge" });
    await drill.act({ type: "acknowledge" });
    expect(press(initialCockpitUi, "a").ui.flash).toContain("already acknowledged");
    expect(press(initialCockpitUi, "m").action).toEqual({ type: "declareMitigated" });
  });

  it("e picks an escalation level by cursor or digit", () => {
    const open = press(initialCockpitUi, "e").ui;
    expect(open.overlay).toEqual({ kind: "escalate", cursor: 0 });
    const down = cockpitKey(open, drill.port.snapshot(), "j", none).ui;
    expect(cockpitKey(down, drill.port.snapshot(), "\r", { return: true }).action).toEqual({
      type: "escalate",
      level: 2,
    });
    expect(cockpitKey(open, drill.port.snapshot(), "3", none).action).toEqual({
      type: "escalate",
      level: 3,
    });
  });

  it("x confirms before aborting", () => {
    const ask = press(initialCockpitUi, "x");
    expect(ask.action).toBeUndefined();
    expect(cockpitKey(ask.ui, drill.port.snapshot(), "y", none).action).toMatchObject({
      type: "abort",
    });
    expect(cockpitKey(ask.ui, drill.port.snapshot(), "", { escape: true }).action).toBeUndefined();
  });

  it("Esc cancels a running command and does nothing otherwise", () => {
    expect(press(initialCockpitUi, "", { escape: true }).action).toBeUndefined();
    const running = {
      ...drill.port.snapshot(),
      command: { command: "sleep 9", offRunbook: true, startedAt: 0, output: [], running: true },
    };
    expect(cockpitKey(initialCockpitUi, running, "", { escape: true }).action).toEqual({
      type: "cancelCommand",
    });
  });

  it("? opens the help and any key closes it", () => {
    const help = press(initialCockpitUi, "?").ui;
    expect(help.overlay).toEqual({ kind: "help" });
    expect(cockpitKey(help, drill.port.snapshot(), "a", none)).toEqual({
      ui: { ...help, overlay: null, flash: null },
    });
  });

  it("R and F are the facilitator's: they do nothing on the responder's cockpit", () => {
    const facilitator = { ...drill.port.snapshot(), facilitator: true };
    expect(cockpitKey(initialCockpitUi, facilitator, "R", none).action).toEqual({
      type: "revealNextSignal",
    });
    expect(cockpitKey(initialCockpitUi, facilitator, "F", none).action).toEqual({
      type: "injectNextFault",
    });
    expect(press(initialCockpitUi, "R").action).toBeUndefined();
    expect(press(initialCockpitUi, "F").action).toBeUndefined();
  });
});

describe("cockpit screen", () => {
  it("turns keystrokes into engine actions and shows the engine's refusal", async () => {
    const port = new RecordingPort(drill.port.snapshot(), 60_000);
    const app = render(<CockpitScreen port={port} cols={100} rows={30} keysActive />);
    await listening(app.stdin);
    app.stdin.write(KEY.enter);
    await tick();
    app.stdin.write("a");
    await tick();
    app.stdin.write("h");
    await until(() => (app.lastFrame() ?? "").includes("costs 5 points"), "the hint's cost");
    app.stdin.write("y");
    await until(() => port.dispatched.length === 3, "three actions");
    expect(port.dispatched).toEqual([
      { type: "selectProcedure", procedure: "db-latency" },
      { type: "acknowledge" },
      { type: "takeHint", hint: 0 },
    ]);
    port.set({ ...port.current, notice: "no hint is available yet" });
    await until(
      () => (app.lastFrame() ?? "").includes("! no hint is available yet"),
      "the refusal",
    );
    app.unmount();
  });

  it("follows the real engine: completing steps in tabletop reveals outcomes and recovers", async () => {
    const app = render(<CockpitScreen port={drill.port} cols={100} rows={30} keysActive />);
    await listening(app.stdin);
    app.stdin.write(KEY.enter);
    await until(() => drill.state.selectedProcedure === "db-latency", "the procedure");
    app.stdin.write(" ");
    await until(
      () => (app.lastFrame() ?? "").includes("Outcome · check-status"),
      "the outcome in the command pane",
    );
    expect(app.lastFrame()).toContain("/admin/status shows db latency");
    // The cursor moved on; back on the checked step, its detail shows what the check revealed.
    app.stdin.write("k");
    await until(
      () => (app.lastFrame() ?? "").includes("↳ /admin/status shows db latency"),
      "the outcome under the step",
    );
    app.stdin.write("j");
    await tick(50);
    app.stdin.write("s");
    await tick(50);
    app.stdin.write(" ");
    await until(() => drill.state.phase === "recovered", "recovery");
    app.unmount();
  });
});
