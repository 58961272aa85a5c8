import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readJournalDir } from "../../src/drill/journal-reader.js";
import type { DrillRecord } from "../../src/drill/journal-record.js";
import { responderKind } from "../../src/history/filters.js";
import { lastDrilledAt, lastDrilledServiceAt, staleIds } from "../../src/history/staleness.js";
import { aggregate, median, percentile, ttrStats } from "../../src/history/ttr-stats.js";
import { writeJournal } from "./journals.js";

const DAY = 86_400_000;
const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * DAY).toISOString();
let dir: string;
let drills: DrillRecord[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "firedrill-stats-"));
  // checkout: target 5m. Recovered TTRs 400s, 300s, 200s, 100s and an incomplete 250s; one failure.
  const checkout = [
    { days: 0, ttr: 400_000 },
    { days: 10, ttr: 300_000 },
    { days: 20, ttr: null },
    { days: 30, ttr: 200_000 },
    { days: 40, ttr: 100_000 },
    { days: 45, ttr: 250_000, complete: false },
  ];
  for (const [i, d] of checkout.entries()) {
    writeJournal(dir, {
      drillId: `c${i}`,
      startedAt: day(d.days),
      ttr: d.ttr,
      complete: d.complete,
      targetTtr: 300_000,
    });
  }
  // search (team discovery): two drills, 60s and 90s, target 2m.
  writeJournal(dir, {
    drillId: "s0",
    startedAt: day(5),
    scenario: "search-timeout",
    service: "search",
    owner: "discovery",
    ttr: 60_000,
    targetTtr: 120_000,
  });
  writeJournal(dir, {
    drillId: "s1",
    startedAt: day(6),
    scenario: "search-timeout",
    service: "search",
    owner: "discovery",
    ttr: 90_000,
    targetTtr: 120_000,
  });
  // a second checkout scenario with no owner
  writeJournal(dir, {
    drillId: "p0",
    startedAt: day(7),
    scenario: "checkout-payment-down",
    owner: null,
    ttr: 150_000,
  });
  drills = readJournalDir(dir).drills;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("TTR statistics", () => {
  it("median, p90 and mean by hand", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
    // nearest rank: the 9th of 10 values, the 5th of 5
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 90)).toBe(90);
    expect(percentile([1, 2, 3, 4, 5], 90)).toBe(5);
    expect(percentile([7], 90)).toBe(7);
  });

  it("per scenario: count, median, p90, mean, trend and share within target", () => {
    const [checkout] = aggregate(drills, "scenario", responderKind).filter(
      (a) => a.key === "checkout-db-latency",
    );
    const s = checkout!.stats;
    expect(s.count).toBe(6);
    expect(s.recovered).toBe(5); // 400, 300, 200, 100 and the incomplete drill's recomputed 250
    expect(s.incomplete).toBe(1);
    expect(s.median).toBe(250_000);
    expect(s.p90).toBe(400_000);
    expect(s.mean).toBe(250_000);
    // within 5m: 300, 200, 100, 250 of 6 drills (the unrecovered one counts as a miss)
    expect(s.withinTargetCount).toBe(4);
    expect(s.withinTarget).toBeCloseTo(4 / 6, 10);
    expect(checkout!.targetTtr).toBe(300_000);
    // period day 0..45: first third up to day 15 (400, 300 → 350), last from day 30 (200, 100, 250 → 200)
    expect(s.trend).not.toBeNull();
    expect(s.trend!.first.medianTtr).toBe(350_000);
    expect(s.trend!.first.drills).toBe(2);
    expect(s.trend!.last.medianTtr).toBe(200_000);
    expect(s.trend!.last.drills).toBe(3);
    expect(s.trend!.change).toBe(-150_000);
    expect(s.trend!.changeRatio).toBeCloseTo(-150 / 350, 10);
  });

  it("per service and per team (team = the scenario's owner)", () => {
    const services = aggregate(drills, "service", responderKind);
    expect(services.map((a) => [a.key, a.stats.count])).toEqual([
      ["checkout", 7],
      ["search", 2],
    ]);
    const teams = aggregate(drills, "team", responderKind);
    expect(teams.map((a) => [a.key, a.stats.count])).toEqual([
      ["(no owner)", 1],
      ["discovery", 2],
      ["payments", 6],
    ]);
    const discovery = teams.find((a) => a.key === "discovery")!.stats;
    expect(discovery.median).toBe(75_000);
    expect(discovery.mean).toBe(75_000);
    expect(discovery.p90).toBe(90_000);
    expect(discovery.withinTarget).toBe(1);
    // one day apart: first third has only the 60s drill, the last only the 90s one
    expect(discovery.trend!.change).toBe(30_000);
    expect(discovery.trend!.changeRatio).toBe(0.5);
  });

  it("gives no trend without a recovered drill in both thirds", () => {
    const single = drills.filter((d) => d.header.scenario.id === "checkout-payment-down");
    expect(ttrStats(single).trend).toBeNull();
    expect(ttrStats([]).median).toBeNull();
    expect(ttrStats([]).withinTarget).toBeNull();
  });
});

describe("staleness for lint", () => {
  it("knows when each scenario and service was last drilled", () => {
    const last = lastDrilledAt(drills);
    expect(last.get("checkout-db-latency")?.toISOString()).toBe(day(45));
    expect(last.get("search-timeout")?.toISOString()).toBe(day(6));
    expect(lastDrilledServiceAt(drills).get("checkout")?.toISOString()).toBe(day(45));
  });

  it("lists never-drilled and stale ids, never-drilled first", () => {
    const last = lastDrilledAt(drills);
    const now = new Date(Date.parse(day(100)));
    const stale = staleIds(["checkout-db-latency", "search-timeout", "cache-down"], last, now, 90);
    expect(stale).toEqual([
      { id: "cache-down", lastDrilled: null, days: null },
      { id: "search-timeout", lastDrilled: new Date(day(6)), days: 94 },
    ]);
  });
});
