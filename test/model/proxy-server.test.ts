// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the scenario text holds ${VAR} references
import { describe, expect, it } from "vitest";
import { checkAllowList } from "../../src/faults/index.js";
import { parseScenario } from "../../src/model/load.js";
import { formatProblem } from "../../src/model/problem.js";

const text = [
  "id: two",
  "title: Two servers",
  "service: svc",
  "targets: { ttr: 2m }",
  "briefing: b",
  "proxies:",
  "  - name: db",
  "    upstream: 127.0.0.1:5432",
  "    toxiproxy: ${DB_TOXIPROXY}",
  "faults:",
  "  - { proxy: db, toxic: noop }",
].join("\n");

describe("a proxy's own Toxiproxy server (toxiproxy:)", () => {
  it("takes an http URL, with ${VAR} interpolated", () => {
    const ok = parseScenario(text, "two.yaml", {
      env: { DB_TOXIPROXY: "http://toxiproxy.db.staging:8474" },
    });
    expect(ok.problems).toEqual([]);
    expect(ok.ok && ok.loaded.value.proxies[0]?.toxiproxy).toBe("http://toxiproxy.db.staging:8474");
  });

  it("is a located error when it is not an http URL", () => {
    const bad = parseScenario(text, "two.yaml", { env: { DB_TOXIPROXY: "toxiproxy.db:8474" } });
    expect(bad.problems.map(formatProblem)).toEqual([
      'two.yaml:9:16: proxies[0].toxiproxy: "toxiproxy.db:8474" is not valid: must be an http URL, e.g. http://toxiproxy.db:8474',
    ]);
  });

  it("passes the allow-list like every other host", () => {
    const parsed = parseScenario(text, "two.yaml", {
      env: { DB_TOXIPROXY: "http://toxiproxy.db.prod:8474" },
    });
    if (!parsed.ok) throw new Error("the scenario should parse");
    const refusals = checkAllowList({
      scenario: parsed.loaded.value,
      allowHosts: ["127.0.0.1", "*.staging"],
      productionPatterns: ["prod"],
      toxiproxyUrl: "http://127.0.0.1:8474",
    });
    expect(refusals.map((r) => r.field)).toEqual(["proxies[0].toxiproxy"]);
  });
});
