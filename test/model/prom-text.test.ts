import { describe, expect, it } from "vitest";
import type { DrillFigures } from "../../src/drill/drill-metrics.js";
import { pushUrl } from "../../src/drill/pushgateway-push.js";
import {
  escapeLabelValue,
  type MetricFamily,
  renderOpenMetrics,
  renderPrometheusText,
} from "../../src/model/prom-text.js";

const counter: MetricFamily = {
  name: "shop_orders",
  help: 'Orders "placed"\\ today.',
  type: "counter",
  samples: [{ suffix: "_total", labels: { route: "/checkout" }, value: 3 }],
};

describe("the Prometheus text and OpenMetrics writers", () => {
  it("name a counter's family as each format wants: with _total in 0.0.4, without in OpenMetrics", () => {
    expect(renderPrometheusText([counter])).toBe(
      [
        '# HELP shop_orders_total Orders "placed"\\\\ today.',
        "# TYPE shop_orders_total counter",
        'shop_orders_total{route="/checkout"} 3',
        "",
      ].join("\n"),
    );
    expect(renderOpenMetrics([counter])).toBe(
      [
        '# HELP shop_orders Orders \\"placed\\"\\\\ today.',
        "# TYPE shop_orders counter",
        'shop_orders_total{route="/checkout"} 3',
        "# EOF",
        "",
      ].join("\n"),
    );
  });

  it("escapes backslash, quote and line feed in label values and replaces other control characters", () => {
    expect(escapeLabelValue('a\\b"c\nd\u001b[31m\u0000')).toBe('a\\\\b\\"c\\nd\uFFFD[31m\uFFFD');
  });

  it("spells special values as the formats do and refuses names they cannot carry", () => {
    const gauge = (value: number): MetricFamily => ({
      name: "g",
      help: "h",
      type: "gauge",
      samples: [{ labels: {}, value }],
    });
    expect(renderOpenMetrics([gauge(Number.NaN)])).toContain("\ng NaN\n");
    expect(renderOpenMetrics([gauge(Number.POSITIVE_INFINITY)])).toContain("\ng +Inf\n");
    expect(renderOpenMetrics([gauge(0.25)])).toContain("\ng 0.25\n");
    expect(() => renderOpenMetrics([{ ...gauge(1), name: "bad-name" }])).toThrow(
      '"bad-name" is not a valid metric name',
    );
    expect(() =>
      renderOpenMetrics([{ ...gauge(1), samples: [{ labels: { "a-b": "x" }, value: 1 }] }]),
    ).toThrow('"a-b" is not a valid label name');
  });
});

describe("the Pushgateway URL of a drill", () => {
  const drill = {
    scenario: "checkout-db-latency",
    mode: "gameday",
    responderKind: "person",
  } as DrillFigures;

  it("groups by job, scenario, mode and responder kind under the URL's own path", () => {
    expect(pushUrl("http://gw:9091/", drill)).toBe(
      "http://gw:9091/metrics/job/firedrill/scenario/checkout-db-latency/mode/gameday/responder_kind/human",
    );
    expect(pushUrl("https://ops.example/pushgateway", drill)).toBe(
      "https://ops.example/pushgateway/metrics/job/firedrill/scenario/checkout-db-latency/mode/gameday/responder_kind/human",
    );
  });

  it("writes a value that is not plainly path-safe in the Pushgateway's base64 form", () => {
    expect(pushUrl("http://gw:9091", { ...drill, scenario: "a/b c" })).toContain(
      `/scenario@base64/${Buffer.from("a/b c").toString("base64url")}/`,
    );
  });
});
