import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeJournal } from "./journals.js";
import { FIXTURE_DIR } from "./make-fixtures.js";

const run = promisify(execFile);
const CLI = resolve("dist/firedrill.js");

async function firedrill(args: string[], cwd = process.cwd()) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: "1" },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "firedrill-cli-history-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("firedrill history", () => {
  it("prints one plain line per drill, then aggregates by scenario, service and team", async () => {
    const { code, stdout, stderr } = await firedrill(["history", "--journal-dir", FIXTURE_DIR]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const lines = stdout.split("\n");
    expect(lines[0]).toMatch(
      /^DATE\s+SCENARIO\s+MODE\s+RESPONDER\s+TTD\s+TTA\s+TTM\s+TTR\s+SCORE\s+OUTCOME$/,
    );
    expect(lines.filter((l) => /^2026-/.test(l))).toHaveLength(6);
    expect(stdout).toMatch(
      /2026-03-15 16:45 UTC\s+checkout-db-latency\s+gameday\s+dave.*incomplete/,
    );
    expect(stdout).toMatch(
      /^checkout-db-latency\s+gameday\s+people\s+5\s+4m30s\s+7m\s+4m53s\s+5m\s+40%\s+7m→3m10s -55% faster/m,
    );
    expect(stdout).toContain("BY SERVICE");
    expect(stdout).toMatch(/^payments\s+gameday\s+people\s+5/m);
    expect(stdout).not.toContain("\x1b[");
  });

  it("--json with filters", async () => {
    const { code, stdout } = await firedrill([
      "history",
      "--journal-dir",
      FIXTURE_DIR,
      "--team",
      "discovery",
      "--json",
    ]);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.drills.map((d: { scenario: string }) => d.scenario)).toEqual(["search-timeout"]);
    expect(json.aggregates.team[0]).toMatchObject({
      key: "discovery",
      stats: { count: 1, median: 95_000 },
    });
  });

  it("--since counts back from now; a bad period is a usage error", async () => {
    const recent = await firedrill(["history", "--journal-dir", FIXTURE_DIR, "--since", "1d"]);
    expect(recent.code).toBe(0);
    expect(recent.stdout).toContain("No drills matching these filters");
    const bad = await firedrill(["history", "--journal-dir", FIXTURE_DIR, "--since", "soon"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'firedrill: --since "soon" is not a period such as 90d, 2w, 12h or a date such as 2026-01-31\n',
    );
  });

  it("warns about corrupt lines with file:line, and exits 2 naming a journal from a newer firedrill", async () => {
    const journals = join(dir, "mixed");
    const torn = writeJournal(
      journals,
      { drillId: "torn", startedAt: "2026-01-01T10:00:00Z" },
      (l) => [l[0]!, "{oops", ...l.slice(1)],
    );
    const future = writeJournal(journals, {
      drillId: "future",
      startedAt: "2026-01-02T10:00:00Z",
      schema: 9,
    });
    const { code, stdout, stderr } = await firedrill(["history", "--journal-dir", journals]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      `firedrill: warning: ${torn}:2: not valid JSON; line ignored, the rest of the journal is used`,
    );
    expect(stderr).toContain(
      `firedrill: error: ${future}: written with journal schema 9, but this firedrill reads schema 1 or older; upgrade firedrill to read it`,
    );
    expect(stdout).toMatch(/checkout-db-latency\s+gameday\s+alice/);
  });

  it("has --help with examples", async () => {
    const { code, stdout } = await firedrill(["history", "--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("Examples:");
    expect(stdout).toContain("--journal-dir");
  });
});

describe("firedrill report", () => {
  it("writes the latest drill's md report; html to a file", async () => {
    const md = await firedrill([
      "report",
      "--latest",
      "--scenario",
      "checkout-db-latency",
      "--journal-dir",
      FIXTURE_DIR,
      "--runbooks",
      `${FIXTURE_DIR}/runbooks`,
    ]);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain("# Drill report: Checkout database latency");
    expect(md.stdout).toContain("incomplete (no summary: the drill was killed)");
    const out = join(dir, "out", "report.html");
    const html = await firedrill([
      "report",
      "2026-03-10T11-00-00Z-checkout-db-latency",
      "--format",
      "html",
      "--out",
      out,
      "--journal-dir",
      FIXTURE_DIR,
    ]);
    expect(html.code).toBe(0);
    expect(html.stderr).toBe(`firedrill: wrote ${out}\n`);
    expect(readFileSync(out, "utf8")).toMatch(/^<!doctype html>/);
  });

  it("finds a drill by id in a renamed journal, and compares a filtered drill with every earlier one", async () => {
    const journals = join(dir, "renamed");
    mkdirSync(journals);
    for (const name of readdirSync(FIXTURE_DIR).filter((n) => n.endsWith(".jsonl")))
      copyFileSync(join(FIXTURE_DIR, name), join(journals, name.replace("checkout-db", "x")));
    const byId = await firedrill([
      "report",
      "2026-02-20T09-15-00Z-checkout-db-latency",
      "--journal-dir",
      journals,
    ]);
    expect(byId.code).toBe(0);
    expect(byId.stdout).toContain("Recovered in **4m30s**");
    // --since picks the drill, not what it is compared with: the earlier drills still count.
    const since = await firedrill([
      "report",
      "--latest",
      "--since",
      "2026-03-01",
      "--journal-dir",
      journals,
    ]);
    expect(since.code).toBe(0);
    expect(since.stdout).toContain("the median of 4 earlier drills of this scenario");
  });

  it("exports csv and junit; junit --latest-per-scenario has a case per scenario", async () => {
    const csv = await firedrill(["report", "--format", "csv", "--journal-dir", FIXTURE_DIR]);
    expect(csv.stdout.trimEnd().split("\r\n")).toHaveLength(7);
    const junit = await firedrill([
      "report",
      "-f",
      "junit",
      "--latest-per-scenario",
      "--journal-dir",
      FIXTURE_DIR,
    ]);
    expect(junit.code).toBe(0);
    expect(junit.stdout.match(/<testcase /g)).toHaveLength(2);
  });

  it("usage errors: md needs one drill, unknown format, unknown drill id", async () => {
    const none = await firedrill(["report", "--journal-dir", FIXTURE_DIR]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(
      "a md report is about one drill: give a journal file or drill id, or --latest",
    );
    const format = await firedrill([
      "report",
      "--latest",
      "-f",
      "pdf",
      "--journal-dir",
      FIXTURE_DIR,
    ]);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('--format "pdf" is not one of md, html, json, csv, junit');
    const missing = await firedrill(["report", "nope", "--journal-dir", FIXTURE_DIR]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no journal file or drill id "nope"');
  });
});
