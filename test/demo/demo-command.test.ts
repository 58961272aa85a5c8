import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { refuses } from "./helpers.js";

const run = promisify(execFile);
const CLI = join(process.cwd(), "dist/firedrill.js");

async function firedrill(cwd: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      cwd,
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("firedrill demo --headless", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "firedrill-demo-test-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("drills two payments scenarios back to back, both recover, and the shop is gone after", {
    timeout: 150_000,
  }, async () => {
    // Both are mitigated by the same payments fallback: the second only fails health (and so
    // only recovers) if the shop was reset in between.
    const { code, stdout, stderr } = await firedrill(
      dir,
      "demo",
      "--headless",
      "--json",
      "--journal-dir",
      "journals",
      "--scenario",
      "payments-provider-timeout",
      "payments-receipts-bandwidth",
    );
    expect(code, stderr).toBe(0);
    const lines = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const shop = lines.find((l) => l.type === "shop") as { env: Record<string, string> };
    const drills = lines.filter((l) => l.type === "drill");
    expect(drills.map((d) => [d.scenario, d.outcome, d.withinTarget])).toEqual([
      ["payments-provider-timeout", "recovered", true],
      ["payments-receipts-bandwidth", "recovered", true],
    ]);
    expect(lines.at(-1)).toMatchObject({ type: "summary", ok: true, drills: 2, recovered: 2 });
    expect(await readdir(join(dir, "journals"))).toHaveLength(2);
    for (const name of ["FIREDRILL_CHECKOUT_PORT", "FIREDRILL_PAYMENTS_PROXY_PORT"]) {
      expect(await refuses(Number(shop.env[name])), name).toBe(true);
    }
  });

  it("refuses an unknown sample with exit 2; without a terminal it says it runs headless", async () => {
    const unknown = await firedrill(dir, "demo", "--headless", "--scenario", "nope");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no sample scenario "nope"');
    // No TTY here (execFile pipes): the note, then the headless path, which rejects the id.
    const piped = await firedrill(dir, "demo", "--scenario", "nope");
    expect(piped.code).toBe(2);
    expect(piped.stderr).toContain("no terminal here");
    expect(piped.stderr).toContain("firedrill demo --headless");
    expect(piped.stderr).toContain('no sample scenario "nope"');
  });
});
