import { render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { App, type TuiResult } from "../../src/tui/app.js";
import type { CatalogEntry, PastDrill, TuiDeps } from "../../src/tui/drill-port.js";
import { paintFor } from "../../src/tui/theme.js";
import { Drill, KEY, listening, sampleRunbook, sampleScenario, tick, until } from "./fixtures.js";

const drills: Drill[] = [];
afterEach(async () => {
  for (const d of drills.splice(0)) await d.close();
});

const entry: CatalogEntry = {
  id: "checkout-db-latency",
  title: "Checkout database primary answers slowly",
  service: "checkout-api",
  owner: "team-checkout",
  severity: "sev2",
  modes: ["tabletop", "gameday"],
  tags: ["database"],
  targetTtr: 240_000,
};
const earlier: PastDrill[] = [
  {
    drillId: "old1",
    startedAt: "2026-11-01T10:00:00Z",
    mode: "tabletop",
    outcome: "recovered",
    ttd: 10_000,
    tta: 30_000,
    ttm: 120_000,
    ttr: 200_000,
  },
];

function deps(): TuiDeps & { started: Drill[] } {
  const started: Drill[] = [];
  return {
    started,
    defaultResponder: "ana",
    catalog: async () => [entry],
    briefing: async () => ({ scenario: sampleScenario(), runbook: sampleRunbook() }),
    preflight: async () => ({
      toxiproxyUrl: "http://127.0.0.1:8474",
      ok: true,
      lines: [{ ok: true, text: "allow-list: every host is allowed" }],
    }),
    history: async () => earlier,
    histories: async (ids) => new Map(ids.map((id) => [id, earlier])),
    start: async (options) => {
      const drill = new Drill(options.mode);
      drills.push(drill);
      started.push(drill);
      await drill.start();
      return drill.port;
    },
  };
}

async function type(stdin: { write(s: string): void }, ...keys: string[]) {
  for (const key of keys) {
    stdin.write(key);
    await tick(30);
  }
}

describe("app", () => {
  it("goes picker → briefing → cockpit → debrief by keystrokes", async () => {
    const d = deps();
    let result: TuiResult | undefined;
    const app = render(
      <App
        deps={d}
        paint={paintFor(false)}
        size={{ cols: 100, rows: 30 }}
        onDone={(r) => (result = r)}
      />,
    );
    await listening(app.stdin);
    await until(() => (app.lastFrame() ?? "").includes("team-checkout"), "the picker");
    expect(app.lastFrame()).toContain("choose a scenario (1 of 1)");
    await type(app.stdin, "db", KEY.enter);
    await until(() => (app.lastFrame() ?? "").includes("It is 14:05 on a Tuesday"), "the briefing");
    expect(app.lastFrame()).toContain("[tabletop]");
    await type(app.stdin, KEY.enter);
    await until(
      () => d.started[0] !== undefined && (app.lastFrame() ?? "").includes("? help"),
      "the cockpit",
    );
    const drill = d.started[0]!;
    await drill.clock.advanceAsync(30_000);
    await until(() => (app.lastFrame() ?? "").includes("CheckoutHealthFailing"), "the alert");
    await type(app.stdin, "a", KEY.enter, " ", "s", " ");
    await until(() => (app.lastFrame() ?? "").includes("Debrief"), "the debrief");
    expect(drill.state.phase).toBe("recovered");
    expect(app.lastFrame()).toContain("Debrief · RECOVERED");
    expect(app.lastFrame()).toMatch(/TTR\s+\S+\s+4m\s+3m20s\s+better/);
    expect(app.lastFrame()).toContain("journal: ");
    await type(app.stdin, "q");
    await until(() => result !== undefined, "the TUI to finish");
    expect(result?.exitCode).toBe(0);
    expect(result?.message).toContain("recovered");
    app.unmount();
  });

  it("from the debrief, p goes back to a freshly read picker", async () => {
    const d = deps();
    let catalogReads = 0;
    const counting = {
      ...d,
      catalog: async () => {
        catalogReads++;
        return [entry];
      },
    };
    const app = render(
      <App
        deps={counting}
        paint={paintFor(false)}
        size={{ cols: 100, rows: 30 }}
        onDone={() => {}}
      />,
    );
    await listening(app.stdin);
    await until(() => (app.lastFrame() ?? "").includes("(1 of 1)"), "the picker");
    await type(app.stdin, KEY.enter);
    await until(() => (app.lastFrame() ?? "").includes("Enter start drill"), "the briefing");
    await type(app.stdin, KEY.enter);
    await until(
      () => d.started[0] !== undefined && (app.lastFrame() ?? "").includes("? help"),
      "the cockpit",
    );
    const drill = d.started[0]!;
    await drill.clock.advanceAsync(30_000);
    await type(app.stdin, "x", "y");
    await until(() => (app.lastFrame() ?? "").includes("Debrief"), "the debrief");
    expect(app.lastFrame()).toContain("Debrief · ABORTED");
    await type(app.stdin, "p");
    await until(() => (app.lastFrame() ?? "").includes("choose a scenario (1 of 1)"), "the picker");
    expect(catalogReads).toBe(2);
    app.unmount();
  });

  it("Ctrl-C in the cockpit aborts the drill, reverts and says so", async () => {
    const d = deps();
    let result: TuiResult | undefined;
    const app = render(
      <App
        deps={d}
        scenario="checkout-db-latency"
        paint={paintFor(false)}
        size={{ cols: 80, rows: 24 }}
        onDone={(r) => (result = r)}
      />,
    );
    await listening(app.stdin);
    await until(() => (app.lastFrame() ?? "").includes("Enter start drill"), "the briefing");
    await type(app.stdin, KEY.enter);
    await until(
      () => d.started[0] !== undefined && (app.lastFrame() ?? "").includes("? help"),
      "the cockpit",
    );
    const drill = d.started[0]!;
    await drill.clock.advanceAsync(10_000);
    await type(app.stdin, KEY.ctrlC);
    await until(() => result !== undefined, "the TUI to finish");
    expect(drill.state.phase).toBe("aborted");
    expect(drill.session.getSnapshot().status).toBe("finished");
    expect(result?.message).toMatch(
      /drill aborted \(Ctrl-C\): 1 fault reverted; journal .*\.jsonl/,
    );
    app.unmount();
  });

  it("opens the history from the picker with a chart and the target line", async () => {
    const app = render(
      <App
        deps={deps()}
        paint={paintFor(false)}
        size={{ cols: 100, rows: 30 }}
        onDone={() => {}}
      />,
    );
    await listening(app.stdin);
    await until(() => (app.lastFrame() ?? "").includes("(1 of 1)"), "the picker");
    await type(app.stdin, KEY.tab);
    await until(() => (app.lastFrame() ?? "").includes("●"), "the chart");
    const frame = app.lastFrame() ?? "";
    expect(frame).toContain("History · Checkout database primary answers slowly");
    expect(frame).toContain("4m target");
    expect(frame).toContain("●");
    await type(app.stdin, KEY.esc);
    await until(() => (app.lastFrame() ?? "").includes("choose a scenario"), "the picker again");
    app.unmount();
  });

  it("suggests the last responder's name at the next briefing and prints one line per drill played", async () => {
    const d = deps();
    const remembered: string[] = [];
    let result: TuiResult | undefined;
    const app = render(
      <App
        deps={{ ...d, rememberResponder: (name) => remembered.push(name) }}
        paint={paintFor(false)}
        size={{ cols: 100, rows: 30 }}
        onDone={(r) => (result = r)}
      />,
    );
    const frame = () => app.lastFrame() ?? "";
    await listening(app.stdin);
    const play = async (n: number) => {
      await until(() => d.started[n] !== undefined && frame().includes("? help"), "the cockpit");
      await d.started[n]!.clock.advanceAsync(30_000);
      await type(app.stdin, "x", "y");
      await until(() => frame().includes("Debrief · ABORTED"), "the debrief");
    };
    await until(() => frame().includes("(1 of 1)"), "the picker");
    await type(app.stdin, KEY.enter);
    await until(() => frame().includes("Responder ana"), "the briefing");
    await type(app.stdin, KEY.backspace, KEY.backspace, KEY.backspace, "bo", KEY.enter);
    await play(0);
    expect(remembered).toEqual(["bo"]);
    await type(app.stdin, "p");
    await until(() => frame().includes("(1 of 1)"), "the picker again");
    await type(app.stdin, KEY.enter);
    await until(() => frame().includes("Enter start drill"), "the second briefing");
    expect(frame()).toContain("Responder bo");
    await type(app.stdin, KEY.enter);
    await play(1);
    await type(app.stdin, "q");
    await until(() => result !== undefined, "the TUI to finish");
    const lines = result?.message.split("\n") ?? [];
    expect(lines).toHaveLength(2);
    for (const line of lines)
      expect(line).toMatch(
        /^firedrill: checkout-db-latency: aborted · score \d+ \([A-F]\) · journal /,
      );
    app.unmount();
  });

  it("Shift-Tab is not Tab: it opens no history in the picker and switches the mode back in the briefing", async () => {
    const app = render(
      <App
        deps={deps()}
        paint={paintFor(false)}
        size={{ cols: 100, rows: 30 }}
        onDone={() => {}}
      />,
    );
    const frame = () => app.lastFrame() ?? "";
    await listening(app.stdin);
    await until(() => frame().includes("(1 of 1)"), "the picker");
    await type(app.stdin, "\u001b[Z");
    await tick(100);
    expect(frame()).toContain("choose a scenario");
    expect(frame()).not.toContain("History");
    await type(app.stdin, KEY.enter);
    await until(() => frame().includes("[tabletop]"), "the briefing");
    await type(app.stdin, "\u001b[Z");
    await until(() => frame().includes("[gameday]"), "gameday");
    app.unmount();
  });
});
