import { describe, expect, it } from "vitest";
import { checkAllowList } from "../../src/faults/index.js";
import { Config } from "../../src/model/project-config.js";
import { Scenario, type ScenarioInput } from "../../src/model/scenario.js";

const LOCAL = ["127.0.0.1", "localhost", "::1"];
const PROD = ["prod", "production"];

function scenario(extra: Partial<ScenarioInput>): Scenario {
  return Scenario.parse({
    id: "s",
    title: "t",
    service: "checkout",
    targets: { ttr: "5m" },
    briefing: "b",
    faults: [{ proxy: "db", toxic: "latency", attributes: { latency: 100 } }],
    ...extra,
  });
}

describe("allow-list", () => {
  it("lets a local drill through", () => {
    const s = scenario({
      proxies: [{ name: "db", listen: "127.0.0.1:0", upstream: "localhost:5432" }],
      probes: [{ name: "web", http: { url: "http://[::1]:8080/health" } }],
    });
    const refusals = checkAllowList({
      scenario: s,
      allowHosts: LOCAL,
      productionPatterns: PROD,
      toxiproxyUrl: "http://127.0.0.1:8474",
    });
    expect(refusals).toEqual([]);
  });

  it("checks the monitoring servers of signals and prometheus probes like any other host", () => {
    const s = scenario({
      proxies: [{ name: "db", upstream: "localhost:5432" }],
      signals: [
        {
          text: "latency",
          alertmanager: {
            url: "http://alertmanager.prod.internal:9093",
            match: { alertname: "X" },
          },
        },
        { text: "errors", prometheus: { url: "http://127.0.0.1:9090", alert: "Y" } },
      ],
      probes: [
        {
          name: "errors",
          prometheus: { url: "http://metrics.example.com", query: "up", below: 1 },
        },
      ],
    });
    const refusals = checkAllowList({ scenario: s, allowHosts: LOCAL, productionPatterns: PROD });
    expect(refusals.map((r) => [r.field, r.host])).toEqual([
      ["probes[0].prometheus.url", "metrics.example.com"],
      ["signals[0].alertmanager.url", "alertmanager.prod.internal"],
    ]);
  });

  it("names the field of every host it refuses", () => {
    const s = scenario({
      proxies: [{ name: "db", upstream: "db.staging.internal:5432" }],
      probes: [
        { name: "web", http: { url: "https://shop.example.com/health" } },
        { name: "port", tcp: { address: "10.0.0.5:22" } },
      ],
    });
    const refusals = checkAllowList({
      scenario: s,
      allowHosts: LOCAL,
      productionPatterns: PROD,
      toxiproxyUrl: "http://toxiproxy.staging:8474",
    });
    expect(refusals.map((r) => [r.field, r.host])).toEqual([
      ["toxiproxyUrl", "toxiproxy.staging"],
      ["proxies[0].upstream", "db.staging.internal"],
      ["probes[0].http.url", "shop.example.com"],
      ["probes[1].tcp.address", "10.0.0.5"],
    ]);
    expect(refusals[0]?.reason).toBe(
      "toxiproxy.staging is not in the config's allowHosts (127.0.0.1, localhost, ::1); add it to allowHosts in firedrill.config.yaml to drill against it",
    );
  });

  it("matches the config's allowHosts with *.domain wildcards", () => {
    const s = scenario({ proxies: [{ name: "db", upstream: "db.staging.internal:5432" }] });
    const allowHosts = [...LOCAL, "*.staging.internal"];
    expect(checkAllowList({ scenario: s, allowHosts, productionPatterns: PROD })).toEqual([]);
  });

  it("lets a scenario's safety.allowHosts narrow the config's list but never widen it", () => {
    const staging = [...LOCAL, "*.staging.internal"];
    const widening = scenario({
      proxies: [{ name: "db", upstream: "db.elsewhere.example:5432" }],
      safety: { allowHosts: ["*"] },
    });
    const [wide] = checkAllowList({
      scenario: widening,
      allowHosts: staging,
      productionPatterns: PROD,
    });
    expect(wide?.reason).toContain(
      "db.elsewhere.example is not in the config's allowHosts (127.0.0.1, localhost, ::1, *.staging.internal)",
    );
    const also = scenario({
      proxies: [{ name: "db", upstream: "db.elsewhere.example:5432" }],
      safety: { allowHosts: ["db.elsewhere.example"] },
    });
    expect(
      checkAllowList({ scenario: also, allowHosts: LOCAL, productionPatterns: PROD }),
    ).toHaveLength(1);
    const narrowing = scenario({
      proxies: [
        { name: "db", upstream: "db.staging.internal:5432" },
        { name: "cache", upstream: "cache.staging.internal:6379" },
      ],
      safety: { allowHosts: ["db.staging.internal", "localhost", "localhost"] },
    });
    const refusals = checkAllowList({
      scenario: narrowing,
      allowHosts: staging,
      productionPatterns: PROD,
    });
    expect(refusals.map((r) => [r.field, r.reason])).toEqual([
      [
        "proxies[1].upstream",
        "cache.staging.internal is not in the scenario's safety.allowHosts (db.staging.internal, localhost); add it there to drill against it",
      ],
    ]);
  });

  it("says each allowed host once", () => {
    const s = scenario({ proxies: [{ name: "db", upstream: "db.example:5432" }] });
    const [refusal] = checkAllowList({
      scenario: s,
      allowHosts: [...LOCAL, "127.0.0.1", "LOCALHOST"],
      productionPatterns: PROD,
    });
    expect(refusal?.reason).toContain("(127.0.0.1, localhost, ::1)");
  });

  it("catches common production spellings, digits included, as whole name parts", () => {
    const defaults = Config.parse({}).productionPatterns;
    const s = scenario({
      proxies: [
        { name: "a", upstream: "db.prod01.internal:5432" },
        { name: "b", upstream: "prd-db.internal:5432" },
        { name: "c", upstream: "production2.internal:5432" },
        { name: "d", upstream: "product-api.internal:80" },
        { name: "e", upstream: "prdx.internal:80" },
      ],
    });
    const refusals = checkAllowList({
      scenario: s,
      allowHosts: ["*.internal"],
      productionPatterns: defaults,
    });
    expect(refusals.map((r) => r.host)).toEqual([
      "db.prod01.internal",
      "prd-db.internal",
      "production2.internal",
    ]);
  });

  it("fails closed on a production pattern that is not a valid regular expression", () => {
    const s = scenario({ proxies: [{ name: "db", upstream: "db.prod.internal:5432" }] });
    const refusals = checkAllowList({
      scenario: s,
      allowHosts: ["*.internal"],
      productionPatterns: ["/(/"],
    });
    expect(refusals[0]).toMatchObject({ field: "productionPatterns" });
    expect(refusals[0]?.reason).toContain("/(/ is not a valid regular expression");
  });

  it("refuses production-looking hosts even when allowed, unless allowProduction", () => {
    const s = scenario({
      proxies: [
        { name: "db", upstream: "db.prod.internal:5432" },
        { name: "api", upstream: "product-api.internal:80" },
      ],
    });
    const allowHosts = ["*.internal"];
    const refusals = checkAllowList({ scenario: s, allowHosts, productionPatterns: PROD });
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ field: "proxies[0].upstream", host: "db.prod.internal" });
    expect(refusals[0]?.reason).toContain('looks like production (matches "prod")');
    expect(
      checkAllowList({ scenario: s, allowHosts, productionPatterns: PROD, allowProduction: true }),
    ).toEqual([]);
  });

  it("takes configurable patterns, including regular expressions", () => {
    const s = scenario({
      proxies: [{ name: "db", upstream: "eu1live.internal:5432" }],
    });
    const refusals = checkAllowList({
      scenario: s,
      allowHosts: ["*.internal"],
      productionPatterns: ["/live\\b/"],
    });
    expect(refusals.map((r) => r.host)).toEqual(["eu1live.internal"]);
  });

  it("does not check the Toxiproxy URL when no fault uses Toxiproxy", () => {
    const s = scenario({
      faults: [{ command: { inject: ["true"], revert: ["true"] } }],
    });
    const refusals = checkAllowList({
      scenario: s,
      allowHosts: LOCAL,
      productionPatterns: PROD,
      toxiproxyUrl: "http://toxiproxy.prod:8474",
    });
    expect(refusals).toEqual([]);
  });
});
