import { EventEmitter } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../src/drill/clock.js";
import type { DrillPlan, LaunchedDrill, SafetyReport } from "../../src/drill/launch.js";
import { startDrill } from "../../src/drill/lifecycle.js";
import { closingLines, exitCodeOf } from "../../src/drill/outcome.js";
import { createSession } from "../../src/drill/session.js";
import { scenario, setup } from "./builders.js";
import { RecordingBackend } from "./fake-backend.js";

let dir: string;
let clock: FakeClock;
let backend: RecordingBackend;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "firedrill-lifecycle-"));
  clock = new FakeClock();
  backend = new RecordingBackend();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const s = scenario();
const plan: DrillPlan = {
  scenario: s,
  mode: "gameday",
  responder: "ana",
  journalDir: "drills",
  toxiproxyUrl: "http://127.0.0.1:8474",
  allowHosts: [],
  productionPatterns: [],
  firedrillVersion: "test",
};

function launch(): LaunchedDrill {
  const session = createSession(setup("gameday", s), "life1", {
    clock,
    scheduler: clock,
    backend,
    runProbe: async () => ({ ok: false, latencyMs: 900, detail: "503" }),
  });
  return {
    drillId: "life1",
    session,
    scheduler: clock,
    prepareProxies: async () => ({ created: [], existing: [], claimed: [] }),
  };
}

const passes = async (): Promise<SafetyReport> => ({ ok: true, checks: [], warnings: [] });

/** Starts a drill whose fault is applied, with the process's handlers as a real run has them. */
async function live(extra: Parameters<typeof startDrill>[1] = {}) {
  const started = await startDrill({ ...plan, cwd: dir }, { launch, check: passes, ...extra });
  if (!started.ok) throw new Error("did not start");
  await clock.advanceAsync(10_000);
  expect(backend.ledger()).toHaveLength(1);
  return started.run;
}

describe("startDrill: one lifecycle for the TUI and the headless run", () => {
  it("refuses on a failed preflight with exit 2, applying nothing", async () => {
    const started = await startDrill(
      { ...plan, cwd: dir },
      {
        launch,
        check: async () => ({
          ok: false,
          checks: [{ name: "probe health", ok: false, detail: "503" }],
          warnings: [],
        }),
      },
    );
    expect(started.ok).toBe(false);
    if (started.ok) return;
    expect(exitCodeOf(started.outcome)).toBe(2);
    expect(closingLines(started.outcome)).toEqual([
      "preflight refused the drill; nothing was applied: probe health: 503",
    ]);
    expect(backend.calls).not.toContain("prepare");
  });

  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
    ["SIGHUP", 129],
  ] as const)(
    "stops on %s: every fault reverted, exit %i, handlers removed",
    async (signal, code) => {
      const before = process.listenerCount(signal);
      const told: string[] = [];
      const run = await live({ onStop: (stop) => told.push(stop.kind) });
      expect(process.listenerCount(signal)).toBe(before + 1);
      process.emit(signal, signal);
      const outcome = await run.outcome;
      expect(exitCodeOf(outcome)).toBe(code);
      expect(backend.ledger()).toEqual([]);
      expect(told).toEqual(["signal"]);
      expect(
        run.session.getState().events.find((e) => e.event.type === "aborted")?.event,
      ).toMatchObject({ reason: `interrupted (${signal})` });
      expect(process.listenerCount(signal)).toBe(before);
    },
  );

  it("treats EIO on the terminal as a hangup: reverted, exit 129", async () => {
    const terminal = { input: new EventEmitter(), output: new EventEmitter() };
    const run = await live({ terminal, processHandlers: false });
    terminal.output.emit("error", Object.assign(new Error("write EIO"), { code: "EIO" }));
    const outcome = await run.outcome;
    expect(exitCodeOf(outcome)).toBe(129);
    expect(backend.ledger()).toEqual([]);
    expect(closingLines(outcome)[0]).toMatch(
      /^drill stopped: terminal closed \(EIO\); 1 fault reverted/,
    );
    // Later writes to the dead terminal fail too: still swallowed, never thrown as uncaught.
    expect(() =>
      terminal.output.emit("error", Object.assign(new Error("EIO"), { code: "EIO" })),
    ).not.toThrow();
  });

  it("stops on an uncaught error as an internal error, after reverting", async () => {
    const run = await live();
    process.emit("uncaughtException", new Error("a bug"));
    const outcome = await run.outcome;
    expect(backend.ledger()).toEqual([]);
    expect(exitCodeOf(outcome)).toBe(70);
    expect(closingLines(outcome)[0]).toMatch(
      /^drill stopped: internal error: a bug; 1 fault reverted/,
    );
  });

  it("exits 3 and names the clean-up command when a fault cannot be reverted", async () => {
    backend.failRevert = true;
    const run = await live();
    process.emit("SIGTERM", "SIGTERM");
    const outcome = await run.outcome;
    expect(exitCodeOf(outcome)).toBe(3);
    expect(closingLines(outcome).at(-1)).toBe(
      "remove it from this directory with: firedrill cleanup --url http://127.0.0.1:8474",
    );
  });
});
