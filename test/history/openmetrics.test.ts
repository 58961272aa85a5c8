import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { firedrill } from "../support/cli.js";
import { parseSamples } from "../support/metrics-text.js";
import {
  PROMETHEUS_BIN,
  PROMETHEUS_MISSING,
  type PrometheusServer,
  startPrometheus,
} from "../support/prometheus-server.js";
import { until } from "../support/until.js";
import { writeJournal } from "./journals.js";

const PROMTOOL = existsSync("/usr/bin/promtool") ? "/usr/bin/promtool" : undefined;
const DAY = 86_400_000;
const NASTY_TEAM = 'ops "blue"\\red\nnight\u001b[31m';

describe("history --format openmetrics", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "firedrill-openmetrics-"));
    const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
    // team payments: TTR 100, 200, 400 s within 90 days (median 200); a 1000 s drill 120 days ago
    writeJournal(dir, { drillId: "p1", startedAt: ago(10), ttr: 100_000 });
    // p2's alert did not fire in time: one detection gap, journaled before the summary
    writeJournal(dir, { drillId: "p2", startedAt: ago(20), ttr: 200_000 }, (lines) => {
      const gap = {
        type: "event",
        t: 60_000,
        at: new Date(Date.parse(ago(20)) + 60_000).toISOString(),
        event: { type: "detection.gap", signal: 0, name: "CheckoutLatencyHigh", withinMs: 30_000 },
      };
      return [...lines.slice(0, -1), JSON.stringify(gap), ...lines.slice(-1)];
    });
    writeJournal(dir, { drillId: "p3", startedAt: ago(30), ttr: 400_000, mode: "tabletop" });
    writeJournal(dir, { drillId: "old", startedAt: ago(120), ttr: 1_000_000 });
    // team search: 50 and 70 s (median 60), a not-recovered drill, a CI run, a killed drill
    const search = { service: "search", owner: "search", scenario: "search-timeout" };
    writeJournal(dir, { ...search, drillId: "s1", startedAt: ago(5), ttr: 50_000 });
    writeJournal(dir, { ...search, drillId: "s2", startedAt: ago(6), ttr: 70_000 });
    writeJournal(dir, { ...search, drillId: "s3", startedAt: ago(7), ttr: null, ttm: null });
    writeJournal(dir, {
      ...search,
      drillId: "ci",
      startedAt: ago(1),
      ttr: 1_000,
      responder: "firedrill-auto",
      responderKind: "auto",
    });
    writeJournal(dir, { ...search, drillId: "killed", startedAt: ago(2), complete: false });
    // a team name no one should write, but a journal may hold
    writeJournal(dir, { drillId: "nasty", startedAt: ago(3), owner: NASTY_TEAM, scenario: 'a"b' });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const history = () => firedrill(["history", "--format", "openmetrics", "--journal-dir", dir]);

  it("prints every finished drill's figures as valid OpenMetrics, ending # EOF", async () => {
    const run = await history();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.endsWith("\n# EOF\n")).toBe(true);
    // no raw control character but the line feeds between lines
    expect(run.stdout.replaceAll("\n", "")).not.toMatch(/\p{Cc}/u);
    const samples = parseSamples(run.stdout);
    const ttr = samples.filter((s) => s.name === "firedrill_drill_ttr_seconds");
    const byId = Object.fromEntries(ttr.map((s) => [s.labels.drill_id, s]));
    expect(Object.keys(byId).sort()).toEqual(["ci", "nasty", "old", "p1", "p2", "p3", "s1", "s2"]);
    expect(byId.p2?.value).toBe(200);
    expect(byId.p3?.labels).toMatchObject({
      scenario: "checkout-db-latency",
      service: "checkout",
      team: "payments",
      mode: "tabletop",
      responder_kind: "human",
    });
    expect(byId.ci?.labels.responder_kind).toBe("auto");
    // escaped and read back: quotes, backslash and line feed survive, the escape sequence does not
    expect(byId.nasty?.labels.team).toBe('ops "blue"\\red\nnight\uFFFD[31m');
    expect(byId.nasty?.labels.scenario).toBe('a"b');
    const recovered = samples.filter((s) => s.name === "firedrill_drill_recovered");
    expect(recovered.find((s) => s.labels.drill_id === "s3")?.value).toBe(0);
    const gaps = samples.filter((s) => s.name === "firedrill_drill_detection_gaps");
    expect(gaps.find((s) => s.labels.drill_id === "p2")?.value).toBe(1);
    expect(gaps.find((s) => s.labels.drill_id === "p1")?.value).toBe(0);
    expect(recovered.some((s) => s.labels.drill_id === "killed")).toBe(false);
    const finished = samples.find(
      (s) => s.name === "firedrill_drill_finished_timestamp_seconds" && s.labels.drill_id === "p1",
    );
    expect(Math.abs((finished?.value ?? 0) - (Date.now() - 10 * DAY) / 1000)).toBeLessThan(3600);
  });

  it.skipIf(!PROMTOOL)(
    "passes promtool check metrics (skipped without promtool: apt-get install prometheus)",
    async () => {
      const run = await history();
      // throws with promtool's complaints on a non-zero exit
      execFileSync(PROMTOOL ?? "promtool", ["check", "metrics"], { input: run.stdout });
    },
  );
});

/** The `promql` code blocks of docs/metrics.md, in order. */
function documentedQueries(): string[] {
  const text = readFileSync("docs/metrics.md", "utf8");
  return [...text.matchAll(/```promql\n([\s\S]*?)```/g)].map((m) => (m[1] ?? "").trim());
}

describe.skipIf(!PROMETHEUS_BIN)(
  `the documented queries on a real Prometheus scraping the history (${PROMETHEUS_MISSING})`,
  () => {
    let dir: string;
    let server: Server;
    let prometheus: PrometheusServer;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "firedrill-openmetrics-prom-"));
      const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
      writeJournal(dir, { drillId: "p1", startedAt: ago(10), ttr: 100_000 });
      writeJournal(dir, { drillId: "p2", startedAt: ago(20), ttr: 200_000 });
      writeJournal(dir, { drillId: "p3", startedAt: ago(30), ttr: 400_000 });
      writeJournal(dir, { drillId: "old", startedAt: ago(120), ttr: 1_000_000 });
      const search = { service: "search", owner: "search", scenario: "search-timeout" };
      writeJournal(dir, { ...search, drillId: "s1", startedAt: ago(5), ttr: 50_000 });
      writeJournal(dir, { ...search, drillId: "s2", startedAt: ago(6), ttr: 70_000 });
      writeJournal(dir, { ...search, drillId: "s3", startedAt: ago(7), ttr: 400_000 });
      writeJournal(dir, {
        ...search,
        drillId: "ci",
        startedAt: ago(1),
        ttr: 1_000,
        responder: "firedrill-auto",
        responderKind: "auto",
      });
      const text = (await firedrill(["history", "--format", "openmetrics", "--journal-dir", dir]))
        .stdout;
      // served as a scrape target with the OpenMetrics content type, so Prometheus parses it as such
      server = createServer((_req, res) => {
        res.writeHead(200, {
          "content-type": "application/openmetrics-text; version=1.0.0; charset=utf-8",
        });
        res.end(text);
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      prometheus = await startPrometheus(
        [
          "global: { scrape_interval: 1s, evaluation_interval: 1s }",
          "scrape_configs:",
          "  - job_name: firedrill-history",
          "    honor_labels: true",
          `    static_configs: [{ targets: ["127.0.0.1:${port}"] }]`,
        ].join("\n"),
      );
    }, 60_000);
    afterAll(async () => {
      await prometheus?.stop();
      await new Promise((resolve) => server?.close(resolve));
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("scrapes the OpenMetrics output and the median-TTR query counts each recent drill once", async () => {
      await until(
        async () => (await prometheus.targets()).some((t) => t.health === "up"),
        "the history target to be scraped",
        30_000,
        200,
      );
      expect((await prometheus.targets())[0]?.lastError).toBe("");
      const [median, within] = documentedQueries();
      const perTeam = async (promql: string) =>
        Object.fromEntries(
          (await prometheus.query(promql)).map((r) => [r.metric.team, Number(r.value[1])]),
        );
      // payments: 100, 200, 400 (the 120-day-old drill is out); search: 50, 70, 400 (the CI run is out)
      expect(await perTeam(median ?? "")).toEqual({ payments: 200, search: 70 });
      // every payments drill in the window is within its 300 s target but the 400 s one
      const share = await perTeam(within ?? "");
      expect(share.payments).toBeCloseTo(2 / 3, 6);
      expect(share.search).toBeCloseTo(2 / 3, 6);
    }, 60_000);
  },
);
