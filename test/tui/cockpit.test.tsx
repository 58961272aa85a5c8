import { render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import type { Mode } from "../../src/model/scenario.js";
import { type CockpitUi, initialCockpitUi } from "../../src/tui/cockpit-state.js";
import { Cockpit } from "../../src/tui/components/cockpit-panes.js";
import type { LiveCommand } from "../../src/tui/drill-port.js";
import { Drill } from "./fixtures.js";

const drills: Drill[] = [];
afterEach(async () => {
  for (const d of drills.splice(0)) await d.close();
});

async function midDrill(mode: Mode = "tabletop"): Promise<Drill> {
  const drill = await new Drill(mode).start();
  drills.push(drill);
  await drill.clock.advanceAsync(50_000);
  await drill.act({ type: "acknowledge" });
  await drill.act({ type: "selectProcedure", procedure: "db-latency" });
  await drill.act({ type: "completeStep", step: "check-status" });
  return drill;
}

function frameOf(drill: Drill, ui: CockpitUi, cols = 80, rows = 24, command?: LiveCommand): string {
  const snapshot = drill.port.snapshot();
  const { lastFrame, unmount } = render(
    <Cockpit
      snapshot={command ? { ...snapshot, command } : snapshot}
      ui={ui}
      elapsed={drill.session.now()}
      cols={cols}
      rows={rows}
    />,
  );
  const frame = lastFrame() ?? "";
  unmount();
  return frame;
}

describe("cockpit frame", () => {
  it("fits 80×24 with header, signals, runbook, command pane and footer", async () => {
    const drill = await midDrill();
    const frame = frameOf(drill, { ...initialCockpitUi, browsing: false, cursor: 1 });
    const lines = frame.split("\n");
    expect(lines.length).toBe(23);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });

  const onCheckedStep: CockpitUi = { ...initialCockpitUi, browsing: false, cursor: 0 };
  const revealed = "/admin/status shows db latency ~1s via the primary";

  it("tabletop: the checked step's scripted outcome shows under the step and in the pane", async () => {
    const drill = await midDrill("tabletop");
    const frame = frameOf(drill, onCheckedStep, 120, 32);
    expect(frame).toContain(`↳ ${revealed}`);
    expect(frame).toContain("Outcome · check-status");
  });

  it("gameday: no scripted outcome anywhere; the step's real command output is shown", async () => {
    const drill = await midDrill("gameday");
    const quiet = frameOf(drill, onCheckedStep, 120, 32);
    expect(quiet).toContain("[x] check");
    expect(quiet).not.toContain(revealed);
    expect(quiet).not.toContain("Outcome ·");
    expect(quiet).toContain("r runs the step's command");
    const ran: LiveCommand = {
      command: "curl -fsS http://127.0.0.1:18080/admin/status",
      offRunbook: false,
      procedure: "db-latency",
      step: "check-status",
      startedAt: drill.session.now(),
      output: ['{"db":{"primary":{"latencyMs":1012}}}'],
      running: false,
      exitCode: 0,
      durationMs: 180,
    };
    const frame = frameOf(drill, onCheckedStep, 120, 32, ran);
    expect(frame).toContain("$ curl -fsS http://127.0.0.1:18080/admin/status");
    expect(frame).toContain('{"db":{"primary":{"latencyMs":1012}}}');
    expect(frame).toContain("exit 0 in 180ms");
    expect(frame.split("\n").length).toBe(31);
  });
});
