import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { App } from "../../src/tui/app.js";
import type { TuiDeps } from "../../src/tui/drill-port.js";
import { paintFor } from "../../src/tui/theme.js";
import { runbook, scenario } from "../drill/builders.js";
import { Drill, KEY, listening, tick, until } from "./fixtures.js";

const drills: Drill[] = [];
let dir: string;
afterEach(async () => {
  for (const d of drills.splice(0)) await d.close();
  rmSync(dir, { recursive: true, force: true });
});

async function type(stdin: { write(s: string): void }, ...keys: string[]) {
  for (const key of keys) {
    stdin.write(key);
    await tick(30);
  }
}

describe("a tabletop drill in the TUI", () => {
  it("r then y on a step shows its command as not run and its outcome, and runs nothing", async () => {
    dir = mkdtempSync(join(tmpdir(), "firedrill-tabletop-"));
    const ran = join(dir, "failover-ran");
    const book = runbook({
      procedures: [
        {
          id: "db-slow",
          title: "Database slow",
          steps: [
            { id: "look", kind: "check", title: "Check the dashboard" },
            {
              id: "failover",
              kind: "action",
              title: "Fail over",
              run: [
                process.execPath,
                "-e",
                `require("node:fs").writeFileSync(${JSON.stringify(ran)}, "x")`,
              ],
            },
          ],
        },
      ],
    });
    const s = scenario();
    let drill: Drill | undefined;
    const deps: TuiDeps = {
      defaultResponder: "ana",
      catalog: async () => [],
      briefing: async () => ({ scenario: s, runbook: book }),
      preflight: async () => ({ toxiproxyUrl: "", ok: true, lines: [] }),
      history: async () => [],
      histories: async (ids) => new Map(ids.map((id) => [id, []])),
      start: async (options) => {
        drill = new Drill(options.mode, s, book);
        drills.push(drill);
        await drill.start();
        return drill.port;
      },
    };
    const app = render(
      <App
        deps={deps}
        scenario={s.id}
        paint={paintFor(false)}
        size={{ cols: 100, rows: 30 }}
        onDone={() => {}}
      />,
    );
    await listening(app.stdin);
    await until(() => (app.lastFrame() ?? "").includes("Enter start drill"), "the briefing");
    expect(app.lastFrame()).toContain("[tabletop]");
    await type(app.stdin, KEY.enter);
    await until(
      () => drill !== undefined && (app.lastFrame() ?? "").includes("? help"),
      "the cockpit",
    );
    // Enter chooses the procedure, j moves to the failover step, r asks, y confirms.
    await type(app.stdin, KEY.enter, "j", "r");
    await until(() => (app.lastFrame() ?? "").includes("Run this step's command?"), "the question");
    expect(app.lastFrame()).toContain("tabletop: it is recorded, not run");
    await type(app.stdin, "y");
    await until(() => (app.lastFrame() ?? "").includes("not run (tabletop)"), "the pane");
    expect(app.lastFrame()).toContain("Replica promoted.");
    expect(drill?.state.commands[0]).toMatchObject({ step: "failover", notRun: "tabletop" });
    // The command is journaled once it ended: had it run, its file would be there by now.
    expect(existsSync(ran)).toBe(false);
    app.unmount();
  });
});
