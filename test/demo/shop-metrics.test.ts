import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DemoMonitoring,
  type DemoShop,
  monitorShop,
  startDemoMonitoring,
  startDemoShop,
} from "../../src/demo/index.js";
import { parseSamples, type Sample, sampleValue } from "../support/metrics-text.js";
import { until } from "../support/until.js";
import { post, refuses } from "./helpers.js";

const PROMTOOL = existsSync("/usr/bin/promtool") ? "/usr/bin/promtool" : undefined;
const PROMETHEUS = existsSync("/usr/bin/prometheus");
const RULES = [
  "CheckoutDependencyErrors",
  "CheckoutErrors",
  "CheckoutLatencyHigh",
  "PaymentsQueueGrowing",
  "ShopServiceDown",
];

async function scrape(port: number): Promise<{ text: string; samples: Sample[] }> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`, {
    signal: AbortSignal.timeout(5000),
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/plain; version=0.0.4");
  const text = await response.text();
  if (PROMTOOL) execFileSync(PROMTOOL, ["check", "metrics"], { input: text });
  return { text, samples: parseSamples(text) };
}

describe("the demo shop's /metrics", () => {
  let shop: DemoShop;
  let monitoring: DemoMonitoring | null = null;
  beforeAll(async () => {
    shop = await startDemoShop({ faultProxy: false });
  }, 60_000);
  afterAll(async () => {
    await monitoring?.stop();
    await shop?.stop();
  });
  const port = (name: string) => shop.services.find((s) => s.name === name)?.port ?? 0;

  it("counts and times requests in checkout, payments and the store, in Prometheus text", async () => {
    const before = (await scrape(port("checkout"))).samples;
    const placed = (s: Sample[]) =>
      sampleValue(s, "shop_http_requests_total", {
        route: "/checkout",
        method: "POST",
        code: "200",
      }) ?? 0;
    for (let i = 0; i < 3; i++) {
      expect((await post(`${shop.checkoutUrl}/checkout`, { sku: 1 })).status).toBe(200);
    }
    const checkout = (await scrape(port("checkout"))).samples;
    expect(placed(checkout) - placed(before)).toBe(3);
    expect(sampleValue(checkout, "shop_checkout_orders_total")).toBe(3);
    // a histogram per route: cumulative buckets, +Inf equal to the count
    const buckets = checkout.filter(
      (s) =>
        s.name === "shop_http_request_duration_seconds_bucket" && s.labels.route === "/checkout",
    );
    const counts = buckets.map((s) => s.value);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(buckets.at(-1)?.labels.le).toBe("+Inf");
    expect(buckets.at(-1)?.value).toBe(
      sampleValue(checkout, "shop_http_request_duration_seconds_count", { route: "/checkout" }),
    );
    expect(
      sampleValue(checkout, "shop_checkout_dependency_duration_seconds_count", {
        dependency: "payments",
        result: "ok",
      }),
    ).toBeGreaterThanOrEqual(3);
    expect(sampleValue(checkout, "shop_checkout_queued_payments")).toBe(0);

    const payments = (await scrape(port("payments"))).samples;
    expect(sampleValue(payments, "shop_payments_charges_total")).toBe(3);
    // the store answers a scrape on its own port, beside its line protocol
    const db = (await scrape(port("db"))).samples;
    expect(sampleValue(db, "shop_kv_commands_total", { command: "INCR", result: "ok" })).toBe(3);
    expect(sampleValue(db, "shop_kv_command_duration_seconds_count", { command: "INCR" })).toBe(3);
  });

  it("says in one line how to install Prometheus and Alertmanager when they are not on PATH", async () => {
    const said: string[] = [];
    const saved = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      expect(await monitorShop(shop, "demo/prometheus", (line) => said.push(line))).toBeNull();
    } finally {
      process.env.PATH = saved;
    }
    expect(said).toEqual([
      "monitoring: Prometheus is not on PATH, so the demo goes on without real alerts (to see them: apt-get install prometheus prometheus-alertmanager)",
    ]);
  });

  describe.skipIf(!PROMETHEUS)(
    "with Prometheus and Alertmanager on PATH (skipped without: apt-get install prometheus prometheus-alertmanager)",
    () => {
      it("scrapes every shop process, loads the alert rules and talks to Alertmanager", async () => {
        monitoring = await startDemoMonitoring({
          configDir: "demo/prometheus",
          targets: shop.services.map(({ name, port }) => ({ name, port })),
          path: `/usr/bin:${process.env.PATH ?? ""}`,
        });
        expect(monitoring).not.toBeNull();
        const { prometheusUrl, alertmanagerUrl } = monitoring as DemoMonitoring;
        const api = async <T>(path: string): Promise<T> =>
          ((await (await fetch(`${prometheusUrl}${path}`)).json()) as { data: T }).data;
        const up = () =>
          api<{ result: { metric: { service: string } }[] }>(
            `/api/v1/query?query=${encodeURIComponent('up{job="shop"} == 1')}`,
          );
        await until(
          async () => (await up()).result.length === 5,
          "every shop target up",
          30_000,
          200,
        );
        expect((await up()).result.map((r) => r.metric.service).sort()).toEqual([
          "cache",
          "checkout",
          "db",
          "db-replica",
          "payments",
        ]);
        const rules = await api<{
          groups: { rules: { name: string; health: string; type: string }[] }[];
        }>("/api/v1/rules");
        const loaded = rules.groups.flatMap((g) => g.rules);
        expect(loaded.map((r) => r.name).sort()).toEqual(RULES);
        expect(loaded.every((r) => r.type === "alerting")).toBe(true);
        await until(
          async () =>
            (await api<{ groups: { rules: { health: string }[] }[] }>("/api/v1/rules")).groups
              .flatMap((g) => g.rules)
              .every((r) => r.health === "ok"),
          "every rule evaluated without error",
          30_000,
          200,
        );
        expect(alertmanagerUrl).not.toBe("");
        await until(
          async () =>
            (
              await api<{ activeAlertmanagers: { url: string }[] }>("/api/v1/alertmanagers")
            ).activeAlertmanagers.some((a) => a.url.startsWith(alertmanagerUrl)),
          "Prometheus to know its Alertmanager",
          30_000,
          200,
        );

        const ports = [prometheusUrl, alertmanagerUrl].map((u) => Number(new URL(u).port));
        await (monitoring as DemoMonitoring).stop();
        monitoring = null;
        for (const p of ports) expect(await refuses(p), `port ${p}`).toBe(true);
      }, 90_000);
    },
  );
});

describe.skipIf(!PROMETHEUS)(
  "the demo's alert rules on a real fault (skipped without: apt-get install prometheus prometheus-alertmanager)",
  () => {
    let shop: DemoShop;
    let monitoring: DemoMonitoring | null = null;
    beforeAll(async () => {
      shop = await startDemoShop();
      monitoring = await startDemoMonitoring({
        configDir: "demo/prometheus",
        targets: shop.services.map(({ name, port }) => ({ name, port })),
        path: `/usr/bin:${process.env.PATH ?? ""}`,
      });
    }, 60_000);
    afterAll(async () => {
      await monitoring?.stop();
      await shop?.stop();
    });

    it("CheckoutLatencyHigh reaches Alertmanager while the db is slow, with the scenario's service", async () => {
      const { alertmanagerUrl } = monitoring as DemoMonitoring;
      const toxic = await fetch(`${shop.toxiproxyUrl}/proxies/checkout-db/toxics`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "slow", type: "latency", attributes: { latency: 800 } }),
      });
      expect(toxic.status).toBe(200);
      // the traffic a drill's probe makes: /health every 200 ms
      const traffic = setInterval(() => {
        void fetch(`${shop.checkoutUrl}/health`).then(
          (r) => r.body?.cancel(),
          () => {},
        );
      }, 200);
      try {
        const active = async () => {
          const response = await fetch(`${alertmanagerUrl}/api/v2/alerts?active=true`);
          const alerts = (await response.json()) as { labels: Record<string, string> }[];
          return alerts.map((a) => a.labels);
        };
        // 15 s rate window, `for: 5s`, 1 s scrapes and evaluations: well inside a minute
        await until(
          async () => (await active()).some((l) => l.alertname === "CheckoutLatencyHigh"),
          "CheckoutLatencyHigh in Alertmanager",
          60_000,
          500,
        );
        expect((await active()).find((l) => l.alertname === "CheckoutLatencyHigh")).toMatchObject({
          service: "checkout-api",
          severity: "page",
        });
      } finally {
        clearInterval(traffic);
      }
    }, 90_000);
  },
);

describe.skipIf(!PROMETHEUS)(
  "the demo's monitoring when firedrill dies (skipped without: apt-get install prometheus prometheus-alertmanager)",
  () => {
    // kill -9 of firedrill; and a terminal closing, which hangs up its whole process group (the
    // keepers included: Alertmanager reloads on SIGHUP instead of exiting, and once outlived them)
    it.each([
      ["is killed -9", "SIGKILL"],
      ["hangs up with its terminal", "SIGHUP"],
    ] as const)(
      "Prometheus and Alertmanager exit on their own when the process that started them %s",
      async (_, signal) => {
        const { spawn } = await import("node:child_process");
        const script = [
          "const { startDemoMonitoring } = await import(process.argv[1]);",
          "const m = await startDemoMonitoring({ configDir: 'demo/prometheus', targets: [], path: '/usr/bin:' + process.env.PATH });",
          "console.log(JSON.stringify([m.prometheusUrl, m.alertmanagerUrl]));",
        ].join("\n");
        const launcher = spawn(
          process.execPath,
          [
            "--import",
            "tsx",
            "--input-type=module",
            "-e",
            script,
            new URL("../../src/demo/index.ts", import.meta.url).pathname,
          ],
          { stdio: ["ignore", "pipe", "inherit"], detached: true },
        );
        const urls = await new Promise<string[]>((resolve, reject) => {
          launcher.stdout.once("data", (chunk: Buffer) =>
            resolve(JSON.parse(chunk.toString()) as string[]),
          );
          launcher.once("exit", (code) => reject(new Error(`launcher exited ${code}`)));
        });
        const ports = urls.map((u) => Number(new URL(u).port));
        expect(ports.every((p) => p > 0)).toBe(true);
        for (const p of ports) expect(await refuses(p), `port ${p} before`).toBe(false);
        if (signal === "SIGKILL") launcher.kill("SIGKILL");
        else process.kill(-(launcher.pid ?? 0), "SIGHUP");
        await until(
          async () => (await Promise.all(ports.map(refuses))).every(Boolean),
          "Prometheus and Alertmanager to close their ports",
          15_000,
          100,
        );
      },
      60_000,
    );
  },
);
