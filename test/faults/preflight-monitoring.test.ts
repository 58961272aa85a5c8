import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPreflight } from "../../src/faults/index.js";
import { Scenario } from "../../src/model/scenario.js";

let server: Server;
let base: string;
/** what the stand-in Alertmanager answers for /api/v2/alerts */
let active: { labels: Record<string, string>; startsAt: string; status: { state: string } }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    if (!req.url?.startsWith("/api/v2/alerts")) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(active));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function withSignal(url: string): Scenario {
  return Scenario.parse({
    id: "s",
    title: "t",
    service: "svc",
    targets: { ttr: "5m" },
    briefing: "b",
    faults: [{ command: { inject: ["true"], revert: ["true"] } }],
    signals: [{ text: "page", alertmanager: { url, match: { alertname: "CheckoutLatencyHigh" } } }],
  });
}

const preflight = (scenario: Scenario) =>
  runPreflight({ scenario, allowHosts: ["127.0.0.1"], productionPatterns: [] });

describe("preflight of monitoring signals", () => {
  it("passes when Alertmanager answers and the alert is not firing", async () => {
    active = [];
    const report = await preflight(withSignal(base));
    expect(report.ok).toBe(true);
    expect(report.checks.at(-1)).toMatchObject({
      name: "signal CheckoutLatencyHigh",
      ok: true,
      detail: `signals[0] alertmanager ${base} alertname=CheckoutLatencyHigh: answers (no matching active alert)`,
    });
  });

  it("refuses an alert already firing: the drill could not tell it from its own", async () => {
    active = [
      {
        labels: { alertname: "CheckoutLatencyHigh" },
        startsAt: "2026-11-25T01:00:00.000Z",
        status: { state: "active" },
      },
    ];
    const report = await preflight(withSignal(base));
    expect(report.ok).toBe(false);
    expect(report.checks.at(-1)?.detail).toContain(
      "already firing before any fault (CheckoutLatencyHigh active since 2026-11-25T01:00:00.000Z); resolve or silence it first",
    );
  });

  it("refuses a server that does not answer, naming the URL", async () => {
    const gone = createServer();
    await new Promise<void>((resolve) => gone.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(gone.address() as AddressInfo).port}`;
    await new Promise((resolve) => gone.close(resolve));
    const report = await preflight(withSignal(url));
    expect(report.ok).toBe(false);
    expect(report.checks.at(-1)?.detail).toMatch(
      new RegExp(
        `^GET ${url}/api/v2/alerts\\?active=true&silenced=false&inhibited=false&filter=.*: ECONNREFUSED$`,
      ),
    );
  });

  it("skips the signal when the allow-list refuses its host", async () => {
    const report = await preflight(withSignal("http://alertmanager.example.com"));
    expect(report.checks.find((c) => c.name === "signal CheckoutLatencyHigh")).toMatchObject({
      ok: false,
      skipped: true,
    });
  });
});
