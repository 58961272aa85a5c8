import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { firedrill } from "../support/cli.js";
import { writeJournal } from "./journals.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "firedrill-whole-ms-"));
  // What the monotonic clock really leaves in journals.
  writeJournal(dir, {
    drillId: "frac0001",
    startedAt: "2026-04-01T10:00:00.000Z",
    ttd: 3602.720999999292,
    tta: 40_000.4,
    ttm: 200_000.5,
    ttr: 230_000.25,
  });
  writeJournal(dir, {
    drillId: "frac0002",
    startedAt: "2026-04-02T10:00:00.000Z",
    ttr: 100_000.5,
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const isWholeOrNull = (v: unknown) => v === null || Number.isInteger(v);

describe("exported timings are whole milliseconds", () => {
  it("csv", async () => {
    const { code, stdout } = await firedrill(["report", "-f", "csv", "--journal-dir", dir]);
    expect(code).toBe(0);
    const [head, first] = stdout.trimEnd().split("\r\n");
    const cells = head!.split(",");
    const row = first!.split(",");
    expect(row[cells.indexOf("ttdMs")]).toBe("3603");
    expect(row[cells.indexOf("ttaMs")]).toBe("40000");
    expect(row[cells.indexOf("ttrMs")]).toBe("230000");
    for (const key of ["ttdMs", "ttaMs", "ttmMs", "ttrMs", "targetTtrMs"])
      expect(row[cells.indexOf(key)], key).toMatch(/^\d*$/);
  });

  it("report json and history json, aggregates included", async () => {
    const report = await firedrill(["report", "-f", "json", "--journal-dir", dir]);
    const drills = JSON.parse(report.stdout).drills as Record<string, unknown>[];
    expect(drills[0]).toMatchObject({ ttdMs: 3603, ttaMs: 40000, ttmMs: 200001, ttrMs: 230000 });
    const history = await firedrill(["history", "--json", "--journal-dir", dir]);
    const json = JSON.parse(history.stdout);
    for (const d of json.drills)
      for (const v of Object.values(d.timings)) expect(isWholeOrNull(v)).toBe(true);
    const stats = json.aggregates.scenario[0].stats;
    for (const key of ["median", "p90", "mean"])
      expect(Number.isInteger(stats[key]), key).toBe(true);
    expect(history.stdout).not.toMatch(/"(median|mean|p90|ttd|tta|ttm|ttr)":\d+\.\d/);
  });

  it("junit", async () => {
    const { stdout } = await firedrill(["report", "-f", "junit", "--journal-dir", dir]);
    expect(stdout).toContain('<property name="ttrMs" value="230000"/>');
  });
});
