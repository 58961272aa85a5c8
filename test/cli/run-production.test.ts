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

/** A loopback port nothing listens on (one just released), and not one fetch refuses outright. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}
const toxiproxy = `http://127.0.0.1:${await closedPort()}`;

describe("firedrill run against production-looking hosts", () => {
  const base = ["run", scenario, "--mode", "gameday", "--auto", "--url", toxiproxy];

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
    expect(stderr).toContain(`cannot reach Toxiproxy at ${toxiproxy}`);
  });
});
