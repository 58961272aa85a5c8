import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DemoShop, startDemoShop } from "../../src/demo/index.js";
import { hasTmux, Tmux } from "./tmux.js";

// The TUI in a real pseudo-terminal (tmux), started from the bundle the way a user starts it.
const CLI = resolve("dist/firedrill.js");
const tmux = hasTmux();
if (!tmux) console.warn("test/tui/e2e: tmux is not installed; the terminal tests are skipped");

let term: Tmux | undefined;
let dir: string;
let shop: DemoShop | undefined;
let counter = 0;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "firedrill-tui-e2e-"));
});
afterEach(async () => {
  term?.kill();
  term = undefined;
  await shop?.stop();
  shop = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function open(argv: string[], env: Record<string, string> = {}, cols = 100, rows = 30): Tmux {
  term = new Tmux(`e2e${counter++}`, cols, rows);
  term.start([process.execPath, CLI, ...argv], { USER: "ana", ...env });
  return term;
}

interface JournalLine {
  type: string;
  outcome?: string;
  mode?: string;
  event?: { type: string; offRunbook?: boolean; step?: string };
}

function journal(): JournalLine[] {
  const files = readdirSync(dir).filter((f) => f.endsWith(".jsonl"));
  expect(files).toHaveLength(1);
  return readFileSync(join(dir, files[0]!), "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as JournalLine);
}

describe.skipIf(!tmux)("TUI in a terminal", () => {
  it("plays a tabletop drill to recovery by keystrokes, shows the debrief and writes the journal", async () => {
    const t = open(["run", "checkout-db-latency", "--facilitator", "--journal-dir", dir]);
    await t.waitForText("Enter start drill");
    t.keys("Enter");
    await t.waitForText("choose a procedure");
    // Facilitator: inject the fault and reveal the alert now rather than waiting for their time.
    t.keys("F");
    await t.waitForText("INCIDENT");
    t.keys("R");
    await t.waitForText("ALERT");
    t.keys("a");
    await t.waitForText("ACKNOWLEDGED");
    t.keys("Enter");
    await t.waitForText("[ ] check    Compare primary");
    t.keys("Space");
    await t.waitForText("replica idle and fast");
    t.keys("n");
    t.type("pool is a symptom");
    t.keys("Enter", "s", "Space");
    const debrief = await t.waitForText("Debrief · RECOVERED");
    expect(debrief).toMatch(/TTR\s+\S+\s+4m/);
    expect(debrief).toContain("[x] action   Fail reads over to the replica");
    expect(debrief).toContain(`journal: ${dir}`);
    t.keys("q");
    const after = await t.waitForText("[exit 0]");
    expect(after).toContain("firedrill: checkout-db-latency: recovered");
    const lines = journal();
    expect(lines.at(-1)).toMatchObject({ type: "summary", outcome: "recovered" });
    expect(
      lines.some((l) => l.event?.type === "step.skipped" && l.event.step === "check-pool"),
    ).toBe(true);
  });

  it("Ctrl-C aborts safely, says so, and gives the terminal back", async () => {
    const t = open(["run", "checkout-db-latency", "--facilitator", "--journal-dir", dir]);
    await t.waitForText("Enter start drill");
    expect(t.modes().alternate).toBe(true);
    t.keys("Enter");
    await t.waitForText("choose a procedure");
    t.keys("F");
    await t.waitForText("INCIDENT");
    t.keys("C-c");
    const after = (await t.waitForText("[exit 130]")).replaceAll("\n", "");
    expect(after).toMatch(/drill aborted \(Ctrl-C\): 1 fault reverted; journal .*\.jsonl/);
    expect(journal().at(-1)).toMatchObject({ type: "summary", outcome: "aborted" });
    expect(await t.waitForText("[tty icanon]")).toContain("[tty icanon]");
    expect(t.modes()).toEqual({ alternate: false, cursor: true });
  });

  it("SIGTERM ends the drill the same way: reverted, journaled, said, exit 143", async () => {
    const t = open(["run", "checkout-db-latency", "--facilitator", "--journal-dir", dir]);
    await t.waitForText("Enter start drill");
    t.keys("Enter");
    await t.waitForText("choose a procedure");
    t.keys("F");
    await t.waitForText("INCIDENT");
    process.kill(t.nodePid(), "SIGTERM");
    // 128 + 15, as the headless run exits on SIGTERM.
    const after = (await t.waitForText("[exit 143]")).replaceAll("\n", "");
    expect(after).toMatch(/drill aborted \(SIGTERM\): 1 fault reverted/);
    expect(journal().at(-1)).toMatchObject({ type: "summary", outcome: "aborted" });
    expect(t.modes()).toEqual({ alternate: false, cursor: true });
  });

  it("at 80×24: a briefing without the cause, long command output folded and scrolled, the debrief whole", async () => {
    // Gameday against the demo shop: a tabletop drill runs no command, so it has no output.
    shop = await startDemoShop();
    const t = open(
      ["run", "checkout-db-latency", "--mode", "gameday", "--journal-dir", dir],
      shop.env,
      80,
      24,
    );
    await t.waitForText("Enter start drill");
    const briefing = await t.waitFor((s) => !s.includes("checking Toxiproxy"), 15_000);
    expect(briefing).toContain("Incident on checkout-api");
    for (const cause of ["Injected", "disk", "checkout-db", "25432", "answers slowly"])
      expect(briefing).not.toContain(cause);
    t.keys("Enter");
    await t.waitForText("choose a procedure", 15_000);
    // No facilitator here: F injects nothing and is not offered.
    t.keys("F");
    expect(t.screen()).not.toContain("F inject");
    t.keys("a", "Enter", "!");
    await t.waitForText("Ad-hoc command");
    t.type(
      'for i in 1 2 3 4 5 6 7 8; do echo "row $i {\\"db_primary_ms\\":1020,\\"db_replica_ms\\":12,\\"pool\\":\\"4/4 busy\\",\\"note\\":\\"a line longer than the pane is wide\\"} end-of-row-$i"; done',
    );
    t.keys("Enter");
    let cockpit = await t.waitForText("lines above");
    // The long lines fold: each row's end is on screen, not cut at the pane's edge.
    expect(cockpit).toContain("end-of-row-8");
    expect(cockpit).not.toContain("end-of-row-1");
    t.keys("PPage");
    cockpit = await t.waitFor((screen) => /\d+ below/.test(screen));
    expect(cockpit).not.toContain("end-of-row-8");
    t.keys("z");
    cockpit = await t.waitForText("back to the cockpit");
    expect(cockpit).not.toContain("Signals");
    t.keys("Escape");
    await t.waitForText("Signals");
    t.keys("x", "y");
    const debrief = await t.waitForText("Debrief · ABORTED");
    expect(debrief).toContain("│Timings");
    expect(debrief).toContain("primary disk saturated");
    t.keys("q");
    const after = await t.waitForText("[exit 1]");
    expect(after).toContain("firedrill: checkout-db-latency: aborted");
  }, 90_000);

  it("opens the picker with no command, filters by typing, and re-lays out on resize", async () => {
    const t = open([], {}, 80, 24);
    // However many samples there are: all of them listed, then only the one the filter keeps.
    const all = /choose a scenario \((\d+) of \1\)/;
    let screen = await t.waitFor((s) => all.test(s));
    expect(screen.split("\n")[0]).toContain("firedrill · choose a scenario");
    t.type("cache-resets");
    screen = await t.waitFor((s) => /\(1 of \d+\)/.test(s));
    expect(screen).toContain("session-cache");
    t.resize(120, 40);
    screen = await t.waitFor(
      (s) => s.includes("team-platform-cache") || s.includes("team-platform"),
    );
    expect(screen.split("\n")[0]).toContain("firedrill · choose a scenario");
    // Too small: a message instead of a garbled frame; the filter survives.
    t.resize(50, 12);
    await t.waitForText("firedrill needs 60×16; this terminal is 50×12");
    t.resize(100, 30);
    screen = await t.waitFor((s) => /\(1 of \d+\)/.test(s));
    expect(screen).toContain("filter › cache-resets");
    // Esc clears the filter first, then quits.
    t.keys("Escape");
    await t.waitFor((s) => all.test(s));
    t.keys("Escape");
    await t.waitForText("[exit 0]");
  });

  it("paints in colour on a terminal, and not at all under NO_COLOR", async () => {
    // An SGR sequence with a foreground colour (30–37, 90–97 or 38;…) among its parameters.
    const colour = new RegExp(`${String.fromCharCode(27)}\\[([0-9]*;)*(3[0-8]|9[0-7])[;m]`);
    let t = open([], {}, 80, 24);
    await t.waitForText("choose a scenario");
    expect(t.screenWithEscapes()).toMatch(colour);
    t.kill();
    t = open([], { NO_COLOR: "1" }, 80, 24);
    await t.waitForText("choose a scenario");
    expect(t.screenWithEscapes()).not.toMatch(colour);
  });

  it("runs a gameday drill against the demo shop: the runbook's failover really fixes checkout", async () => {
    shop = await startDemoShop();
    const t = open(
      ["run", "checkout-db-latency", "--mode", "gameday", "--journal-dir", dir],
      shop.env,
      110,
      32,
    );
    await t.waitForText("Enter start drill");
    expect(t.screen()).toContain("[gameday]");
    await t.waitForText("toxiproxy:", 15_000);
    await t.waitFor((s) => !s.includes("checking Toxiproxy"), 15_000);
    t.keys("Enter");
    await t.waitForText("choose a procedure", 15_000);
    // The fault lands at 5 s: checkout's real health probe starts failing through the proxy.
    await t.waitForText("checkout-health failing", 20_000);
    t.keys("a", "Enter");
    await t.waitForText("[ ] action   Fail reads over");
    t.keys("j", "j", "r");
    await t.waitForText("Run this step's command?");
    t.keys("y");
    const debrief = await t.waitForText("Debrief · RECOVERED", 30_000);
    expect(debrief).toContain(`journal: ${dir}`);
    t.keys("q");
    await t.waitForText("[exit");
    const lines = journal();
    expect(lines[0]).toMatchObject({ type: "header", mode: "gameday" });
    expect(lines.at(-1)).toMatchObject({ type: "summary", outcome: "recovered" });
    expect(lines.some((l) => l.event?.type === "command.ran" && l.event.step === "failover")).toBe(
      true,
    );
  }, 90_000);
});
