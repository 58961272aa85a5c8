import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { firedrill } from "../support/cli.js";

const empty = mkdtempSync(join(tmpdir(), "firedrill-nojournals-"));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

async function lint(...args: string[]) {
  return firedrill(["lint", ...args]);
}

describe("firedrill lint: drill staleness", () => {
  it("warns about scenarios last drilled too long ago and services never drilled", async () => {
    // The fixture journals drilled checkout-db-latency last on 2026-03-15, for service "checkout".
    const { code, stdout } = await lint("--journal-dir", "fixtures/journals");
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /scenarios\/checkout-db-latency\.yaml:\d+:\d+: warning: id: scenario "checkout-db-latency" was last drilled \d+ days ago \(more than 90\)/,
    );
    expect(stdout).toContain('no scenario of service "payments-gateway" was ever drilled');
  });

  it("honours --stale-after and fails under --strict", async () => {
    const { code, stdout } = await lint(
      "--journal-dir",
      "fixtures/journals",
      "--stale-after",
      "100000",
      "--strict",
    );
    expect(stdout).not.toContain("was last drilled");
    expect(stdout).toContain("was ever drilled");
    expect(code).toBe(1);
  });

  it("says nothing about staleness before any drill was journaled", async () => {
    const { code, stdout } = await lint("--journal-dir", empty, "--strict");
    expect(stdout).not.toContain("drilled");
    expect(code).toBe(0);
  });
});
