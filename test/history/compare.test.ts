import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolvePlan } from "../../src/cli/plan.js";
import { responderKindOf } from "../../src/drill/journal-format.js";
import { firedrill } from "../support/cli.js";
import { type DrillSpec, writeJournal } from "./journals.js";

let root: string;
let team: string;
let shared: string;

const day = (n: number) => new Date(Date.UTC(2026, 3, 1 + n, 10)).toISOString();

/** People taking 9–10 s, robots taking 3 ms, and a tabletop drill: what the issue saw mixed. */
const TEAM: DrillSpec[] = [
  {
    drillId: "p1",
    startedAt: day(0),
    responder: "alice",
    responderKind: "person",
    ttd: 2000,
    tta: 4000,
    ttm: 8000,
    ttr: 9500,
  },
  {
    drillId: "a1",
    startedAt: day(1),
    responder: "ci",
    responderKind: "auto",
    ttd: 1,
    tta: 2,
    ttm: 2,
    ttr: 3,
  },
  {
    drillId: "p2",
    startedAt: day(2),
    responder: "bob",
    responderKind: "person",
    ttd: 2000,
    tta: 4000,
    ttm: 8000,
    ttr: 10_000,
  },
  // Journals from before responderKind: a 2 ms acknowledgement was the old --auto ...
  { drillId: "o1", startedAt: day(3), responder: "root", ttd: 1, tta: 2, ttm: 3, ttr: 4 },
  // ... a driver named so ...
  {
    drillId: "o2",
    startedAt: day(4),
    responder: "script",
    ttd: 500,
    tta: 1000,
    ttm: 1500,
    ttr: 2000,
  },
  // ... and anything else is a person.
  {
    drillId: "o3",
    startedAt: day(5),
    responder: "carol",
    ttd: 2000,
    tta: 5000,
    ttm: 8000,
    ttr: 9000,
  },
  {
    drillId: "t1",
    startedAt: day(6),
    responder: "alice",
    responderKind: "person",
    mode: "tabletop",
    ttd: 1000,
    tta: 2000,
    ttm: 3000,
    ttr: 60_000,
  },
  {
    drillId: "a2",
    startedAt: day(7),
    responder: "ci",
    responderKind: "auto",
    ttd: 1,
    tta: 2,
    ttm: 2,
    ttr: 3,
  },
  {
    drillId: "p3",
    startedAt: day(8),
    responder: "alice",
    responderKind: "person",
    ttd: 2000,
    tta: 3000,
    ttm: 7000,
    ttr: 8000,
  },
];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "firedrill-compare-"));
  team = join(root, "team");
  shared = join(root, "shared");
  for (const spec of TEAM) writeJournal(team, spec);
  // Another laptop's drills in a shared directory, one of them also copied into ours.
  writeJournal(shared, {
    drillId: "s1",
    startedAt: day(9),
    responder: "dave",
    responderKind: "person",
    ttr: 7000,
    tta: 3000,
    ttd: 1000,
    ttm: 5000,
  });
  mkdirSync(shared, { recursive: true });
  for (const name of readdirSync(team).filter((n) => n.startsWith("p1")))
    copyFileSync(join(team, name), join(shared, name));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface HistoryJsonLite {
  included: { mode: string | null; responderKinds: string[]; automatedLeftOut: number };
  drills: { drillId: string; responderKind: string; mode: string }[];
  aggregates: {
    scenario: {
      key: string;
      mode: string;
      responderKind: string;
      stats: { count: number; median: number };
    }[];
  };
}

async function historyJson(...args: string[]): Promise<HistoryJsonLite> {
  const { code, stdout, stderr } = await firedrill(["history", "--json", ...args]);
  expect(stderr).toBe("");
  expect(code).toBe(0);
  return JSON.parse(stdout) as HistoryJsonLite;
}

describe("who answered a drill", () => {
  it("new journals record it; older ones are inferred from the name or a machine-fast acknowledgement", () => {
    expect(responderKindOf({ responder: "root", responderKind: "script" }, 2)).toBe("script");
    expect(responderKindOf({ responder: "root" }, 2)).toBe("auto");
    expect(responderKindOf({ responder: "auto" }, 60_000)).toBe("auto");
    expect(responderKindOf({ responder: "Script" }, null)).toBe("script");
    expect(responderKindOf({ responder: "root" }, 400)).toBe("person");
    expect(responderKindOf({ responder: "root" }, null)).toBe("person");
  });

  it("run records person, auto or script in the journal header", async () => {
    const opts = { mode: "tabletop" as const };
    expect((await resolvePlan("checkout-db-latency", opts)).responderKind).toBe("person");
    expect((await resolvePlan("checkout-db-latency", { ...opts, auto: true })).responderKind).toBe(
      "auto",
    );
    expect(
      (await resolvePlan("checkout-db-latency", { ...opts, script: "x.yaml" })).responderKind,
    ).toBe("script");
    const dir = join(root, "run");
    const run = await firedrill(
      ["run", "payments-receipts-bandwidth", "--mode", "tabletop", "--auto", "--journal-dir", dir],
      { timeoutMs: 80_000 },
    );
    expect(run.code).toBe(0);
    const [file] = readdirSync(dir);
    const header = JSON.parse(readFileSync(join(dir, file!), "utf8").split("\n")[0]!);
    expect(header.responderKind).toBe("auto");
    // --auto acknowledges at the scenario's first signal (20 s in), like a person would.
  }, 90_000);
});

describe("history compares like with like", () => {
  it("by default: people only, each mode apart, and says so", async () => {
    const { code, stdout } = await firedrill(["history", "--journal-dir", team]);
    expect(code).toBe(0);
    const rows = stdout.split("\n").filter((line) => line.startsWith("2026-"));
    expect(rows).toHaveLength(5);
    expect(rows.join("\n")).not.toMatch(/\bci\b|\broot\b|\bscript\b/);
    // 9.5 s, 10 s, 9 s, 8 s: no 3 ms robot run drags the trend to "-100%".
    expect(stdout).toMatch(/^checkout-db-latency\s+gameday\s+people\s+4\s+9\.\ds/m);
    expect(stdout).toMatch(/^checkout-db-latency\s+tabletop\s+people\s+1\s/m);
    expect(stdout).not.toContain("-100%");
    expect(stdout.trimEnd().split("\n").at(-1)).toBe(
      "Included: tabletop and gameday, aggregated apart; people only; 4 --auto/--script runs left out (--include-automated shows them).",
    );
  });

  it("--include-automated shows robot runs in rows of their own, never averaged with people", async () => {
    const { stdout } = await firedrill(["history", "--journal-dir", team, "--include-automated"]);
    expect(stdout).toMatch(/\bci \(--auto\)/);
    expect(stdout).toMatch(/\broot \(--auto\)/);
    expect(stdout).toMatch(/\bscript \(--script\)/);
    expect(stdout).toMatch(/^checkout-db-latency\s+gameday\s+people\s+4\s+9\.\ds/m);
    expect(stdout).toMatch(/^checkout-db-latency\s+gameday\s+--auto\s+3\s+3ms/m);
    expect(stdout).toMatch(/^checkout-db-latency\s+gameday\s+--script\s+1\s/m);
    const json = await historyJson("--journal-dir", team, "--include-automated");
    expect(json.included).toMatchObject({
      responderKinds: ["person", "auto", "script"],
      automatedLeftOut: 0,
    });
    expect(json.drills.find((d) => d.drillId === "o1")!.responderKind).toBe("auto");
  });

  it("--mode and --responder filter explicitly", async () => {
    const tabletop = await historyJson("--journal-dir", team, "--mode", "tabletop");
    expect(tabletop.drills.map((d) => d.drillId)).toEqual(["t1"]);
    expect(tabletop.included.mode).toBe("tabletop");
    const alice = await historyJson(
      "--journal-dir",
      team,
      "--responder",
      "alice",
      "--mode",
      "gameday",
    );
    expect(alice.drills.map((d) => d.drillId)).toEqual(["p1", "p3"]);
    const bad = await firedrill(["history", "--journal-dir", team, "--mode", "live"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("tabletop, gameday");
  });

  it("reads several --journal-dir together, a journal found in two of them once", async () => {
    const json = await historyJson("--journal-dir", team, "--journal-dir", shared);
    expect(json.drills.map((d) => d.drillId)).toEqual(["p1", "p2", "o3", "t1", "p3", "s1"]);
    const gameday = json.aggregates.scenario.find((a) => a.mode === "gameday")!;
    expect(gameday.stats.count).toBe(5);
  });
});

describe("report compares like with like", () => {
  it("a person's drill with earlier drills by people in the same mode, and says so", async () => {
    const { code, stdout } = await firedrill([
      "report",
      "--latest",
      "--mode",
      "gameday",
      "--journal-dir",
      team,
    ]);
    expect(code).toBe(0);
    // p1, p2, o3: not the robots, not the tabletop drill.
    expect(stdout).toContain(
      "the median of 3 earlier drills of this scenario (gameday drills by people).",
    );
    const all = await firedrill([
      "report",
      "--latest",
      "--mode",
      "gameday",
      "--include-automated",
      "--journal-dir",
      team,
    ]);
    expect(all.stdout).toContain(
      "the median of 7 earlier drills of this scenario (gameday drills by people and --auto/--script runs).",
    );
    const mine = await firedrill([
      "report",
      "--latest",
      "--responder",
      "alice",
      "--mode",
      "gameday",
      "--journal-dir",
      team,
      "--journal-dir",
      shared,
    ]);
    expect(mine.stdout).toContain(
      "the median of 1 earlier drill of this scenario (gameday drills by people (responder alice)).",
    );
  });

  it("exports list every drill with who answered it", async () => {
    const { stdout } = await firedrill(["report", "-f", "csv", "--journal-dir", team]);
    const [head, ...rows] = stdout.trimEnd().split("\r\n");
    const col = head!.split(",").indexOf("responderKind");
    expect(col).toBeGreaterThan(-1);
    expect(rows.map((r) => r.split(",")[col])).toEqual([
      "person",
      "auto",
      "person",
      "auto",
      "script",
      "person",
      "person",
      "auto",
      "person",
    ]);
  });
});
