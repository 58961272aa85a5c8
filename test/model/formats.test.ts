// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about literal ${VAR} text
import { describe, expect, it } from "vitest";
import { loadCatalog, resolveScenario } from "../../src/model/catalog.js";
import { interpolate } from "../../src/model/env.js";
import { loadRunbook, loadScenario, parseRunbook, parseScenario } from "../../src/model/load.js";
import { formatProblem } from "../../src/model/problem.js";

describe("environment interpolation", () => {
  it("substitutes set variables, defaults, and leaves shell syntax alone", () => {
    const env = { PORT: "9000", EMPTY: "" };
    expect(interpolate("127.0.0.1:${PORT}", env).value).toBe("127.0.0.1:9000");
    expect(interpolate("${HOST:-localhost}:${PORT:-1}", env).value).toBe("localhost:9000");
    expect(interpolate("${EMPTY:-fallback}", env).value).toBe("fallback");
    expect(interpolate("$${PORT} $HOME ${x:+y}", env).value).toBe("${PORT} $HOME ${x:+y}");
    expect(interpolate("${NOPE}", env).missing).toEqual(["NOPE"]);
  });

  it("applies to scenario strings after parsing, so problem positions stay right", () => {
    const text = [
      "id: env",
      "title: Env",
      "service: svc",
      "targets: { ttr: 2m }",
      "briefing: b",
      "proxies:",
      "  - name: db",
      "    upstream: ${DB_HOST:-127.0.0.1}:${DB_PORT}",
      "faults:",
      "  - { proxy: db, toxic: noop }",
    ].join("\n");
    const ok = parseScenario(text, "env.yaml", { env: { DB_PORT: "5433" } });
    expect(ok.ok && ok.loaded.value.proxies[0]?.upstream).toBe("127.0.0.1:5433");
    const bad = parseScenario(text, "env.yaml", { env: { DB_PORT: "not a port" } });
    expect(bad.problems.map(formatProblem)).toEqual([
      'env.yaml:8:15: proxies[0].upstream: "127.0.0.1:not a port" is not valid: use host:port, e.g. 127.0.0.1:5432',
    ]);
    const high = parseScenario(text, "env.yaml", { env: { DB_PORT: "99999" } });
    expect(high.problems.map(formatProblem)).toEqual([
      "env.yaml:8:15: proxies[0].upstream: the port must be from 0 to 65535",
    ]);
  });
});

describe("Toxiproxy JSON proxies", () => {
  it("reads proxies: { file } relative to the scenario", async () => {
    const result = await loadScenario("fixtures/valid/scenarios/from-toxiproxy-json.yaml", {
      env: {},
    });
    expect(result.problems).toEqual([]);
    if (!result.ok) return;
    expect(result.loaded.value.proxies).toEqual([
      { name: "db", listen: "127.0.0.1:25432", upstream: "127.0.0.1:15432", enabled: true },
      { name: "cache", listen: "[::1]:26379", upstream: "127.0.0.1:16379", enabled: true },
    ]);
    expect(result.loaded.value.faults.map((f) => ("proxy" in f ? f.proxy : "command"))).toEqual([
      "cache",
      "db",
      "command",
    ]);
  });

  it("a missing proxies file is a problem at the file key", () => {
    const text =
      "id: a\ntitle: A\nservice: s\ntargets: { ttr: 1m }\nbriefing: b\nproxies:\n  file: nope.json\nfaults: [{ command: { inject: x, revert: y } }]\n";
    const result = parseScenario(text, "fixtures/valid/x.yaml", { env: {} });
    expect(result.problems.map(formatProblem)).toEqual([
      "fixtures/valid/x.yaml:7:9: proxies.file: cannot read fixtures/valid/nope.json: file not found",
    ]);
  });
});

describe("Markdown runbooks", () => {
  it("turns ## headings into procedures and list items into steps", async () => {
    const result = await loadRunbook("fixtures/valid/runbooks/fixture-svc.md", {
      env: { FIXTURE_HTTP_PORT: "1234" },
    });
    expect(result.problems).toEqual([]);
    if (!result.ok) return;
    const runbook = result.loaded.value;
    expect(runbook.title).toBe("Fixture service");
    expect(runbook.owner).toBe("team-fixture");
    expect(runbook.escalation.map((e) => [e.level, e.after])).toEqual([
      [1, 0],
      [2, 600_000],
    ]);
    const [slow, other] = runbook.procedures;
    expect(slow).toMatchObject({
      id: "slow-db",
      title: "Slow database",
      description: "When the database is slow.",
    });
    expect(slow?.steps).toEqual([
      {
        id: "look",
        kind: "check",
        title: "Look at the dashboard",
        notes: "Notes about looking.",
        shell: false,
        timeout: 60_000,
        optional: false,
      },
      {
        id: "act",
        kind: "action",
        title: "Fail over",
        run: "echo failover 1234",
        shell: true,
        timeout: 30_000,
        optional: false,
      },
      {
        id: "it-is-healthy-again",
        kind: "verify",
        title: "It is healthy again",
        shell: false,
        timeout: 60_000,
        optional: false,
      },
      {
        id: "back",
        kind: "rollback",
        title: "Fail back",
        shell: false,
        timeout: 60_000,
        optional: true,
      },
    ]);
    expect(other?.id).toBe("everything-else");
    expect(other?.steps.map((s) => s.id)).toEqual(["panic", "still-fine", "undo"]);
  });

  it("requires front matter", () => {
    const result = parseRunbook("## Procedure\n- [check] x\n", "r.md");
    expect(result.problems.map(formatProblem)).toEqual([
      "r.md:1:1: a Markdown runbook starts with YAML front matter between --- lines (service, owner, escalation, monitoring, reviewed)",
    ]);
  });

  it("ignores headings inside fenced code outside steps", () => {
    const text =
      "---\nservice: s\nowner: o\n---\n```\n## not a procedure\n```\n## Real {#real}\n- [check] Look\n";
    const result = parseRunbook(text, "r.md");
    expect(result.ok && result.loaded.value.procedures.map((p) => p.id)).toEqual(["real"]);
  });
});

describe("catalog", () => {
  it("loads the bundled samples clean and resolves a scenario with its runbook", async () => {
    const catalog = await loadCatalog(["."], { env: {} });
    expect(catalog.problems.map(formatProblem)).toEqual([]);
    expect(catalog.scenarios.map((s) => s.value.id).sort()).toEqual([
      "checkout-db-latency",
      "checkout-latency-page",
      "payments-provider-timeout",
      "payments-receipts-bandwidth",
      "session-cache-resets",
    ]);
    expect(new Set(catalog.scenarios.map((s) => s.value.service)).size).toBeGreaterThanOrEqual(3);
    expect(catalog.runbooks.some((r) => r.format === "markdown")).toBe(true);

    const byId = resolveScenario(catalog, "checkout-db-latency");
    expect(byId?.runbook?.value.owner).toBe("team-checkout");
    expect(byId?.procedure?.id).toBe("db-latency");
    const byPath = resolveScenario(catalog, "./scenarios/session-cache-resets.yaml");
    expect(byPath?.scenario.value.id).toBe("session-cache-resets");
    expect(byPath?.procedure?.id).toBe("connection-resets");
    expect(resolveScenario(catalog, "nope")).toBeUndefined();
  });

  it("sample addresses use the demo shop's variables and defaults", async () => {
    const catalog = await loadCatalog(["scenarios"], { env: { FIREDRILL_DB_PROXY_PORT: "30001" } });
    const db = catalog.scenarios.find((s) => s.value.id === "checkout-db-latency")?.value;
    expect(db?.proxies).toEqual([
      {
        name: "checkout-db",
        listen: "127.0.0.1:30001",
        upstream: "127.0.0.1:15432",
        enabled: true,
      },
    ]);
    expect(db?.probes[0]?.http?.url).toBe("http://127.0.0.1:18080/health");
    expect(db?.recovery).toEqual({ probe: "checkout-health", consecutive: 3 });
  });

  it("reports a path that does not exist", async () => {
    const catalog = await loadCatalog(["no/such/dir"]);
    expect(catalog.problems.map(formatProblem)).toEqual([
      "no/such/dir:1:1: cannot read: no such file or directory",
    ]);
  });
});

describe("the monitoring example of docs/formats.md", () => {
  it("is a valid scenario, its ${VAR} URLs interpolated", async () => {
    const { readFileSync } = await import("node:fs");
    const doc = readFileSync("docs/formats.md", "utf8");
    const after = doc.slice(doc.indexOf("<!-- monitoring-example -->"));
    const start = after.indexOf("```yaml\n") + 8;
    const yaml = after.slice(start, after.indexOf("\n```", start));
    const env = { PROMETHEUS_URL: "http://prometheus.staging:9090" };
    const result = parseScenario(yaml, "formats.md", { env });
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([]);
    if (!result.ok) return;
    const [page, metric] = result.loaded.value.signals;
    expect(page?.alertmanager).toMatchObject({
      url: "http://127.0.0.1:9093",
      tokenEnv: "ALERTMANAGER_TOKEN",
    });
    expect(page?.expect?.within).toBe(120_000);
    expect(metric?.prometheus?.url).toBe("http://prometheus.staging:9090");
    expect(result.loaded.value.probes[1]?.prometheus?.above).toBe(0.05);
  });
});
