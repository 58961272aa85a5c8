import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Probe, Signal } from "../../src/model/scenario.js";
import { alertmanagerAlerts } from "../../src/probes/alertmanager-api.js";
import { runProbe } from "../../src/probes/index.js";
import { checkMonitoringSignal } from "../../src/probes/monitoring-check.js";
import { prometheusQuery } from "../../src/probes/prometheus-api.js";
import { type DepRig, startDepRig, until } from "../drill/harness.js";
import {
  type Monitoring,
  monitoringMissing,
  scraped,
  startMonitoring,
} from "../support/monitoring.js";

const missing = monitoringMissing();

describe.skipIf(missing !== undefined)(
  `Prometheus and Alertmanager clients against the real servers${missing ? ` (${missing})` : ""}`,
  () => {
    let rig: DepRig;
    let monitoring: Monitoring;

    beforeAll(async () => {
      rig = await startDepRig();
      monitoring = await startMonitoring({
        targets: [`127.0.0.1:${rig.service.port}`],
        rules: [
          {
            alert: "SvcDependencySlow",
            expr: "svc_dependency_latency_seconds > 0.5",
            labels: { service: "svc" },
          },
        ],
      });
      await scraped(monitoring.prometheusUrl);
    }, 60_000);

    afterAll(async () => {
      await monitoring?.stop();
      await rig?.stop();
    });

    it("reads a query's value, and a prometheus probe passes within its limit", async () => {
      const samples = await prometheusQuery(
        { baseUrl: monitoring.prometheusUrl },
        "svc_dependency_latency_seconds",
      );
      expect(samples).toHaveLength(1);
      expect(samples[0]?.value).toBeLessThan(0.5);
      const probe = Probe.parse({
        name: "latency",
        prometheus: {
          url: monitoring.prometheusUrl,
          query: "svc_dependency_latency_seconds",
          above: 0.5,
        },
      });
      const result = await runProbe(probe);
      expect(result).toMatchObject({ ok: true });
      expect(result.detail).toMatch(/^svc_dependency_latency_seconds = [\d.]+$/);
    });

    it("fails a probe whose query returns no data, naming the query", async () => {
      const probe = Probe.parse({
        name: "errors",
        prometheus: { url: monitoring.prometheusUrl, query: "no_such_metric_total", below: 1 },
      });
      expect(await runProbe(probe)).toMatchObject({
        ok: false,
        detail: "no data for no_such_metric_total",
      });
    });

    it("names the URL and Prometheus's own message for a bad query", async () => {
      const error = await prometheusQuery({ baseUrl: monitoring.prometheusUrl }, "rate(").catch(
        (e: unknown) => e as Error,
      );
      expect(String(error)).toContain(`GET ${monitoring.prometheusUrl}/api/v1/query?query=rate(`);
      expect(String(error)).toMatch(/400 Bad Request: .*parse error/);
    });

    it("sees a latency toxic fire the rule in Prometheus and reach Alertmanager", async () => {
      const before = Date.now();
      await fetch(`${rig.proxy.url}/proxies/dep/toxics`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "slow", type: "latency", attributes: { latency: 1000 } }),
      });
      try {
        const signal = Signal.parse({
          text: "svc slow",
          alertmanager: {
            url: monitoring.alertmanagerUrl,
            match: { alertname: "SvcDependencySlow" },
          },
        });
        let startsAt = 0;
        await until(
          async () => {
            const check = await checkMonitoringSignal(signal, { notBefore: before });
            startsAt = check.activeAt ?? 0;
            return check.firing;
          },
          "the alert in Alertmanager",
          30_000,
          200,
        );
        expect(startsAt).toBeGreaterThanOrEqual(before);
        const alerts = await alertmanagerAlerts(
          { baseUrl: monitoring.alertmanagerUrl },
          { alertname: "SvcDependencySlow", service: "svc" },
        );
        expect(alerts).toHaveLength(1);
        // A label the alert does not carry matches nothing.
        expect(
          await alertmanagerAlerts(
            { baseUrl: monitoring.alertmanagerUrl },
            { alertname: "SvcDependencySlow", service: "other" },
          ),
        ).toEqual([]);
        const viaPrometheus = await checkMonitoringSignal(
          Signal.parse({
            text: "svc slow",
            prometheus: { url: monitoring.prometheusUrl, alert: "SvcDependencySlow" },
          }),
        );
        expect(viaPrometheus.firing).toBe(true);
        const query = await checkMonitoringSignal(
          Signal.parse({
            text: "latency",
            kind: "metric",
            prometheus: {
              url: monitoring.prometheusUrl,
              query: "svc_dependency_latency_seconds",
              above: 0.5,
            },
          }),
        );
        expect(query.firing).toBe(true);
        expect(query.value).toBeGreaterThan(0.5);
      } finally {
        await fetch(`${rig.proxy.url}/proxies/dep/toxics/slow`, { method: "DELETE" });
      }
    }, 60_000);
  },
);

describe("monitoring requests", () => {
  let server: Server;
  let url: string;
  const seen: (string | undefined)[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const auth = req.headers.authorization;
      seen.push(auth);
      const ok = auth === "Bearer s3cr3t-t0ken";
      res.writeHead(ok ? 200 : 401, { "content-type": "application/json" });
      res.end(
        ok
          ? JSON.stringify({ status: "success", data: { resultType: "vector", result: [] } })
          : JSON.stringify({
              status: "error",
              error: auth ? `bad token ${auth}` : "missing bearer token",
            }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("sends the bearer token from the variable named in tokenEnv, and never shows it", async () => {
    const env = { MON_BEARER: "s3cr3t-t0ken" };
    expect(await prometheusQuery({ baseUrl: url, tokenEnv: "MON_BEARER", env }, "up")).toEqual([]);
    expect(seen.at(-1)).toBe("Bearer s3cr3t-t0ken");
    const error = String(await prometheusQuery({ baseUrl: url }, "up").catch((e: unknown) => e));
    expect(error).toBe(
      `MonitoringError: GET ${url}/api/v1/query?query=up: 401 Unauthorized: missing bearer token`,
    );
    const unset = String(
      await prometheusQuery({ baseUrl: url, tokenEnv: "MON_BEARER", env: {} }, "up").catch(
        (e: unknown) => e,
      ),
    );
    expect(unset).toContain("the token variable MON_BEARER is not set");
    // a server quoting the refused credential: the message keeps the variable's name, not its value
    const quoted = String(
      await prometheusQuery(
        { baseUrl: url, tokenEnv: "MON_BEARER", env: { MON_BEARER: "wr0ng-t0ken" } },
        "up",
      ).catch((e: unknown) => e),
    );
    expect(quoted).toContain("401 Unauthorized: bad token Bearer [redacted MON_BEARER]");
    expect(quoted).not.toContain("wr0ng-t0ken");
  });

  it("gives up after its timeout, naming the URL", async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const error = String(
        await prometheusQuery({ baseUrl: base, timeoutMs: 300 }, "up").catch((e: unknown) => e),
      );
      expect(error).toContain(`GET ${base}/api/v1/query?query=up: timed out after 300ms`);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
