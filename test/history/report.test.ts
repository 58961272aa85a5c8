import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readJournalDir, readJournalFiles } from "../../src/drill/journal-reader.js";
import type { DrillRecord } from "../../src/drill/journal-record.js";
import {
  latestPerScenario,
  renderCsv,
  renderJson,
  renderJunit,
} from "../../src/history/exports.js";
import { renderHtml } from "../../src/history/render-html.js";
import { renderMarkdown } from "../../src/history/render-md.js";
import { buildDrillReport, driftReports } from "../../src/history/report-model.js";
import type { RunbookLocator } from "../../src/history/runbook-patch.js";
import { catalogRunbookLocator } from "../../src/history/sources.js";
import { loadRunbook } from "../../src/model/load.js";
import { FIXTURE_DIR } from "./make-fixtures.js";
import { checkXml } from "./xml.js";

const RUNBOOKS = `${FIXTURE_DIR}/runbooks`;
let all: DrillRecord[];
let locate: RunbookLocator;

function drillFile(startedAt: string, scenario = "checkout-db-latency") {
  return `${FIXTURE_DIR}/${startedAt.replaceAll(":", "-")}-${scenario}.jsonl`;
}

async function reportFor(file: string) {
  const [drill] = readJournalFiles([file], { keepEvents: true }).drills;
  return buildDrillReport(drill!, all, locate);
}

beforeAll(async () => {
  const read = readJournalDir(FIXTURE_DIR);
  expect(read.problems).toEqual([]);
  all = read.drills;
  locate = await catalogRunbookLocator(RUNBOOKS);
});

describe("post-drill report (md)", () => {
  it("reports the latest drill with timings against target and earlier drills, path and drift", async () => {
    const report = await reportFor(drillFile("2026-03-10T11:00:00Z"));
    const md = renderMarkdown(report);
    await expect(md).toMatchFileSnapshot("__snapshots__/report-latest.md");
    expect(report.previousCount).toBe(3);
    const ttr = report.timings.find((t) => t.key === "ttr")!;
    expect(ttr).toMatchObject({
      value: 190_000,
      target: 300_000,
      withinTarget: true,
      previous: 270_000,
      vsPrevious: "better",
    });
    // earlier recovered drills: 7m and 4m30s → median 5m45s
    expect(ttr.previousMedian).toBe(345_000);
    expect(report.adherence.outOfOrder.map((s) => s.id)).toEqual(["check-db"]);
    expect(report.drift?.offRunbook.map((c) => [c.command, c.drills])).toEqual([
      ["kubectl rollout restart deploy/checkout", 2],
      ["pg_stat_activity | grep waiting", 1],
    ]);
  });

  it("shows skipped checks, hints and escalations of a slow first drill", async () => {
    const report = await reportFor(drillFile("2026-01-05T10:00:00Z"));
    const md = renderMarkdown(report);
    await expect(md).toMatchFileSnapshot("__snapshots__/report-first.md");
    expect(report.adherence.skipped.map((s) => [s.id, s.status, s.detail])).toEqual([
      ["check-db", "skipped", "the dashboard was enough"],
    ]);
    expect(md).toContain("First drill of this scenario");
    expect(md).toContain("level 1: db-oncall");
  });

  it("reports a killed drill as incomplete with recomputed timings", async () => {
    const md = renderMarkdown(await reportFor(drillFile("2026-03-15T16:45:00Z")));
    await expect(md).toMatchFileSnapshot("__snapshots__/report-incomplete.md");
    expect(md).toContain("incomplete (no summary: the drill was killed)");
  });
});

describe("runbook drift patch", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "firedrill-patch-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("is a unified diff that git applies and that yields a valid runbook with the new step", async () => {
    const [drift] = driftReports(
      all.filter((d) => d.header.scenario.id === "checkout-db-latency"),
      locate,
    );
    expect(drift!.runbookFile).toBe(`${RUNBOOKS}/checkout.yaml`);
    expect(drift!.patch).toMatch(
      /^--- a\/fixtures\/journals\/runbooks\/checkout\.yaml\n\+\+\+ b\//,
    );
    // only the command that worked is proposed, not the failed grep
    expect(drift!.patch).toContain("kubectl-rollout-restart");
    expect(drift!.patch).not.toContain("pg_stat_activity");
    mkdirSync(join(dir, RUNBOOKS), { recursive: true });
    cpSync(`${RUNBOOKS}/checkout.yaml`, join(dir, RUNBOOKS, "checkout.yaml"));
    writeFileSync(join(dir, "drift.patch"), drift!.patch!);
    execFileSync("git", ["apply", "drift.patch"], { cwd: dir });
    const loaded = await loadRunbook(join(dir, RUNBOOKS, "checkout.yaml"));
    expect(loaded.problems).toEqual([]);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const steps = loaded.loaded.value.procedures[0]!.steps;
    expect(steps.map((s) => s.id)).toEqual([
      "check-dashboard",
      "check-db",
      "kubectl-rollout-restart",
      "failover",
      "verify",
      "notify",
    ]);
    expect(steps[2]!.run).toEqual(["kubectl", "rollout", "restart", "deploy/checkout"]);
  });

  it("counts skipped and reordered steps across the procedure's drills", () => {
    const [drift] = driftReports(
      all.filter((d) => d.header.scenario.id === "checkout-db-latency"),
      null,
    );
    expect(drift!.drills).toBe(5);
    expect(drift!.patch).toBeNull();
    // check-db skipped in the first drill, done after failover in the latest; the killed drill
    // needed it and nobody did it: missed, as its score and report say (the timed-out drill did it).
    // The timed-out and the killed drill never failed over or verified: missed too.
    expect(drift!.steps).toEqual([
      expect.objectContaining({ step: "check-db", skipped: 1, missed: 1, outOfOrder: 1 }),
      expect.objectContaining({ step: "failover", skipped: 0, missed: 2, outOfOrder: 0 }),
      expect.objectContaining({ step: "verify", skipped: 0, missed: 2, outOfOrder: 0 }),
    ]);
  });
});

describe("exports", () => {
  it("csv: a header and one row per drill", async () => {
    const csv = renderCsv(all);
    await expect(csv).toMatchFileSnapshot("__snapshots__/drills.csv");
    const rows = csv.trimEnd().split("\r\n");
    expect(rows).toHaveLength(all.length + 1);
    expect(rows[0]!.split(",")).toContain("ttrMs");
  });

  it("json: one object per drill plus drift with the patch", async () => {
    const json = JSON.parse(renderJson(all, driftReports(all, locate), []));
    expect(json.drills).toHaveLength(all.length);
    expect(json.drills.map((d: { drillId: string }) => d.drillId)).toEqual(
      all.map((d) => d.header.drillId),
    );
    expect(
      json.drift.find((d: { procedure: string }) => d.procedure === "db-latency").patch,
    ).toContain("+      - id: kubectl-rollout-restart");
  });

  it("junit: well-formed, one failed test case per drill that missed the target or did not recover", async () => {
    const xml = renderJunit(all);
    await expect(xml).toMatchFileSnapshot("__snapshots__/junit.xml");
    const doc = checkXml(xml);
    expect(doc.root).toBe("testsuites");
    expect(doc.count("testcase")).toBe(6);
    // 7m over 5m, timed out, killed: three failures
    expect(doc.count("failure")).toBe(3);
    expect(xml).toMatch(/<testsuites name="firedrill" tests="6" failures="3"/);
    expect(xml).toContain('message="TTR 7m exceeded the target 5m"');
  });

  it("junit --latest-per-scenario: one test case per scenario", () => {
    const latest = latestPerScenario(all);
    expect(latest.map((d) => d.header.scenario.id).sort()).toEqual([
      "checkout-db-latency",
      "search-timeout",
    ]);
    const doc = checkXml(renderJunit(latest));
    expect(doc.count("testcase")).toBe(2);
    expect(doc.count("failure")).toBe(1); // the killed drill is checkout's latest
  });
});

describe("html report", () => {
  it("is one self-contained file with the same sections and an SVG chart with one point per recovered drill", async () => {
    const report = await reportFor(drillFile("2026-03-10T11:00:00Z"));
    const html = renderHtml(report);
    await expect(html).toMatchFileSnapshot("__snapshots__/report-latest.html");
    for (const heading of [
      "Timings",
      "Timeline",
      "Runbook path",
      "Hints",
      "Escalations",
      "Runbook drift",
      "Action items",
    ])
      expect(html).toContain(`<h2>${heading}</h2>`);
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    expect(html).not.toContain("<script");
    expect(html).toContain('data-points="3"'); // 7m, 4m30s, 3m10s; two drills never recovered
    expect(html).toContain('data-misses="2"');
    expect(readFileSync(drillFile("2026-03-10T11:00:00Z"), "utf8")).not.toContain("<svg"); // sanity: fixtures untouched
  });
});
