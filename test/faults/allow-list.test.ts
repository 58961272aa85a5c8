import { describe, expect, it } from "vitest";
import { checkAllowList } from "../../src/faults/index.js";
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
    expect(refusals[0]?.reason).toContain("not in allowHosts");
  });

  it("adds the scenario's safety.allowHosts, with *.domain wildcards", () => {
    const s = scenario({
      proxies: [{ name: "db", upstream: "db.staging.internal:5432" }],
      safety: { allowHosts: ["*.staging.internal"] },
    });
    expect(checkAllowList({ scenario: s, allowHosts: LOCAL, productionPatterns: PROD })).toEqual(
      [],
    );
  });

  it("refuses production-looking hosts even when allowed, unless allowProduction", () => {
    const s = scenario({
      proxies: [
        { name: "db", upstream: "db.prod.internal:5432" },
        { name: "api", upstream: "product-api.internal:80" },
      ],
      safety: { allowHosts: ["*.internal"] },
    });
    const refusals = checkAllowList({ scenario: s, allowHosts: LOCAL, productionPatterns: PROD });
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ field: "proxies[0].upstream", host: "db.prod.internal" });
    expect(refusals[0]?.reason).toContain('looks like production (matches "prod")');
    expect(
      checkAllowList({
        scenario: s,
        allowHosts: LOCAL,
        productionPatterns: PROD,
        allowProduction: true,
      }),
    ).toEqual([]);
  });

  it("takes configurable patterns, including regular expressions", () => {
    const s = scenario({
      proxies: [{ name: "db", upstream: "eu1live.internal:5432" }],
      safety: { allowHosts: ["*.internal"] },
    });
    const refusals = checkAllowList({
      scenario: s,
      allowHosts: LOCAL,
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
