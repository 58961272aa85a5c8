import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DrillFigures } from "../../src/drill/drill-metrics.js";
import { pushDrillFigures } from "../../src/drill/pushgateway-push.js";
import {
  PROMETHEUS_BIN,
  PROMETHEUS_MISSING,
  type PrometheusServer,
  startPrometheus,
} from "../support/prometheus-server.js";
import { PUSHGATEWAY_BIN, type Pushgateway, startPushgateway } from "../support/pushgateway.js";
import { until } from "../support/until.js";

function drill(drillId: string, scenario: string, ttrSeconds: number): DrillFigures {
  return {
    drillId,
    scenario,
    service: "checkout-api",
    team: "team-checkout",
    mode: "gameday",
    responderKind: "person",
    timings: { ttd: 5000, tta: 10_000, ttm: 20_000, ttr: ttrSeconds * 1000 },
    targetTtrMs: 250_000,
    score: 90,
    recovered: true,
    withinTarget: ttrSeconds <= 250,
    detectionGaps: 0,
    finishedAt: Date.now(),
  };
}

const medianQuery = () =>
  [...readFileSync("docs/metrics.md", "utf8").matchAll(/```promql\n([\s\S]*?)```/g)][0]?.[1] ?? "";

// A pushed gauge stays in the Pushgateway until the next drill of its group replaces it; the
// documented query must still count the replaced drill, once.
describe.skipIf(!PROMETHEUS_BIN || !PUSHGATEWAY_BIN)(
  `the documented median on a real Prometheus scraping a real Pushgateway (${PROMETHEUS_MISSING} prometheus-pushgateway)`,
  () => {
    let gateway: Pushgateway;
    let prometheus: PrometheusServer;
    beforeAll(async () => {
      gateway = await startPushgateway();
      prometheus = await startPrometheus(
        [
          "global: { scrape_interval: 1s, evaluation_interval: 1s }",
          "scrape_configs:",
          "  - job_name: pushgateway",
          "    honor_labels: true",
          `    static_configs: [{ targets: ["${new URL(gateway.url).host}"] }]`,
        ].join("\n"),
      );
    }, 60_000);
    afterAll(async () => {
      await prometheus?.stop();
      await gateway?.stop();
    });

    const scraped = (drillId: string) =>
      until(
        async () =>
          (await prometheus.query(`firedrill_drill_ttr_seconds{drill_id="${drillId}"}`)).length ===
          1,
        `drill ${drillId} scraped`,
        30_000,
        200,
      );

    it("counts a drill its group's next push replaced", async () => {
      expect(
        (await pushDrillFigures(gateway.url, drill("d1", "checkout-db-latency", 100))).ok,
      ).toBe(true);
      await scraped("d1");
      // same scenario, mode and responder kind: replaces d1 in the Pushgateway
      expect(
        (await pushDrillFigures(gateway.url, drill("d2", "checkout-db-latency", 300))).ok,
      ).toBe(true);
      await scraped("d2");
      expect((await pushDrillFigures(gateway.url, drill("d3", "payments-timeout", 200))).ok).toBe(
        true,
      );
      await scraped("d3");
      const held = (await gateway.groups()).flatMap((g) =>
        Object.keys(g).includes("firedrill_drill_ttr_seconds") ? [g.labels.scenario] : [],
      );
      expect(held.sort()).toEqual(["checkout-db-latency", "payments-timeout"]);

      const result = await prometheus.query(medianQuery());
      expect(result.map((r) => [r.metric.team, Number(r.value[1])])).toEqual([
        ["team-checkout", 200],
      ]);
    }, 90_000);
  },
);
