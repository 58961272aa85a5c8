import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type CliOptions, firedrill as runCli } from "../support/cli.js";

const temp = mkdtempSync(join(tmpdir(), "firedrill-lint-cli-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** Journals of drills run in the checkout (.firedrill/) would add staleness warnings: use none. */
function firedrill(args: string[], options: CliOptions = {}) {
  const isolated = args.includes("--journal-dir")
    ? args
    : [...args, "--journal-dir", join(temp, "no-journals")];
  return runCli(isolated, options);
}

describe("firedrill lint", () => {
  it("the samples are clean: exit 0, a score per runbook", async () => {
    const { code, stdout } = await firedrill(["lint"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^RUNBOOK\s+OWNER\s+SCORE\s+MISSING$/m);
    expect(stdout).toMatch(/^checkout-api\s+team-checkout\s+100\s+—$/m);
    expect(stdout).toMatch(/0 errors, \d+ warnings? in 8 files/);
  });

  it("exit 1 with file:line:col findings for broken references", async () => {
    const { code, stdout } = await firedrill(["lint", "fixtures/invalid/references"]);
    expect(code).toBe(1);
    expect(stdout).toContain(
      'fixtures/invalid/references/scenarios/bad-service.yaml:3:10: service: no runbook for service "fixture-svcs"; did you mean "fixture-svc"?',
    );
    expect(stdout).toMatch(/5 errors, \d+ warnings? in 5 files/);
  });

  it("exit 1 for an invalid file given explicitly", async () => {
    const { code, stdout } = await firedrill(["lint", "fixtures/invalid/unknown-toxic.yaml"]);
    expect(code).toBe(1);
    expect(stdout).toContain(
      'fixtures/invalid/unknown-toxic.yaml:12:12: faults[0].toxic: unknown toxic "latancy"; did you mean "latency"?',
    );
  });

  it("a scenario given alone resolves against runbooks/ of the current directory", async () => {
    const { code, stdout } = await firedrill(["lint", "scenarios/checkout-db-latency.yaml"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/0 errors, \d+ warnings? in 4 files/);
  });

  it("exit 2 when input cannot be read", async () => {
    const { code, stdout } = await firedrill(["lint", "nowhere.yaml"]);
    expect(code).toBe(2);
    expect(stdout).toContain("nowhere.yaml:1:1: cannot read: no such file or directory");
  });

  it("exit 2 when a directory holds no scenario or runbook files", async () => {
    const empty = join(temp, "empty");
    mkdirSync(empty, { recursive: true });
    const { code, stderr } = await firedrill(["lint", empty]);
    expect(code).toBe(2);
    expect(stderr).toContain("no scenario or runbook files (.yaml, .yml, .md) found in");
  });

  it("--review-max-age makes reviews stale; --strict turns warnings into findings", async () => {
    const loose = await firedrill(["lint", "--review-max-age", "1"]);
    expect(loose.code).toBe(0);
    expect(loose.stdout).toMatch(/warning: reviewed: last reviewed \d+ days ago/);
    const strict = await firedrill(["lint", "--review-max-age", "1", "--strict"]);
    expect(strict.code).toBe(1);
    const bad = await firedrill(["lint", "--review-max-age", "soon"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--review-max-age must be a whole number of days");
  });

  it("--json reports problems and scores", async () => {
    const { code, stdout } = await firedrill(["lint", "--json", "fixtures/invalid/references"]);
    expect(code).toBe(1);
    const json = JSON.parse(stdout) as {
      ok: boolean;
      errors: number;
      problems: { file: string; line: number; col: number; path: string; rule: string }[];
      runbooks: { service: string; score: number; missing: string[] }[];
    };
    expect(json.ok).toBe(false);
    expect(json.errors).toBe(5);
    expect(json.problems.find((p) => p.rule === "reference")).toMatchObject({
      line: 6,
      col: 12,
      path: "procedure",
      rule: "reference",
    });
    expect(json.runbooks[0]?.service).toBe("fixture-svc");
  });

  it("a big tree still points at exact positions (found again from the text on demand)", async () => {
    const tree = join(temp, "big");
    mkdirSync(join(tree, "scenarios"), { recursive: true });
    mkdirSync(join(tree, "runbooks"), { recursive: true });
    copyFileSync("runbooks/checkout-api.yaml", join(tree, "runbooks/checkout-api.yaml"));
    const sample = readFileSync("scenarios/checkout-db-latency.yaml", "utf8");
    for (let i = 0; i < 820; i++) {
      const id = String(i).padStart(3, "0");
      let text = sample.replace("id: checkout-db-latency", `id: copy-${id}`);
      // Positions are looked up after parsing, from the text kept instead of the tree.
      if (i === 819) text = text.replace("service: checkout-api", "service: checkout-apx");
      if (i === 818) text = text.replace("toxic: latency", "toxic: latencies");
      writeFileSync(join(tree, `scenarios/copy-${id}.yaml`), text);
    }
    const { code, stdout } = await firedrill(["lint", tree]);
    expect(code).toBe(1);
    const lines = stdout.split("\n").filter((l) => l.includes("copy-81"));
    expect(lines.map((l) => l.slice(tree.length + 1))).toEqual([
      'scenarios/copy-818.yaml:25:12: faults[0].toxic: unknown toxic "latencies"; did you mean "latency"?; valid toxics: latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data, noop',
      'scenarios/copy-819.yaml:4:10: service: no runbook for service "checkout-apx"; did you mean "checkout-api"?; runbooks exist for: checkout-api',
    ]);
    expect(stdout).toMatch(/2 errors, 0 warnings in 821 files/);
  });

  it("reads firedrill.config.yaml from the current directory", async () => {
    writeFileSync(join(temp, "firedrill.config.yaml"), "reviewMaxAgeDays: 1\n");
    const { code, stdout } = await firedrill(
      ["lint", join(process.cwd(), "runbooks"), join(process.cwd(), "scenarios")],
      { cwd: temp },
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/review it at least every 1 days/);
    writeFileSync(join(temp, "firedrill.config.yaml"), "reviewMaxAgeDay: 1\n");
    const bad = await firedrill(["lint"], { cwd: temp });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain(
      'firedrill.config.yaml:1:1: reviewMaxAgeDay: unknown key "reviewMaxAgeDay"; did you mean "reviewMaxAgeDays"?',
    );
  });
});
