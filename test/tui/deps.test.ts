import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JournalWriter } from "../../src/drill/journal.js";
import { openWorkspace } from "../../src/model/workspace.js";
import { workspaceDeps } from "../../src/tui/deps.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "firedrill-tui-deps-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A finished drill journal of `scenario`, started at `startedAt`, recovered after `ttr` ms. */
function journal(scenario: string, startedAt: string, drillId: string, ttr: number | null) {
  const writer = JournalWriter.create(dir, {
    drillId,
    startedAt,
    firedrillVersion: "test",
    mode: "tabletop",
    responder: "ana",
    scenario: { id: scenario, title: scenario, service: "checkout-api" },
    targets: { ttr: 240_000 },
  });
  writer.event({ t: 0, event: { type: "drill.started", mode: "tabletop", responder: "ana" } });
  writer.event({ t: 1000, event: { type: "fault.applied", fault: 0, label: "f" } });
  if (ttr !== null) writer.event({ t: 1000 + ttr, event: { type: "recovered" } });
  writer.summary({
    endedAt: startedAt,
    outcome: ttr === null ? "aborted" : "recovered",
    timings: { ttd: null, tta: null, ttm: null, ttr },
    withinTarget: ttr !== null && ttr <= 240_000,
    score: 50,
    grade: "F",
    breakdown: [],
  });
  writer.close();
}

async function deps() {
  const workspace = await openWorkspace({ cwd: resolve("."), paths: [] });
  return workspaceDeps({
    workspace,
    journalDir: dir,
    defaultResponder: "ana",
    start: async () => {
      throw new Error("not in this test");
    },
  });
}

describe("workspace loaders", () => {
  it("lists every scenario with its owner and the newest drill's date and TTR", async () => {
    journal("checkout-db-latency", "2026-11-01T10:00:00.000Z", "aaaa0001", 200_000);
    journal("checkout-db-latency", "2026-11-20T10:00:00.000Z", "aaaa0002", 90_000);
    journal("session-cache-resets", "2026-11-10T10:00:00.000Z", "aaaa0003", null);
    const entries = await (await deps()).catalog();
    const byId = new Map(entries.map((e) => [e.id, e]));
    expect(byId.get("checkout-db-latency")).toMatchObject({
      service: "checkout-api",
      owner: "team-checkout",
      targetTtr: 240_000,
      lastDrilledAt: "2026-11-20T10:00:00.000Z",
      lastTtr: 90_000,
    });
    expect(byId.get("session-cache-resets")).toMatchObject({ lastTtr: null });
    expect(byId.get("payments-provider-timeout")?.lastDrilledAt).toBeUndefined();
  });

  it("gives a scenario's drills oldest first, and its briefing with the runbook", async () => {
    journal("checkout-db-latency", "2026-11-20T10:00:00.000Z", "aaaa0002", 90_000);
    journal("checkout-db-latency", "2026-11-01T10:00:00.000Z", "aaaa0001", 200_000);
    journal("session-cache-resets", "2026-11-10T10:00:00.000Z", "aaaa0003", null);
    const d = await deps();
    const drills = await d.history("checkout-db-latency");
    expect(drills.map((x) => [x.drillId, x.ttr])).toEqual([
      ["aaaa0001", 200_000],
      ["aaaa0002", 90_000],
    ]);
    const all = await d.histories(["checkout-db-latency", "session-cache-resets", "nope"]);
    expect(all.get("checkout-db-latency")?.map((x) => x.drillId)).toEqual(["aaaa0001", "aaaa0002"]);
    expect(all.get("session-cache-resets")?.map((x) => x.drillId)).toEqual(["aaaa0003"]);
    expect(all.get("nope")).toEqual([]);
    const briefing = await d.briefing("checkout-db-latency");
    expect(briefing.runbook?.owner).toBe("team-checkout");
    await expect(d.briefing("checkout-db-latncy")).rejects.toThrow(
      /no scenario "checkout-db-latncy".*checkout-db-latency/,
    );
  });

  it("briefs a scenario file outside the scenario directories, as `firedrill run <file>` plans it", async () => {
    const file = join(dir, "elsewhere.yaml");
    const sample = readFileSync("scenarios/checkout-db-latency.yaml", "utf8");
    writeFileSync(file, sample.replace(/^id: checkout-db-latency$/m, "id: elsewhere-drill"));
    const briefing = await (await deps()).briefing(file);
    expect(briefing.scenario.id).toBe("elsewhere-drill");
    expect(briefing.file).toBe(file);
    expect(briefing.runbook?.owner).toBe("team-checkout");
  });
});
