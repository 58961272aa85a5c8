import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { firedrill } from "../support/cli.js";

const dir = mkdtempSync(join(tmpdir(), "firedrill-allow-config-"));
writeFileSync(
  join(dir, "firedrill.config.yaml"),
  `allowHosts: [127.0.0.1, "*.internal"]\nproductionPatterns:\n  - prod\n  - "/(live/"\n`,
);
const scenario = join(dir, "db.yaml");
writeFileSync(
  scenario,
  `id: db
title: Database latency
service: checkout-api
modes: [gameday]
targets: { ttr: 1m }
briefing: b
proxies:
  - { name: db, upstream: "db.prod.internal:5432" }
faults:
  - { at: 0s, proxy: db, toxic: latency, attributes: { latency: 100 } }
`,
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("an invalid productionPatterns entry", () => {
  it("is a config error at file:line:col, and a drill refuses to run on it", async () => {
    const run = await firedrill(["run", scenario, "--mode", "gameday", "--auto"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /firedrill\.config\.yaml:4:\d+.*\/\(live\/ is not a valid regular expression/,
    );
    expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
    const lint = await firedrill(["lint"], { cwd: dir });
    expect(lint.code).not.toBe(0);
    expect(`${lint.stdout}${lint.stderr}`).toMatch(/firedrill\.config\.yaml:4:\d+/);
  });
});
