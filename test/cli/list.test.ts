import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { firedrill } from "../support/cli.js";

const empty = mkdtempSync(join(tmpdir(), "firedrill-list-"));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

describe("firedrill list", () => {
  it("prints a plain table of the samples", async () => {
    const { code, stdout, stderr } = await firedrill(["list"]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID\s+TITLE\s+SERVICE\s+OWNER\s+MODES\s+TTR$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/)[0])).toEqual([
      "checkout-db-latency",
      "checkout-latency-page",
      "payments-provider-timeout",
      "payments-receipts-bandwidth",
      "session-cache-resets",
    ]);
    expect(lines[1]).toMatch(/checkout-api\s+team-checkout\s+tabletop,gameday\s+4m$/);
    expect(stdout).not.toContain("\u001b[");
  });

  it("--json gives scenarios with owner and TTR in milliseconds", async () => {
    const { code, stdout } = await firedrill(["list", "--json"]);
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as {
      scenarios: { id: string; owner: string; ttrMs: number; modes: string[] }[];
      problems: unknown[];
    };
    expect(json.problems).toEqual([]);
    expect(json.scenarios.find((s) => s.id === "payments-provider-timeout")).toMatchObject({
      owner: "team-payments",
      ttrMs: 180_000,
      modes: ["tabletop", "gameday"],
    });
  });

  it("falls back to the bundled samples where there are no scenarios/ or runbooks/", async () => {
    const { code, stdout } = await firedrill(["list"], { cwd: empty });
    expect(code).toBe(0);
    expect(stdout).toContain("session-cache-resets");
  });

  it("exits 2 for a path that does not exist", async () => {
    const { code, stderr } = await firedrill(["list", "no-such-dir"]);
    expect(code).toBe(2);
    expect(stderr).toContain("no-such-dir:1:1: cannot read: no such file or directory");
  });

  it("has examples in --help", async () => {
    const { code, stdout } = await firedrill(["list", "--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("Examples:");
  });
});
