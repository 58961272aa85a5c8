import { describe, expect, it } from "vitest";
import type { TimedEvent } from "../../src/drill/events.js";
import { replay } from "../../src/drill/reducer.js";
import type { DrillState } from "../../src/drill/state.js";
import type { Mode } from "../../src/model/scenario.js";
import { clip } from "../../src/platform/text-table.js";
import { briefingKey, initialBriefingUi } from "../../src/tui/briefing-state.js";
import { modeSwitch } from "../../src/tui/briefing-view.js";
import { type CockpitUi, initialCockpitUi } from "../../src/tui/cockpit-state.js";
import {
  commandShown,
  lastOutcome,
  paneActivity,
  stepDetailLines,
  stepOutcome,
} from "../../src/tui/cockpit-view.js";
import type { CatalogEntry, LiveCommand } from "../../src/tui/drill-port.js";
import { ago, clock, daysAgo, wrap } from "../../src/tui/format.js";
import {
  COCKPIT_KEYS,
  cockpitKeys,
  footerItems,
  type KeyPress,
  keyLabel,
  match,
  PICKER_KEYS,
} from "../../src/tui/keys.js";
import { cockpitLayout, windowAround } from "../../src/tui/layout.js";
import { editLine, emptyLine, lineOf } from "../../src/tui/line-edit.js";
import { paneView } from "../../src/tui/pane-view.js";
import {
  filterEntries,
  initialPickerUi,
  pickerKey,
  pickerSelection,
} from "../../src/tui/picker-state.js";
import { failedPreflight, preflightText, wantsPreflight } from "../../src/tui/preflight-view.js";
import { keystrokes } from "../../src/tui/use-keys.js";
import { sampleRunbook, sampleScenario } from "./fixtures.js";

const none: KeyPress = {};
const enter: KeyPress = { return: true };
const esc: KeyPress = { escape: true };

describe("keys", () => {
  it("maps characters, named keys and ctrl chords, and nothing else", () => {
    expect(match(COCKPIT_KEYS, "j", none)).toBe("down");
    expect(match(COCKPIT_KEYS, "", { downArrow: true })).toBe("down");
    expect(match(COCKPIT_KEYS, " ", none)).toBe("complete");
    expect(match(COCKPIT_KEYS, "\r", enter)).toBe("complete");
    expect(match(COCKPIT_KEYS, "s", { ctrl: true })).toBeUndefined();
    expect(match(PICKER_KEYS, "u", { ctrl: true })).toBe("clear");
    expect(match(COCKPIT_KEYS, "Z", none)).toBeUndefined();
  });

  it("has no key bound twice on a screen", () => {
    const labels = COCKPIT_KEYS.flatMap((b) => b.keys.map(keyLabel));
    expect(new Set(labels).size).toBe(labels.length);
  });

  it("shows every cockpit binding in the footer, facilitator keys only to a tabletop facilitator", () => {
    const tabletop = footerItems(cockpitKeys("tabletop", true)).join(" · ");
    for (const word of [
      "move",
      "done",
      "skip",
      "run",
      "note",
      "hint",
      "ack",
      "escalate",
      "mitigated",
      "abort",
      "help",
      "reveal",
      "inject",
    ])
      expect(tabletop).toContain(word);
    const gameday = footerItems(cockpitKeys("gameday", true)).join(" · ");
    expect(gameday).not.toContain("reveal");
    expect(gameday).not.toContain("inject");
    const responder = footerItems(cockpitKeys("tabletop")).join(" · ");
    expect(responder).not.toContain("reveal");
    expect(responder).not.toContain("inject");
    expect(match(cockpitKeys("tabletop"), "F", none)).toBeUndefined();
    expect(match(cockpitKeys("tabletop"), "R", none)).toBeUndefined();
  });
});

describe("line editing", () => {
  it("types, pastes, moves the caret, erases and clears", () => {
    let line = editLine(emptyLine, "kubectl", none);
    line = editLine(line, " get pods", none);
    expect(line).toEqual({ text: "kubectl get pods", caret: 16 });
    line = editLine(line, "", { leftArrow: true });
    line = editLine(line, "", { backspace: true });
    expect(line.text).toBe("kubectl get pos");
    line = editLine(line, "w", { ctrl: true });
    expect(line.text).toBe("kubectl get s");
    expect(editLine(line, "u", { ctrl: true })).toEqual(emptyLine);
    expect(editLine(lineOf("a"), "\r", enter)).toEqual(lineOf("a"));
    expect(editLine(lineOf("a"), "\u001b[Z", none).text).toBe("a[Z");
  });
});

describe("format", () => {
  it("formats the clock, ages and dates", () => {
    expect(clock(0)).toBe("00:00");
    expect(clock(125_999)).toBe("02:05");
    expect(clock(3_723_000)).toBe("1:02:03");
    expect(ago(400)).toBe("now");
    expect(ago(42_000)).toBe("42s");
    expect(ago(190_000)).toBe("3m");
    const now = Date.parse("2026-11-25T12:00:00Z");
    expect(daysAgo(undefined, now)).toBe("never");
    expect(daysAgo("2026-11-25T08:00:00Z", now)).toBe("today");
    expect(daysAgo("2026-11-20T08:00:00Z", now)).toBe("5d ago");
  });

  it("clips and wraps inside the width", () => {
    expect(clip("abcdef", 4)).toBe("abc…");
    expect(clip("ab", 4)).toBe("ab");
    const lines = wrap("one two three\nfour five six seven\n\nnext paragraph", 10);
    expect(lines).toEqual(["one two", "three four", "five six", "seven", "", "next", "paragraph"]);
    expect(wrap("a b c d e f g h", 3, 2)).toEqual(["a b", "c …"]);
  });
});

describe("layout", () => {
  it("fills exactly rows-1 lines at any size", () => {
    for (const [cols, rows] of [
      [80, 24],
      [120, 40],
      [200, 60],
      [60, 16],
    ] as const) {
      const l = cockpitLayout(cols, rows, 2, { probes: 2, signals: 3, runbook: 10, pane: 1 });
      expect(l.header + l.body + l.bottom + l.footer).toBe(rows - 1);
      expect(l.leftWidth + l.rightWidth).toBe(cols);
      expect(l.signals + l.probes + l.facilitator).toBe(l.body);
    }
  });

  it("keeps the cursor in the window", () => {
    expect(windowAround(5, 3, 10)).toEqual({ start: 0, end: 5 });
    expect(windowAround(30, 0, 10)).toEqual({ start: 0, end: 10 });
    expect(windowAround(30, 29, 10)).toEqual({ start: 20, end: 30 });
    const mid = windowAround(30, 15, 10);
    expect(15).toBeGreaterThanOrEqual(mid.start);
    expect(15).toBeLessThan(mid.end);
  });
});

const entries: CatalogEntry[] = [
  {
    id: "checkout-db-latency",
    title: "Checkout DB slow",
    service: "checkout-api",
    owner: "team-checkout",
    severity: "sev2",
    modes: ["tabletop", "gameday"],
    tags: ["database"],
    targetTtr: 240_000,
  },
  {
    id: "payments-provider-timeout",
    title: "Payments timeout",
    service: "payments-gateway",
    owner: "team-payments",
    severity: "sev1",
    modes: ["tabletop"],
    tags: [],
    targetTtr: 300_000,
  },
  {
    id: "session-cache-resets",
    title: "Session cache resets",
    service: "session-cache",
    severity: "sev3",
    modes: ["gameday"],
    tags: ["redis"],
    targetTtr: 120_000,
  },
];

describe("picker", () => {
  it("filters by every word over id, service, owner and tags", () => {
    expect(filterEntries(entries, "").map((e) => e.id)).toHaveLength(3);
    expect(filterEntries(entries, "pay").map((e) => e.id)).toEqual(["payments-provider-timeout"]);
    expect(filterEntries(entries, "redis gameday").map((e) => e.id)).toEqual([
      "session-cache-resets",
    ]);
    expect(filterEntries(entries, "team-checkout database").map((e) => e.id)).toEqual([
      "checkout-db-latency",
    ]);
  });

  it("types into the filter, moves, chooses, opens history, clears then quits", () => {
    let step = pickerKey(initialPickerUi, entries, "", { downArrow: true });
    expect(step.ui.cursor).toBe(1);
    expect(pickerKey(step.ui, entries, "\r", enter).outcome).toEqual({
      kind: "choose",
      scenario: "payments-provider-timeout",
    });
    expect(pickerKey(step.ui, entries, "\t", { tab: true }).outcome).toEqual({
      kind: "history",
      scenario: "payments-provider-timeout",
    });
    step = pickerKey(step.ui, entries, "s", none);
    step = pickerKey(step.ui, entries, "e", none);
    step = pickerKey(step.ui, entries, "s", none);
    expect(step.ui).toMatchObject({ filter: { text: "ses" }, cursor: 0 });
    expect(pickerKey(step.ui, entries, "\r", enter).outcome).toEqual({
      kind: "choose",
      scenario: "session-cache-resets",
    });
    step = pickerKey(step.ui, entries, "", esc);
    expect(step.ui).toEqual(initialPickerUi);
    expect(step.outcome.kind).toBe("none");
    expect(pickerKey(step.ui, entries, "", esc).outcome.kind).toBe("quit");
    expect(pickerKey(initialPickerUi, [], "\r", enter).outcome.kind).toBe("none");
  });

  it("keeps the cursor on the last row shown when a filter shortens the list", () => {
    const ui = { filter: { text: "pay", caret: 3 }, cursor: 2 };
    const { shown, cursor, current } = pickerSelection(entries, ui);
    expect(shown).toHaveLength(1);
    expect(cursor).toBe(0);
    expect(current?.id).toBe("payments-provider-timeout");
    // Enter chooses the row the screen highlights, not nothing
    expect(pickerKey(ui, entries, "\r", enter).outcome).toEqual({
      kind: "choose",
      scenario: "payments-provider-timeout",
    });
  });
});

describe("briefing", () => {
  it("shows the scenario's modes in a fixed order, the chosen one in brackets", () => {
    expect(modeSwitch(["gameday", "tabletop"], "gameday")).toBe(" tabletop  [gameday]");
    expect(modeSwitch(["tabletop"], "tabletop")).toBe("[tabletop]");
  });
  const both = { modes: ["tabletop", "gameday"] as const, preflightOk: true };
  it("starts tabletop by default with the responder's name", () => {
    const ui = initialBriefingUi(["tabletop", "gameday"], "ana");
    expect(briefingKey(ui, both, "\r", enter).outcome).toEqual({
      kind: "start",
      mode: "tabletop",
      responder: "ana",
    });
  });

  it("switches mode among the scenario's modes only", () => {
    const ui = initialBriefingUi(["tabletop", "gameday"], "ana");
    const step = briefingKey(ui, both, "\t", { tab: true });
    expect(step.ui.mode).toBe("gameday");
    const only = briefingKey(
      initialBriefingUi(["tabletop"], "ana"),
      { modes: ["tabletop"], preflightOk: null },
      "\t",
      { tab: true },
    );
    expect(only.ui.mode).toBe("tabletop");
    expect(only.ui.flash).toContain("only runs as tabletop");
  });

  it("refuses gameday until the preflight passed, and an empty responder", () => {
    const ui = { ...initialBriefingUi(["tabletop", "gameday"], "ana"), mode: "gameday" as const };
    expect(briefingKey(ui, { ...both, preflightOk: null }, "\r", enter).outcome.kind).toBe("none");
    const failed = briefingKey(ui, { ...both, preflightOk: false }, "\r", enter);
    expect(failed.outcome.kind).toBe("none");
    expect(failed.ui.flash).toContain("preflight check failed");
    expect(briefingKey(ui, both, "\r", enter).outcome).toEqual({
      kind: "start",
      mode: "gameday",
      responder: "ana",
    });
    const nameless = initialBriefingUi(["tabletop"], "");
    expect(briefingKey(nameless, both, "\r", enter).ui.flash).toContain("responder");
  });

  it("edits the responder name and goes back on Esc", () => {
    let ui = initialBriefingUi(["tabletop"], "an");
    ui = briefingKey(ui, both, "a", none).ui;
    expect(ui.responder.text).toBe("ana");
    expect(briefingKey(ui, both, "", esc).outcome.kind).toBe("back");
  });
});

describe("keystroke bursts", () => {
  it("splits a burst of plain keys into keypresses and leaves escape sequences whole", () => {
    expect(keystrokes("\t\r", {})).toEqual([
      ["\t", { tab: true }],
      ["\r", { return: true }],
    ]);
    expect(keystrokes("as\u0003", {})).toEqual([
      ["a", {}],
      ["s", {}],
      ["c", { ctrl: true }],
    ]);
    expect(keystrokes("\u001b[A", { upArrow: true })).toEqual([["\u001b[A", { upArrow: true }]]);
    expect(keystrokes("j", {})).toEqual([["j", {}]]);
  });
});

describe("briefing mode from the command line", () => {
  it("starts on `run --mode` when the scenario allows it", () => {
    expect(initialBriefingUi(["tabletop", "gameday"], "ana", "gameday").mode).toBe("gameday");
    expect(initialBriefingUi(["tabletop"], "ana", "gameday").mode).toBe("tabletop");
    expect(initialBriefingUi(["gameday"], "ana").mode).toBe("gameday");
  });
});

describe("command pane room", () => {
  const needs = { signals: 6, probes: 2, runbook: 10, pane: 1 };
  it("gives a command's output every row the panels do not need, and the frame still fits", () => {
    const idle = cockpitLayout(120, 40, 2, needs);
    const busy = cockpitLayout(120, 40, 2, { ...needs, pane: 30, command: true });
    // The panels keep what they need (10 runbook lines, 6 signal lines and 2 probes).
    expect(busy.body).toBe(Math.max(10 + 3, 6 + 3 + 2 + 3));
    expect(busy.bottom).toBe(39 - 2 - 2 - busy.body);
    // 18 lines of output at 120×40, where the pane used to show 5.
    expect(busy.bottom - 3).toBe(18);
    // Idle, the pane takes its minimum and the panels the rest.
    expect(idle.bottom).toBe(5);
    for (const l of [idle, busy]) expect(l.header + l.body + l.bottom + l.footer).toBe(39);
  });

  it("on a short terminal the panels give output rows down to half the screen, not below", () => {
    const quiet = cockpitLayout(80, 24, 3, needs);
    const busy = cockpitLayout(80, 24, 3, { ...needs, command: true });
    expect(busy.bottom).toBeGreaterThan(quiet.bottom);
    expect(busy.body).toBeGreaterThanOrEqual(10);
    expect(busy.header + busy.body + busy.bottom + busy.footer).toBe(23);
  });
});

describe("what a checked step reveals, tabletop and gameday", () => {
  const scenario = sampleScenario();
  const runbook = sampleRunbook();
  const shownSteps: CockpitUi = { ...initialCockpitUi, browsing: false };
  function drillOf(mode: Mode, more: TimedEvent[] = []) {
    return replay({ scenario, runbook, mode, responder: "ana" }, [
      { t: 0, event: { type: "drill.started", mode, responder: "ana" } },
      { t: 1000, event: { type: "procedure.selected", procedure: "db-latency" } },
      ...more,
    ]);
  }
  const checked: TimedEvent = {
    t: 20_000,
    event: {
      type: "step.completed",
      procedure: "db-latency",
      step: "check-status",
      outcome: "replica idle and fast",
    },
  };
  const hint: TimedEvent = {
    t: 30_000,
    event: { type: "hint.taken", hint: 0, cost: 5, text: "compare the replica" },
  };
  const output = (startedAt: number, running = false): LiveCommand => ({
    command: ["curl", "-fsS", "localhost:18080/admin/status"],
    offRunbook: false,
    startedAt,
    output: ["db: 1020ms"],
    running,
    ...(running ? {} : { exitCode: 0, durationMs: 200 }),
  });
  const pane = (state: DrillState, command?: LiveCommand, ui = shownSteps) =>
    paneView({ state, ui, command, notice: undefined, elapsed: 40_000, width: 60 });

  it("tabletop: the engine's recorded outcome shows under the step and in the pane", () => {
    const state = drillOf("tabletop", [checked]);
    const step = state.procedures[0]?.steps[0];
    expect(step && stepOutcome(state, step)).toBe("replica idle and fast");
    expect(lastOutcome(state)).toEqual({
      t: 20_000,
      step: "check-status",
      text: "replica idle and fast",
    });
    expect(stepDetailLines(state, shownSteps, 60)).toContainEqual({
      text: "↳ replica idle and fast",
      tone: "good",
    });
    expect(pane(state)).toMatchObject({
      title: "Outcome · check-status",
      lines: [{ text: "replica idle and fast", tone: "good" }],
    });
  });

  it("tabletop: a step done without a recorded outcome, or skipped, reveals nothing", () => {
    const state = drillOf("tabletop", [
      {
        t: 20_000,
        event: { type: "step.completed", procedure: "db-latency", step: "check-status" },
      },
      { t: 21_000, event: { type: "step.skipped", procedure: "db-latency", step: "check-pool" } },
    ]);
    expect(lastOutcome(state)).toBeUndefined();
    expect(paneActivity(state, undefined)).toEqual({ kind: "idle" });
    expect(stepDetailLines(state, shownSteps, 60)?.some((l) => l.text.startsWith("↳"))).toBe(false);
  });

  it("gameday: no scripted outcome anywhere; the command's real output is shown instead", () => {
    const state = drillOf("gameday", [checked]);
    const step = state.procedures[0]?.steps[0];
    expect(step && stepOutcome(state, step)).toBeUndefined();
    expect(lastOutcome(state)).toBeUndefined();
    expect(stepDetailLines(state, shownSteps, 60)).toEqual([
      { text: "$ curl -fsS http://127.0.0.1:18080/admin/status", tone: "accent" },
    ]);
    expect(paneActivity(state, undefined)).toEqual({ kind: "idle" });
    // The command ran before the step was checked: in gameday it stays on show.
    const command = output(10_000);
    expect(commandShown(shownSteps, state, command)).toBe(true);
    expect(pane(state, command)).toMatchObject({
      title: "$ curl -fsS localhost:18080/admin/status",
      lines: [{ text: "db: 1020ms" }],
      status: [{ text: "exit 0 in 200ms", tone: "good", bold: true }],
    });
  });

  it("the pane shows the newest of command, outcome and hint, and the layout agrees", () => {
    const tabletop = drillOf("tabletop", [checked]);
    expect(paneActivity(tabletop, output(10_000)).kind).toBe("outcome");
    expect(commandShown(shownSteps, tabletop, output(10_000))).toBe(false);
    expect(paneActivity(tabletop, output(20_000)).kind).toBe("command");
    const hinted = drillOf("tabletop", [checked, hint]);
    expect(pane(hinted)).toMatchObject({ title: "Hint (−5)" });
    // A command still running but older than the hint is not on show, so its pane does not grow.
    expect(paneActivity(hinted, output(25_000, true)).kind).toBe("hint");
    expect(commandShown(shownSteps, hinted, output(25_000, true))).toBe(false);
    expect(pane(hinted, output(35_000, true)).status.at(-1)?.text).toBe("running 5s · Esc cancels");
  });

  it("a question replaces the pane's activity and hides the command", () => {
    const state = drillOf("gameday");
    const asking = { ...shownSteps, overlay: { kind: "confirmAbort" as const }, flash: "nope" };
    expect(commandShown(asking, state, output(10_000, true))).toBe(false);
    expect(pane(state, output(10_000, true), asking)).toMatchObject({
      title: "Abort the drill?",
      asking: true,
      flash: "nope",
    });
  });
});

describe("briefing preflight", () => {
  it("runs for gameday only, and one that could not run counts as failed with why", () => {
    expect(wantsPreflight("gameday")).toBe(true);
    expect(wantsPreflight("tabletop")).toBe(false);
    const failed = failedPreflight(new Error("connect ECONNREFUSED 127.0.0.1:8474"));
    expect(failed).toEqual({
      toxiproxyUrl: "?",
      ok: false,
      lines: [{ ok: false, text: "connect ECONNREFUSED 127.0.0.1:8474" }],
    });
    expect(
      briefingKey(
        initialBriefingUi(["gameday"], "ana"),
        {
          modes: ["gameday"],
          preflightOk: failed.ok,
        },
        "\r",
        enter,
      ).outcome.kind,
    ).toBe("none");
  });
});

describe("the briefing's preflight lines", () => {
  const proxies = { name: "proxies", ok: true, detail: "checkout-db exists as declared" };
  it("tell the responder the proxies are ready, not which ones (that is where the fault goes)", () => {
    expect(preflightText(proxies, false)).toBe("proxies: ready");
    expect(preflightText(proxies, true)).toBe("proxies: checkout-db exists as declared");
  });
  it("name what failed, so it can be fixed", () => {
    const wrong = { ...proxies, ok: false, detail: "checkout-db listens on :1, declared :2" };
    expect(preflightText(wrong, false)).toBe("proxies: checkout-db listens on :1, declared :2");
  });
});
