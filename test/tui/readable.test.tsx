import { render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { cockpitKey, initialCockpitUi } from "../../src/tui/cockpit-state.js";
import { Cockpit } from "../../src/tui/components/cockpit-panes.js";
import type { CatalogEntry, LiveCommand } from "../../src/tui/drill-port.js";
import { initialPickerUi } from "../../src/tui/picker-state.js";
import { CockpitScreen } from "../../src/tui/screens/cockpit-screen.js";
import { DebriefView } from "../../src/tui/screens/debrief.js";
import { PickerView } from "../../src/tui/screens/picker.js";
import {
  Drill,
  KEY,
  listening,
  RecordingPort,
  sampleRunbook,
  sampleScenario,
  until,
} from "./fixtures.js";

const drills: Drill[] = [];
afterEach(async () => {
  for (const d of drills.splice(0)) await d.close();
});

async function drillAt(ms: number, scenario = sampleScenario(), runbook = sampleRunbook()) {
  const drill = await new Drill("tabletop", scenario, runbook).start();
  drills.push(drill);
  await drill.clock.advanceAsync(ms);
  return drill;
}

/** Every frame is exactly rows-1 lines of at most cols columns. */
function expectFits(frame: string | undefined, cols: number, rows: number) {
  const all = (frame ?? "").split("\n");
  expect(all.length).toBe(rows - 1);
  for (const line of all) expect([...line].length).toBeLessThanOrEqual(cols);
}

const SIZES = [
  [80, 24],
  [120, 40],
  [160, 50],
] as const;

describe("the responder is not told the answer", () => {
  it("the responder's cockpit names no fault, no proxy, no scenario title and has no R/F keys", async () => {
    // The fault landed at 5 s; the first signal is due at 15 s.
    const drill = await drillAt(6000);
    // The wrong procedure: the responder is not told so.
    await drill.act({ type: "selectProcedure", procedure: "pool-exhaustion" });
    for (const [cols, rows] of SIZES) {
      const frame = render(
        <Cockpit
          snapshot={drill.port.snapshot()}
          ui={{ ...initialCockpitUi, browsing: false }}
          elapsed={6000}
          cols={cols}
          rows={rows}
        />,
      ).lastFrame();
      expectFits(frame, cols, rows);
      expect(frame).toContain("Incident on checkout-api");
      expect(frame).toContain("ON CALL");
      for (const cause of [
        "disk",
        "checkout-db",
        "answers slowly",
        "Facilitator",
        "not the expected one",
        "R reveal",
        "F inject",
        "INCIDENT",
      ])
        expect(frame).not.toContain(cause);
    }
  });

  it("--facilitator: a panel with each fault's timing and state, the next signal, and the R/F keys", async () => {
    const drill = await drillAt(6000);
    for (const [cols, rows] of SIZES) {
      const frame = render(
        <Cockpit
          snapshot={drill.port.snapshot()}
          ui={initialCockpitUi}
          elapsed={6000}
          cols={cols}
          rows={rows}
          facilitator
        />,
      ).lastFrame();
      expectFits(frame, cols, rows);
      expect(frame).toContain("Facilitator");
      expect(frame).toContain("● since 00:05 primary disk");
      expect(frame).toContain("next signal at 00:15");
      expect(frame).toContain("R reveal");
      expect(frame).toContain("F inject");
      expect(frame).toContain("Checkout database primary answers slowly");
    }
  });

  it("the debrief tells what was injected and when; a tabletop counts no simulated fault as reverted", async () => {
    const drill = await drillAt(50_000);
    await drill.act({ type: "selectProcedure", procedure: "db-latency" });
    await drill.act({ type: "completeStep", step: "check-status" });
    await drill.act({ type: "completeStep", step: "failover" });
    await drill.port.shutdown("test");
    const frame = render(
      <DebriefView snapshot={drill.port.snapshot()} previous={[]} scroll={0} cols={80} rows={24} />,
    ).lastFrame();
    expectFits(frame, 80, 24);
    expect(frame).toContain("Injected (simulated): primary disk saturated");
    expect(frame).not.toContain("reverted");
  });
});

function longOutput(lines: number, startedAt = 5000): LiveCommand {
  return {
    command: "curl -s localhost/admin/status",
    offRunbook: true,
    startedAt,
    output: Array.from(
      { length: lines },
      (_, i) =>
        `line ${i + 1}: {"service":"checkout-api","db_primary_ms":1020,"db_replica_ms":12,"note":"the end of line ${i + 1}"}`,
    ),
    running: false,
    exitCode: 0,
    durationMs: 300,
  };
}

describe("a cockpit you can read", () => {
  it("folds long output lines instead of cutting them at the pane's edge", async () => {
    const drill = await drillAt(6000);
    const snapshot = { ...drill.port.snapshot(), command: longOutput(3) };
    const frame = render(
      <Cockpit snapshot={snapshot} ui={initialCockpitUi} elapsed={6000} cols={80} rows={24} />,
    ).lastFrame();
    expectFits(frame, 80, 24);
    // Each line's end is on screen: nothing was cut off.
    for (const n of [1, 2, 3]) expect(frame).toContain(`the end of line ${n}"}`);
  });

  it("gives the output the rows the other panels do not need: 18 lines at 120×40", async () => {
    const drill = await drillAt(6000);
    const snapshot = { ...drill.port.snapshot(), command: longOutput(40) };
    const frame = render(
      <Cockpit snapshot={snapshot} ui={initialCockpitUi} elapsed={6000} cols={120} rows={40} />,
    ).lastFrame();
    expectFits(frame, 120, 40);
    const shown = (frame ?? "").split("\n").filter((l) => /│(line \d+:|.*the end of line)/.test(l));
    expect(shown.length).toBeGreaterThanOrEqual(18);
    expect(frame).toContain("the end of line 40");
    expect(frame).toMatch(/exit 0 in 300ms\s+\d+ lines above · PgUp\/PgDn scroll · z zoom/);
  });

  it("PgUp/PgDn scroll the output, z zooms it to the whole screen, Esc closes it", async () => {
    const drill = await drillAt(6000);
    const port = new RecordingPort({ ...drill.port.snapshot(), command: longOutput(30) }, 6000);
    const app = render(<CockpitScreen port={port} cols={80} rows={24} keysActive />);
    await listening(app.stdin);
    const frame = () => app.lastFrame() ?? "";
    expect(frame()).toContain("the end of line 30");
    app.stdin.write("\u001b[5~");
    await until(() => !frame().includes("the end of line 30"), "scrolled back");
    expect(frame()).toMatch(/lines above, \d+ below/);
    app.stdin.write("\u001b[6~");
    await until(() => frame().includes("the end of line 30"), "scrolled forward again");
    app.stdin.write("z");
    await until(() => frame().includes("back to the cockpit"), "zoomed");
    expect(frame()).not.toContain("Signals");
    expect(
      frame()
        .split("\n")
        .filter((l) => l.includes("line ")).length,
    ).toBeGreaterThan(12);
    expectFits(frame(), 80, 24);
    app.stdin.write(KEY.esc);
    await until(() => frame().includes("Signals"), "back to the cockpit");
    // The pane's keys never reached the drill.
    expect(port.dispatched).toEqual([]);
    app.unmount();
  });

  it("h before a hint is due says when the next one opens", async () => {
    const drill = await drillAt(7000);
    const step = cockpitKey(initialCockpitUi, drill.port.snapshot(), "h", {});
    expect(step.ui.flash).toBe(
      "no hint available yet: the next one opens at 00:45 (in 38s), costs 5",
    );
  });

  it("the debrief keeps its Timings title with a five-step procedure, at every size", async () => {
    const drill = await drillAt(
      30_000,
      sampleScenario("session-cache-resets"),
      sampleRunbook("runbooks/session-cache.yaml"),
    );
    expect(drill.state.procedures.find((p) => p.expected)?.steps).toHaveLength(5);
    await drill.act({ type: "abort", reason: "test" });
    await drill.port.shutdown("test");
    for (const [cols, rows] of SIZES) {
      const frame = render(
        <DebriefView
          snapshot={drill.port.snapshot()}
          previous={[]}
          scroll={0}
          cols={cols}
          rows={rows}
        />,
      ).lastFrame();
      expectFits(frame, cols, rows);
      expect(frame).toMatch(/│Timings\s/);
      expect(frame).toMatch(/TTR\s/);
      expect(frame).toMatch(/0 earlier (\w+ )*drills/);
    }
  });
});

describe("picker columns", () => {
  const entry = (id: string, service: string, owner: string): CatalogEntry => ({
    id,
    title: id,
    service,
    owner,
    severity: "sev2",
    modes: ["tabletop", "gameday"],
    tags: [],
    targetTtr: 180_000,
  });
  const entries = [
    entry("checkout-db-latency", "checkout-api", "team-checkout"),
    entry("payments-provider-timeout", "payments-gateway", "team-payments"),
    entry("payments-receipts-bandwidth", "payments-gateway", "team-payments"),
    entry("session-cache-resets", "session-cache", "team-platform-cache"),
  ];

  it("puts each header over its data and keeps ids apart at every size", () => {
    for (const [cols, rows] of [[60, 16], ...SIZES] as const) {
      const frame =
        render(
          <PickerView entries={entries} ui={initialPickerUi} nowMs={0} cols={cols} rows={rows} />,
        ).lastFrame() ?? "";
      expectFits(frame, cols, rows);
      const lines = frame.split("\n");
      const header = lines.find((l) => l.includes("SCENARIO")) ?? "";
      const row = lines.find((l) => l.includes("payments-pro")) ?? "";
      expect(header.indexOf("SCENARIO")).toBe(row.indexOf("payments-pro"));
      expect(header.indexOf("MODES")).toBe(row.indexOf("TG"));
      if (header.includes("SERVICE"))
        expect(header.indexOf("SERVICE")).toBe(row.indexOf("payments-gateway"));
      const ids = lines.filter((l) => /^[ ›](checkout|payments|session)/.test(l));
      const shownIds = new Set(ids.map((l) => l.slice(1).split(/\s+/)[0]));
      expect(shownIds.size).toBe(4);
      if (cols >= 80) {
        expect(frame).toContain("payments-provider-timeout ");
        expect(frame).toContain("payments-receipts-bandwidth ");
      }
    }
  });
});
