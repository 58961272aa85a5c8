import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { firedrill } from "../support/cli.js";

const dir = mkdtempSync(join(tmpdir(), "firedrill-prod-"));
const scenario = join(dir, "prod-db.yaml");
writeFileSync(
  scenario,
  `id: prod-db
title: Production database latency
service: checkout-api
modes: [gameday]
targets: { ttr: 1m }
briefing: A drill that points at production.
proxies:
  - { name: prod-db, upstream: "db.prod.example:5432" }
faults:
  - { at: 0s, proxy: prod-db, toxic: latency, attributes: { latency: 100 } }
safety: { allowHosts: [db.prod.example] }
`,
);
// the team's allow-list admits the host; the scenario narrows it to that host
writeFileSync(join(dir, "firedrill.config.yaml"), "allowHosts: [127.0.0.1, db.prod.example]\n");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A port nothing listens on (any longer), and not one Node's fetch refuses outright. */
const closedPort = await new Promise<number>((done) => {
  const server = createServer().listen(0, "127.0.0.1", () => {
    const { port } = server.address() as { port: number };
    server.close(() => done(port));
  });
});

describe("firedrill run against production-looking hosts", () => {
  const url = `http://127.0.0.1:${closedPort}`;
  const base = ["run", scenario, "--mode", "gameday", "--auto", "--url", url];

  it("refuses without --allow-production, naming the host and the pattern", async () => {
    const { code, stderr } = await firedrill(base, { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toContain("nothing was applied");
    expect(stderr).toContain('db.prod.example looks like production (matches "prod")');
  });

  it("wants the scenario id typed back, not just the flag", async () => {
    const { code, stderr } = await firedrill([...base, "--allow-production", "yes"], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toContain("--allow-production prod-db");
  });

  it("lets the host through the allow-list when the id is typed back", async () => {
    const { code, stderr } = await firedrill([...base, "--allow-production", "prod-db"], {
      cwd: dir,
    });
    // Nothing listens on that port, so the drill now stops at the Toxiproxy check instead.
    expect(code).toBe(2);
    expect(stderr).not.toContain("looks like production");
    expect(stderr).toContain(`cannot reach Toxiproxy at ${url}`);
  });
});
