import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/model/catalog.js";
import { lintCatalog } from "../../src/model/lint-rules.js";
import { formatProblem } from "../../src/model/problem.js";

const NOW = new Date("2026-11-25T12:00:00Z");
let dir: string;

const THIN_RUNBOOK = `service: thin
owner: team-thin
reviewed: 2026-01-01
escalation:
  - { level: 1, who: on-call }
procedures:
  - id: restart
    title: Restart it
    steps:
      - { id: restart, kind: action, title: Restart }
`;

const LONELY_RUNBOOK = `service: lonely
owner: team-lonely
escalation:
  - { level: 1, who: a }
  - { level: 2, who: b }
monitoring:
  alerts: [{ name: Down, threshold: "up == 0 for 1m" }]
reviewed: 2026-11-01
procedures:
  - id: fix
    title: Fix
    steps:
      - { id: look, kind: check, title: Look }
      - { id: ok, kind: verify, title: Verify }
      - { id: undo, kind: rollback, title: Undo }
`;

const SCENARIO = `id: thin-outage
title: Thin outage
service: thin
targets: { ttr: 2m }
briefing: b
faults: [{ command: { inject: "true", revert: "true", shell: true } }]
`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "firedrill-lint-"));
  await mkdir(join(dir, "scenarios"));
  await mkdir(join(dir, "runbooks"));
  writeFileSync(join(dir, "runbooks/thin.yaml"), THIN_RUNBOOK);
  writeFileSync(join(dir, "runbooks/lonely.yaml"), LONELY_RUNBOOK);
  writeFileSync(join(dir, "scenarios/thin.yaml"), SCENARIO);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("lint rules", () => {
  it("warns about every gap in the ownership map and scores runbooks", async () => {
    const catalog = await loadCatalog([dir], { env: {} });
    const report = lintCatalog(catalog, { now: NOW, reviewMaxAgeDays: 180 });
    const lines = report.problems.map((p) => formatProblem(p).slice(dir.length + 1));
    expect(lines).toEqual([
      'runbooks/lonely.yaml:1:10: warning: service: no scenario exercises service "lonely"; add one under scenarios/ so this runbook gets rehearsed',
      "runbooks/thin.yaml:1:1: warning: monitoring: no monitoring alerts with thresholds; add monitoring.alerts: [{name, threshold}] so responders know what fired",
      "runbooks/thin.yaml:3:11: warning: reviewed: last reviewed 328 days ago (2026-01-01); review it at least every 180 days",
      "runbooks/thin.yaml:5:3: warning: escalation: escalation has 1 level; add at least 2 (level, who, after) so a responder knows who comes next",
      'runbooks/thin.yaml:7:9: warning: procedures[0].id: procedure "restart" has no verify step; add one (kind: verify) to confirm the mitigation worked',
      'runbooks/thin.yaml:7:9: warning: procedures[0].id: procedure "restart" has no rollback step; add one (kind: rollback) to undo the mitigation safely',
    ]);
    expect(report.errors).toBe(0);
    expect(report.warnings).toBe(6);
    expect(report.runbooks).toEqual([
      expect.objectContaining({
        service: "lonely",
        score: 90,
        missing: ["a scenario exercising it"],
      }),
      expect.objectContaining({
        service: "thin",
        score: 20,
        missing: [
          "1 more escalation level",
          "monitoring alert thresholds",
          "a verify step in restart",
          "a rollback step in restart",
          "a review in the last 180 days",
        ],
      }),
    ]);
  });

  it("the review age follows the option", async () => {
    const catalog = await loadCatalog([dir], { env: {} });
    const report = lintCatalog(catalog, { now: NOW, reviewMaxAgeDays: 400 });
    expect(report.problems.some((p) => p.rule === "review-age")).toBe(false);
    const strict = lintCatalog(catalog, { now: NOW, reviewMaxAgeDays: 20 });
    expect(strict.problems.filter((p) => p.rule === "review-age")).toHaveLength(2);
  });

  it("the bundled samples are complete", async () => {
    const catalog = await loadCatalog(["."], { env: {} });
    const report = lintCatalog(catalog, { now: NOW, reviewMaxAgeDays: 180 });
    expect(report.problems.map(formatProblem)).toEqual([]);
    expect(report.runbooks.map((r) => r.score)).toEqual([100, 100, 100]);
  });
});
