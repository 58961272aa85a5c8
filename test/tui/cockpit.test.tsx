import { render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { type CockpitUi, initialCockpitUi } from "../../src/tui/cockpit-state.js";
import { Cockpit } from "../../src/tui/components/cockpit.js";
import { Drill } from "./fixtures.js";

const drills: Drill[] = [];
afterEach(async () => {
  for (const d of drills.splice(0)) await d.close();
});

async function midDrill(): Promise<Drill> {
  const drill = await new Drill("tabletop").start();
  drills.push(drill);
  await drill.clock.advanceAsync(50_000);
  await drill.act({ type: "acknowledge" });
  await drill.act({ type: "selectProcedure", procedure: "db-latency" });
  await drill.act({ type: "completeStep", step: "check-status" });
  return drill;
}

function frameOf(drill: Drill, ui: CockpitUi, cols = 80, rows = 24): string {
  const { lastFrame, unmount } = render(
    <Cockpit
      snapshot={drill.port.snapshot()}
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
});
