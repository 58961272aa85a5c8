import { createServer, type Server } from "node:http";
import { type AddressInfo, createServer as createTcpServer } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runPreflight } from "../../src/faults/index.js";
import { Scenario, type ScenarioInput } from "../../src/model/scenario.js";
import { startProxyServer } from "../../src/proxy/index.js";

const LOCAL = ["127.0.0.1", "localhost", "::1"];
let server: Server;
let base: string;

beforeEach(async () => {
  server = createServer((req, res) => {
    res.writeHead(req.url === "/health" ? 200 : 503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function scenario(extra: Partial<ScenarioInput>): Scenario {
  return Scenario.parse({
    id: "s",
    title: "t",
    service: "svc",
    targets: { ttr: "5m" },
    briefing: "b",
    faults: [{ command: { inject: ["true"], revert: ["true"] } }],
    ...extra,
  });
}

async function closedPort(): Promise<number> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe("preflight", () => {
  it("passes when every host is allowed and the steady state holds", async () => {
    const report = await runPreflight({
      scenario: scenario({ probes: [{ name: "web", http: { url: `${base}/health` } }] }),
      allowHosts: LOCAL,
      productionPatterns: ["prod"],
    });
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
      ["allow-list", true],
      ["probe web", true],
    ]);
    expect(report.checks[1]?.detail).toMatch(
      /^GET http:\/\/127\.0\.0\.1:\d+\/health: 200 OK in \d+ms$/,
    );
  });

  it("fails when a probe fails before anything is applied", async () => {
    const report = await runPreflight({
      scenario: scenario({
        probes: [
          { name: "web", http: { url: `${base}/health` } },
          { name: "api", http: { url: `${base}/api` } },
        ],
      }),
      allowHosts: LOCAL,
      productionPatterns: ["prod"],
    });
    expect(report.ok).toBe(false);
    const api = report.checks.find((c) => c.name === "probe api");
    expect(api).toMatchObject({ ok: false });
    expect(api?.detail).toContain("503 Service Unavailable");
  });

  it("contacts nothing when the allow-list refuses a host", async () => {
    const report = await runPreflight({
      scenario: scenario({
        faults: [{ proxy: "db", toxic: "latency", attributes: { latency: 10 } }],
        proxies: [{ name: "db", upstream: "db.prod.internal:5432" }],
        probes: [{ name: "web", http: { url: `${base}/health` } }],
        safety: { allowHosts: ["*.internal"] },
      }),
      allowHosts: LOCAL,
      productionPatterns: ["prod"],
      toxiproxyUrl: "http://127.0.0.1:8474",
    });
    expect(report.ok).toBe(false);
    expect(report.checks[0]).toMatchObject({ name: "allow-list", ok: false });
    expect(report.checks[0]?.detail).toContain(
      "proxies[0].upstream: db.prod.internal looks like production",
    );
    expect(report.checks.slice(1).every((c) => c.skipped)).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual([
      "allow-list",
      "toxiproxy",
      "leftovers",
      "probe web",
    ]);
  });

  it("names the Toxiproxy version it reached, not its raw JSON", async () => {
    const proxy = await startProxyServer({ host: "127.0.0.1", port: 0 });
    try {
      const report = await runPreflight({
        scenario: scenario({ faults: [{ proxy: "db", down: true }] }),
        allowHosts: LOCAL,
        productionPatterns: ["prod"],
        toxiproxyUrl: proxy.url,
      });
      const check = report.checks.find((c) => c.name === "toxiproxy");
      expect(check?.ok).toBe(true);
      expect(check?.detail).toMatch(/answers \(version 2\.12\.0\+firedrill[^"{}]*\)$/);
    } finally {
      await proxy.stop();
    }
  });

  it("says which Toxiproxy it could not reach and why", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const report = await runPreflight({
      scenario: scenario({ faults: [{ proxy: "db", down: true }] }),
      allowHosts: LOCAL,
      productionPatterns: ["prod"],
      toxiproxyUrl: url,
    });
    expect(report.ok).toBe(false);
    expect(report.checks[1]).toMatchObject({
      name: "toxiproxy",
      ok: false,
      detail: `cannot reach Toxiproxy at ${url}: connection refused (is Toxiproxy or \`firedrill proxy\` running?)`,
    });
    expect(report.checks[2]).toMatchObject({ name: "leftovers", skipped: true });
  });
});
