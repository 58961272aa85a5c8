import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hasTmux, Tmux } from "../tui/tmux.js";
import { alive, refuses } from "./helpers.js";

// `firedrill demo` (what `npm start` runs) in a real pseudo-terminal, from the bundle.
const CLI = resolve("dist/firedrill.js");
const tmux = hasTmux();
if (!tmux) console.warn("test/demo/interactive: tmux is not installed; these tests are skipped");

let term: Tmux | undefined;
let dir: string;
let counter = 0;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "firedrill-demo-tui-"));
});
afterEach(() => {
  term?.kill();
  term = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function openDemo(): Tmux {
  term = new Tmux(`demo${counter++}`, 120, 40);
  term.start([process.execPath, CLI, "demo", "--journal-dir", dir], { USER: "ana" });
  return term;
}

/** The demo services the CLI process started: its children running demo-service.js. */
function servicePids(cliPid: number): number[] {
  const out = execFileSync("ps", ["-o", "pid=,args=", "--ppid", String(cliPid)], {
    encoding: "utf8",
  });
  return out
    .split("\n")
    .filter((line) => line.includes("demo-service.js"))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

/** Every port the start-up lines name (services, the proxy API, each proxy's listen port). */
function shopPorts(screen: string): number[] {
  const lines = screen.split("\n").filter((line) => line.trimStart().startsWith("✓"));
  return [
    ...new Set(
      lines.flatMap((line) => [...line.matchAll(/:(\d{2,5})\b/g)].map((m) => Number(m[1]))),
    ),
  ];
}

async function nothingLeft(pids: readonly number[], ports: readonly number[]): Promise<void> {
  // The CLI stops the shop before it exits; allow the kernel a moment to reap.
  const deadline = Date.now() + 5000;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(pids.filter(alive), "demo processes still alive").toEqual([]);
  for (const port of ports) expect(await refuses(port), `port ${port} still listens`).toBe(true);
}

describe.skipIf(!tmux)("firedrill demo in a terminal", () => {
  it("shows the samples, plays checkout-db-latency to recovery against the real shop, and leaves nothing behind", async () => {
    const t = openDemo();
    const picker = await t.waitForText("choose a scenario (5 of 5)", 20_000);
    for (const id of [
      "checkout-db-latency",
      "payments-provider-timeout",
      "payments-receipts-bandwidth",
      "session-cache-resets",
    ]) {
      expect(picker).toContain(id);
    }
    const pids = servicePids(t.nodePid());
    expect(pids).toHaveLength(5);

    // checkout-db-latency is first: its briefing opens in gameday, preflight against the shop.
    t.keys("Enter");
    const briefing = await t.waitFor(
      (s) => s.includes("✓ probe replica-alive") && s.includes("✓ probe checkout-health"),
      15_000,
    );
    expect(briefing).toContain("[gameday]");
    const toxiproxy = /Toxiproxy (http:\/\/127\.0\.0\.1:\d+)/.exec(briefing)?.[1];
    expect(toxiproxy).toBeDefined();
    expect(briefing).toContain(`✓ toxiproxy: ${toxiproxy} answers`);

    t.keys("Enter");
    // The fault lands at 5 s and checkout's real health check starts failing through the proxy.
    await t.waitForText("checkout-health failing", 20_000);
    t.keys("a");
    await t.waitForText("ACKNOWLEDGED");
    t.keys("Enter");
    await t.waitForText("› [ ] check    Compare primary and replica latency");
    t.keys("r");
    await t.waitForText("Run this step's command?");
    t.keys("y");
    await t.waitFor((s) => s.includes("/admin/status") && /exit 0 in/.test(s), 10_000);
    // A step whose command exits 0 is done (docs/scoring.md): no Space needed.
    await t.waitForText("[x] check    Compare primary");
    t.keys("s");
    await t.waitForText("› [ ] action   Fail reads over to the replica");
    t.keys("r");
    await t.waitForText("Run this step's command?");
    t.keys("y");
    await t.waitForText("Debrief · RECOVERED", 30_000);
    // The clean-up's result joins the score line once the fault is reverted.
    const debrief = await t.waitForText("1 fault reverted", 10_000);
    expect(debrief).toContain("within the TTR target of 4m");
    expect(debrief).toContain(`journal: ${dir}`);

    t.keys("q");
    const after = await t.waitForText("[exit 0]", 15_000);
    expect(after).toContain("firedrill demo · starting the demo shop");
    expect(after).toContain("✓ checkout");
    expect(after).toMatch(/✓ fault proxy\s+\d+ ms {2}http:\/\/127\.0\.0\.1:\d+ · checkout-db :\d+/);
    expect(after).toContain(toxiproxy!);
    expect(after).toMatch(/nothing listens on its 9 ports/);
    const ports = shopPorts(after);
    expect(ports.length).toBe(9);
    await nothingLeft(pids, ports);

    const files = readdirSync(dir).filter((f) => f.endsWith(".jsonl"));
    expect(files).toHaveLength(1);
    const lines = readFileSync(join(dir, files[0]!), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { type: string; mode?: string; outcome?: string });
    expect(lines[0]).toMatchObject({ type: "header", mode: "gameday" });
    expect(lines.at(-1)).toMatchObject({ type: "summary", outcome: "recovered" });
  }, 120_000);

  it("resets the shop between drills: a second drill's fault is not hidden by the first's failover", async () => {
    const t = openDemo();
    await t.waitForText("choose a scenario (5 of 5)", 20_000);
    t.keys("Enter");
    await t.waitForText("✓ probe replica-alive", 15_000);
    t.keys("Enter");
    await t.waitForText("checkout-health failing", 20_000);
    // Run the failover step: checkout now bypasses the slow proxy, and the drill recovers.
    t.keys("a", "Enter", "j", "j", "r");
    await t.waitForText("Run this step's command?");
    t.keys("y");
    await t.waitForText("Debrief · RECOVERED", 30_000);
    // Back to the picker, the same scenario again: without a reset health would stay 200.
    t.keys("p");
    await t.waitForText("choose a scenario (5 of 5)");
    t.keys("Enter");
    await t.waitForText("✓ probe replica-alive", 15_000);
    t.keys("Enter");
    await t.waitForText("checkout-health failing", 20_000);
    t.keys("C-c");
    const after = (await t.waitForText("[exit 130]", 15_000)).replaceAll("\n", "");
    expect(after).toMatch(/drill aborted \(Ctrl-C\): 1 fault reverted/);
    // The first drill is not forgotten: one line per drill played.
    expect(after).toMatch(/firedrill: checkout-db-latency: recovered · score \d+/);
    expect(after).toContain("nothing listens on its 9 ports");
  }, 120_000);

  it("Esc from the picker stops every process and closes every port", async () => {
    const t = openDemo();
    await t.waitForText("choose a scenario (5 of 5)", 20_000);
    const pids = servicePids(t.nodePid());
    expect(pids).toHaveLength(5);
    t.keys("Escape");
    const after = await t.waitForText("[exit 0]", 15_000);
    expect(t.modes()).toEqual({ alternate: false, cursor: true });
    await nothingLeft(pids, shopPorts(after));
    expect(shopPorts(after)).toHaveLength(9);
  }, 60_000);
});
