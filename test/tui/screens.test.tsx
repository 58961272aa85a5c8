import { render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { initialBriefingUi } from "../../src/tui/briefing-state.js";
import { initialCockpitUi } from "../../src/tui/cockpit-state.js";
import { Cockpit } from "../../src/tui/components/cockpit-panes.js";
import type { CatalogEntry, PastDrill } from "../../src/tui/drill-port.js";
import { initialPickerUi } from "../../src/tui/picker-state.js";
import { BriefingScreen, BriefingView } from "../../src/tui/screens/briefing.js";
import { DebriefView } from "../../src/tui/screens/debrief.js";
import { HistoryScreen, HistoryView } from "../../src/tui/screens/history.js";
import { PickerView } from "../../src/tui/screens/picker.js";
import { Drill, KEY, listening, sampleRunbook, sampleScenario, until } from "./fixtures.js";

const drills: Drill[] = [];
afterEach(async () => {
  for (const d of drills.splice(0)) await d.close();
});

function lines(frame: string | undefined): string[] {
  return (frame ?? "").split("\n");
}

/** Every frame is exactly rows-1 lines of at most cols columns: nothing scrolls, nothing wraps. */
function expectFits(frame: string | undefined, cols: number, rows: number) {
  const all = lines(frame);
  expect(all.length).toBe(rows - 1);
  for (const line of all) expect([...line].length).toBeLessThanOrEqual(cols);
}

const entries: CatalogEntry[] = [
  {
    id: "checkout-db-latency",
    title: "Checkout database primary answers slowly",
    service: "checkout-api",
    owner: "team-checkout",
    severity: "sev2",
    modes: ["tabletop", "gameday"],
    tags: ["database"],
    targetTtr: 240_000,
    lastDrilledAt: "2026-11-20T10:00:00Z",
    lastTtr: 200_000,
  },
  {
    id: "payments-provider-timeout",
    title: "Payments provider times out",
    service: "payments-gateway",
    owner: "team-payments",
    severity: "sev1",
    modes: ["tabletop"],
    tags: [],
    targetTtr: 180_000,
  },
];
const past: PastDrill[] = [
  {
    drillId: "a",
    startedAt: "2026-10-01T10:00:00Z",
    mode: "tabletop",
    outcome: "recovered",
    ttd: 12_000,
    tta: 30_000,
    ttm: 100_000,
    ttr: 300_000,
  },
  {
    drillId: "b",
    startedAt: "2026-10-15T10:00:00Z",
    mode: "tabletop",
    outcome: "recovered",
    ttd: 10_000,
    tta: 20_000,
    ttm: 90_000,
    ttr: 200_000,
  },
  {
    drillId: "c",
    startedAt: "2026-11-01T10:00:00Z",
    mode: "gameday",
    outcome: "aborted",
    ttd: 10_000,
    tta: 20_000,
    ttm: null,
    ttr: null,
  },
];
const NOW = Date.parse("2026-11-25T10:00:00Z");

describe("picker frame", () => {
  it("lists scenarios with service, owner, modes, target, last drill and last TTR", () => {
    const frame = render(
      <PickerView entries={entries} ui={initialPickerUi} nowMs={NOW} cols={100} rows={24} />,
    ).lastFrame();
    expectFits(frame, 100, 24);
    expect(frame).toMatch(
      /›checkout-db-latency\s+checkout-api\s+team-checkout\s+TG\s+4m\s+5d ago\s+3m20s/,
    );
    expect(frame).toMatch(
      /payments-provider-timeout\s+payments-gateway\s+team-payments\s+T\s+3m\s+never/,
    );
    expect(frame).toContain("Enter brief");
  });

  it("says when nothing matches the filter", () => {
    const ui = { filter: { text: "zzz", caret: 3 }, cursor: 0 };
    const frame = render(
      <PickerView entries={entries} ui={ui} nowMs={NOW} cols={80} rows={24} />,
    ).lastFrame();
    expect(frame).toContain("nothing matches the filter");
    expect(frame).toContain("(0 of 2)");
  });
});

describe("briefing frame", () => {
  const briefing = { scenario: sampleScenario(), runbook: sampleRunbook() };
  it("tells the responder the story, the team, the ladder and the safety limits, never the cause", () => {
    const ui = initialBriefingUi(["tabletop", "gameday"], "ana");
    for (const [cols, rows] of [
      [80, 24],
      [100, 30],
      [160, 50],
    ] as const) {
      const frame = render(
        <BriefingView briefing={briefing} ui={ui} preflight={null} cols={cols} rows={rows} />,
      ).lastFrame();
      expectFits(frame, cols, rows);
      expect(frame).toContain("It is 14:05 on a Tuesday");
      expect(frame).toContain("team team-checkout");
      expect(frame).toContain("Incident on checkout-api");
      expect(frame).toContain("stops after 15m or when replica-alive fails 3×");
      expect(frame).toContain("[tabletop]");
      // What is injected, where and when: not a word of it, nor the scenario's telling name.
      for (const cause of ["Injected", "disk", "checkout-db", "at 5s", "25432", "answers slowly"])
        expect(frame).not.toContain(cause);
      expect(frame).not.toContain("Gameday preflight");
    }
  });

  it("tells the facilitator what is injected, when and where", () => {
    const ui = initialBriefingUi(["tabletop", "gameday"], "ana");
    const frame = render(
      <BriefingView
        briefing={briefing}
        ui={ui}
        preflight={null}
        cols={100}
        rows={30}
        facilitator
      />,
    ).lastFrame();
    expectFits(frame, 100, 30);
    expect(frame).toContain("Checkout database primary answers slowly");
    expect(frame).toContain("checkout-db-latency · sev2");
    expect(frame).toContain("L1 checkout on-call · L2 checkout secondary after 10m");
    expect(frame?.replace(/\n\s+/g, " ")).toMatch(
      /primary disk saturated .* at 5s · proxy checkout-db 127\.0\.0\.1:25432 → 127\.0\.0\.1:15432 \(simulated\)/,
    );
  });

  it("gameday shows the Toxiproxy URL and each preflight check before anything is applied", () => {
    const ui = { ...initialBriefingUi(["tabletop", "gameday"], "ana"), mode: "gameday" as const };
    const checking = render(
      <BriefingView briefing={briefing} ui={ui} preflight={null} cols={100} rows={30} />,
    ).lastFrame();
    expect(checking).toContain("checking Toxiproxy and the allow-list…");
    const preflight = {
      toxiproxyUrl: "http://127.0.0.1:8474",
      ok: false,
      lines: [
        { ok: true, text: "allow-list: every host is allowed" },
        { ok: false, text: "toxiproxy: cannot reach Toxiproxy at http://127.0.0.1:8474" },
      ],
    };
    const frame = render(
      <BriefingView briefing={briefing} ui={ui} preflight={preflight} cols={100} rows={30} />,
    ).lastFrame();
    expect(frame).toContain("Toxiproxy http://127.0.0.1:8474");
    expect(frame).toContain("✓ allow-list: every host is allowed");
    expect(frame).toContain("✗ toxiproxy: cannot reach Toxiproxy");
    expect(frame).toContain("[gameday]");
    expect(frame).not.toContain("(simulated)");
  });

  it("a preflight that cannot run shows why, and only once gameday is chosen", async () => {
    let asked = 0;
    const app = render(
      <BriefingScreen
        briefing={briefing}
        defaultResponder="ana"
        loadPreflight={async () => {
          asked += 1;
          throw new Error("TOXIPROXY_URL is not a URL");
        }}
        cols={100}
        rows={30}
        keysActive
        onStart={() => {}}
        onBack={() => {}}
      />,
    );
    await listening(app.stdin);
    expect(asked).toBe(0);
    app.stdin.write(KEY.tab);
    await until(() => (app.lastFrame() ?? "").includes("✗ TOXIPROXY_URL is not a URL"), "why");
    expect(app.lastFrame()).toContain("[gameday]");
    expect(asked).toBe(1);
    app.unmount();
  });
});

async function tabletop(): Promise<Drill> {
  const drill = await new Drill("tabletop").start();
  drills.push(drill);
  return drill;
}

describe("cockpit frame", () => {
  it("fits 80×24 and uses the room of 160×50 (more signals, every step, larger output pane)", async () => {
    const drill = await tabletop();
    await drill.clock.advanceAsync(50_000);
    await drill.act({ type: "selectProcedure", procedure: "db-latency" });
    const ui = { ...initialCockpitUi, browsing: false };
    const small = render(
      <Cockpit snapshot={drill.port.snapshot()} ui={ui} elapsed={50_000} cols={80} rows={24} />,
    ).lastFrame();
    const large = render(
      <Cockpit snapshot={drill.port.snapshot()} ui={ui} elapsed={50_000} cols={160} rows={50} />,
    ).lastFrame();
    expectFits(small, 80, 24);
    expectFits(large, 160, 50);
    expect(small).toContain("⏱ 00:50");
    expect(small).toContain("target TTR 4m");
    expect(large).toContain("Page database reliability if the replica is slow too (optional)");
    // newest signal first, with its age
    const feed = lines(large).filter((l) => /\d+s\s+(ALERT|log|metric)/.test(l));
    expect(feed[0]).toContain("10s  log");
    expect(feed.at(-1)).toContain("35s  ALERT");
  });

  it("shows hints taken and their cost in the header, and the hint text below", async () => {
    const drill = await tabletop();
    await drill.clock.advanceAsync(60_000);
    await drill.act({ type: "takeHint" });
    const frame = render(
      <Cockpit
        snapshot={drill.port.snapshot()}
        ui={initialCockpitUi}
        elapsed={60_000}
        cols={100}
        rows={30}
      />,
    ).lastFrame();
    expect(frame).toContain("hints 1 (−5)");
    expect(frame).toContain("Hint (−5)");
    expect(frame).toContain("Compare primary and replica latency in GET /admin/status");
  });

  it("? shows every key with its help instead of the panels; the facilitator's only to them", async () => {
    const drill = await tabletop();
    const help = (facilitator: boolean) =>
      render(
        <Cockpit
          snapshot={drill.port.snapshot()}
          ui={{ ...initialCockpitUi, overlay: { kind: "help" } }}
          elapsed={0}
          cols={100}
          rows={30}
          facilitator={facilitator}
        />,
      ).lastFrame();
    const frame = help(true);
    expectFits(frame, 100, 30);
    for (const text of [
      "run the step's command (asks first)",
      "take a hint (shows its cost first)",
      "scroll the output pane up",
      "facilitator (tabletop): reveal the next signal now",
      "Ctrl-C aborts safely",
    ])
      expect(frame).toContain(text);
    expect(help(false)).not.toContain("facilitator");
  });

  it("gameday: probe panel with state and latency sparkline, real probe failures in the feed", async () => {
    const drill = await new Drill("gameday").start();
    drills.push(drill);
    const scenario = drill.state.setup.scenario;
    const snapshot = drill.port.snapshot();
    const events = [...snapshot.state.events];
    const { replay } = await import("../../src/drill/reducer.js");
    for (let i = 0; i < 12; i++)
      events.push({
        t: 1000 * (i + 1),
        event: {
          type: "probe.result",
          probe: "checkout-health",
          ok: i < 6 || i > 9,
          latencyMs: i < 6 ? 20 + i : 300,
          detail: i < 6 || i > 9 ? "200 OK" : "503 Service Unavailable",
        },
      });
    const state = replay(
      { scenario, runbook: snapshot.state.setup.runbook!, mode: "gameday", responder: "ana" },
      events,
    );
    const frame = render(
      <Cockpit
        snapshot={{ ...snapshot, state }}
        ui={initialCockpitUi}
        elapsed={13_000}
        cols={120}
        rows={32}
      />,
    ).lastFrame();
    expectFits(frame, 120, 32);
    expect(frame).toMatch(/● checkout-health\s+300ms\s+[▁▂▃▄▅▆▇█ ]+/);
    expect(frame).toContain("PROBE  checkout-health failing (4×): 503");
    expect(frame).toContain("checkout-health ok again");
    expect(frame).toContain("○ replica-alive");
  });
});

describe("debrief frame", () => {
  it("shows timings against target and earlier drills, the score, the procedure and the journal", async () => {
    const drill = await tabletop();
    await drill.clock.advanceAsync(50_000);
    await drill.act({ type: "acknowledge" });
    await drill.act({ type: "selectProcedure", procedure: "db-latency" });
    await drill.act({ type: "completeStep", step: "check-status" });
    await drill.act({ type: "skipStep", step: "check-pool" });
    await drill.clock.advanceAsync(30_000);
    await drill.act({ type: "completeStep", step: "failover" });
    await drill.port.shutdown("test");
    const frame = render(
      <DebriefView
        snapshot={drill.port.snapshot()}
        previous={past}
        scroll={0}
        cols={100}
        rows={30}
      />,
    ).lastFrame();
    expectFits(frame, 100, 30);
    expect(frame).toContain("Debrief · RECOVERED");
    expect(frame).toMatch(/score \d+\/100 · grade [A-F] · within the TTR target of 4m/);
    expect(frame).toMatch(/TTR\s+1m15s\s+4m\s+4m10s\s+better ▲/);
    expect(frame).toMatch(/TTA\s+45s\s+1m\s+25s\s+worse ▼/); // tabletop drills only
    expect(frame).toContain("[x] check    Compare primary and replica latency");
    expect(frame).toContain("[-] check    Check connection pool saturation");
    expect(frame).toContain("journal: ");
    expect(frame).toContain("00:05  fault applied: primary disk saturated");
  });
});

describe("debrief compares like with like", () => {
  it("with earlier drills by people in the same mode only, and says so", async () => {
    const drill = await tabletop();
    await drill.clock.advanceAsync(50_000);
    await drill.act({ type: "acknowledge" });
    await drill.port.shutdown("test");
    const robots: PastDrill[] = [
      { ...past[0]!, drillId: "r1", responderKind: "auto", tta: 2 },
      { ...past[0]!, drillId: "r2", responderKind: "script", tta: 3 },
      { ...past[0]!, drillId: "g1", mode: "gameday", tta: 1000 },
    ];
    const frame = render(
      <DebriefView
        snapshot={drill.port.snapshot()}
        previous={[...past, ...robots]}
        scroll={0}
        cols={100}
        rows={30}
      />,
    ).lastFrame();
    // Tabletop drills by people: a (30s) and b (20s), median 25s; not 2 ms robots, not gameday.
    expect(frame).toMatch(/TTA\s+45s\s+1m\s+25s\s+worse ▼/);
    expect(frame).toContain("2 earlier tabletop drills by people (median)");
    const narrow = render(
      <DebriefView
        snapshot={drill.port.snapshot()}
        previous={[...past, ...robots]}
        scroll={0}
        cols={80}
        rows={24}
      />,
    ).lastFrame();
    expectFits(narrow, 80, 24);
    expect(narrow).toContain("2 earlier tabletop drills by people");
  });
});

describe("history frame", () => {
  it("charts TTR per drill against the target and gives each scenario a sparkline", () => {
    const frame = render(
      <HistoryView
        entries={entries}
        cursor={0}
        drills={
          new Map([
            ["checkout-db-latency", past],
            ["payments-provider-timeout", []],
          ])
        }
        cols={100}
        rows={30}
      />,
    ).lastFrame();
    expectFits(frame, 100, 30);
    expect(frame).toContain("3 drills · TTR per drill");
    expect(frame).toMatch(/4m target ┤┄+/);
    expect(frame).toContain("✕");
    expect(frame).toMatch(/› checkout-db-latency\s+3\s+—\s+4m\s+[▁▂▃▄▅▆▇█]/);
  });
  it("says a scenario never drilled has 0 drills, not that it is still loading", async () => {
    const app = render(
      <HistoryScreen
        entries={entries}
        initial="payments-provider-timeout"
        load={async () => new Map()}
        cols={100}
        rows={30}
        keysActive={false}
        onBack={() => undefined}
      />,
    );
    await until(() => (app.lastFrame() ?? "").includes("0 drills · TTR per drill"), "0 drills");
    expect(app.lastFrame()).not.toContain("loading…");
    expect(app.lastFrame()).toMatch(/› payments-provider-timeout\s+0\s/);
    app.unmount();
  });
});
