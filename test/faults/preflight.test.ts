import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { type AddressInfo, createServer as createTcpServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createFaultBackend,
  readLedger,
  runPreflight,
  ToxiproxyApi,
} from "../../src/faults/index.js";
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
      }),
      allowHosts: [...LOCAL, "*.internal"],
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

describe("preflight through the proxies the drill declares", () => {
  let dir: string;
  let proxy: Awaited<ReturnType<typeof startProxyServer>>;
  let api: ToxiproxyApi;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "firedrill-preflight-"));
    proxy = await startProxyServer({ host: "127.0.0.1", port: 0 });
    api = new ToxiproxyApi(proxy.url);
  });

  afterEach(async () => {
    await proxy.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const backendFor = (drillId: string) =>
    createFaultBackend({
      drillId,
      mode: "gameday",
      toxiproxyUrl: proxy.url,
      ledgerPath: join(dir, `${drillId}.ledger.json`),
    });

  async function declaring(listenPort: number, upstream = base.replace("http://", "")) {
    return scenario({
      proxies: [{ name: "web", listen: `127.0.0.1:${listenPort}`, upstream }],
      faults: [{ proxy: "web", toxic: "latency", attributes: { latency: 100 } }],
      probes: [{ name: "web", http: { url: `http://127.0.0.1:${listenPort}/health` } }],
    });
  }

  it("creates a missing declared proxy first, probes through it, and the drill removes it at the end", async () => {
    const port = await closedPort();
    const backend = backendFor("d1");
    const drill = await declaring(port);
    const report = await runPreflight({
      scenario: drill,
      allowHosts: LOCAL,
      productionPatterns: ["prod"],
      toxiproxyUrl: proxy.url,
      drillId: "d1",
      prepare: (s) => backend.prepareProxies(s),
    });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.checks.find((c) => c.name === "probe web")?.detail).toContain("200 OK");
    expect(report.checks.find((c) => c.name === "proxies")?.detail).toBe(
      `created web (127.0.0.1:${port} → ${base.replace("http://", "")})`,
    );
    // recorded as created before it was, so the watchdog and cleanup would remove it
    const ledger = readLedger(join(dir, "d1.ledger.json"));
    expect(ledger?.createdProxies.map((p) => p.name)).toEqual(["firedrill-claim.web", "web"]);
    const created = await api.proxy("web");
    expect(created?.toxics.map((t) => t.name)).toEqual(["firedrill-created.d1"]);
    await backend.prepare(drill); // the drill's start: nothing more to do
    await backend.dispose();
    expect((await api.proxies()).map((p) => p.name)).toEqual([]);
  });

  it("refuses a declared proxy that exists with another upstream, showing both, and leaves it", async () => {
    const port = await closedPort();
    await api.createProxy({
      name: "web",
      listen: `127.0.0.1:${port}`,
      upstream: "127.0.0.1:9",
      enabled: true,
    });
    const backend = backendFor("d2");
    const report = await runPreflight({
      scenario: await declaring(port),
      allowHosts: LOCAL,
      productionPatterns: ["prod"],
      toxiproxyUrl: proxy.url,
      drillId: "d2",
      prepare: (s) => backend.prepareProxies(s),
    });
    expect(report.ok).toBe(false);
    const check = report.checks.find((c) => c.name === "proxies");
    expect(check?.ok).toBe(false);
    expect(check?.detail).toContain(`listen 127.0.0.1:${port}, upstream 127.0.0.1:9`);
    expect(check?.detail).toContain(`upstream ${base.replace("http://", "")}`);
    await backend.dispose();
    const left = await api.proxies();
    expect(left.map((p) => [p.name, p.upstream, p.toxics.length])).toEqual([
      ["web", "127.0.0.1:9", 0],
    ]);
  });

  it("lets only one of two drills starting together on the same proxy go ahead, naming it", async () => {
    const port = await closedPort();
    const drill = await declaring(port);
    const backends = [backendFor("first"), backendFor("second")];
    const reports = await Promise.all(
      backends.map((backend) =>
        runPreflight({
          scenario: drill,
          allowHosts: LOCAL,
          productionPatterns: ["prod"],
          toxiproxyUrl: proxy.url,
          drillId: backend.drillId,
          prepare: (s) => backend.prepareProxies(s),
        }),
      ),
    );
    expect(reports.map((r) => r.ok).sort()).toEqual([false, true]);
    const winner = reports[0]?.ok ? "first" : "second";
    const loser = reports[0]?.ok ? reports[1] : reports[0];
    const refusal = loser?.checks.find((c) => !c.ok && !c.skipped);
    expect(refusal?.detail).toContain(`drill ${winner} `);
    expect(refusal?.detail).toContain("proxy web");
    for (const backend of backends) await backend.dispose();
    expect((await api.proxies()).map((p) => p.name)).toEqual([]);
  });
});
