import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoShop, startDemoShop } from "../../src/demo/index.js";
import { health } from "./helpers.js";

// `--auto` leaves staging as it found it: its rollback steps undo its mitigation, so a second
// run against the same shop (no reset in between) sees its fault and recovers like the first.
const run = promisify(execFile);
const CLI = resolve("dist/firedrill.js");

let shop: DemoShop;
let dir: string;

beforeAll(async () => {
  shop = await startDemoShop();
  dir = await mkdtemp(join(tmpdir(), "firedrill-auto-twice-"));
}, 30_000);
afterAll(async () => {
  await shop?.stop();
  await rm(dir, { recursive: true, force: true });
});

interface Summary {
  type: string;
  outcome?: string;
  withinTarget?: boolean;
  afterward?: { ok: boolean; rollbacks: { step: string; ok: boolean }[] };
}

async function auto(): Promise<{ summary: Summary; failing: number }> {
  const { stdout } = await run(
    process.execPath,
    [
      CLI,
      ...["run", "checkout-db-latency", "--mode", "gameday", "--auto", "--json"],
      ...["--journal-dir", join(dir, "journals"), "--url", shop.toxiproxyUrl],
    ],
    { cwd: dir, env: { ...process.env, ...shop.env, CI: "true" }, timeout: 90_000 },
  );
  const lines = stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Summary & { event?: { type: string; ok?: boolean } });
  const failing = lines.filter((l) => l.event?.type === "probe.result" && l.event.ok === false);
  return { summary: lines.find((l) => l.type === "summary")!, failing: failing.length };
}

describe("--auto twice in a row against the demo shop", () => {
  it("fails back after recovering, so the second run's fault shows and recovers too", {
    timeout: 200_000,
  }, async () => {
    for (const attempt of [1, 2]) {
      const { summary, failing } = await auto();
      expect(summary, `run ${attempt}`).toMatchObject({
        outcome: "recovered",
        withinTarget: true,
        afterward: { ok: true, rollbacks: [{ step: "failback", ok: true }] },
      });
      // The fault really showed (the first run's failover did not hide the second run's fault).
      expect(failing, `run ${attempt}`).toBeGreaterThan(0);
      // Failed back to the primary, which is healthy again: staging as the drill found it.
      expect((await health(shop.checkoutUrl)).status).toBe(200);
    }
  });
});
