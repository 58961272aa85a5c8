import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TimedEvent } from "../../src/drill/events.js";
import { readJournal } from "../../src/drill/journal.js";
import {
  type Monitoring,
  monitoringMissing,
  scraped,
  startMonitoring,
} from "../support/monitoring.js";
import { type DepRig, firedrill, startDepRig, toxicsOf, writeDrill } from "./harness.js";

const missing = monitoringMissing();
const POLL_MS = 500;

type Json = Record<string, unknown>;

/** Writes the rig's drill, then lets `change` rewrite the scenario (JSON is YAML). */
function scenarioWith(dir: string, rig: DepRig, change: (scenario: Json) => void): void {
  const file = writeDrill(dir, {
    servicePort: rig.service.port,
    proxyPort: rig.proxyPort,
    depPort: rig.service.dep,
    maxDuration: "60s",
  });
  const scenario = JSON.parse(readFileSync(file, "utf8")) as Json;
  scenario.targets = { ttr: "60s", tta: "30s" };
  change(scenario);
  writeFileSync(file, JSON.stringify(scenario, null, 2));
}

function onlyJournal(dir: string) {
  const drills = join(dir, ".firedrill", "drills");
  const [name] = readdirSync(drills);
  return readJournal(join(drills, name ?? ""));
}

function eventOf<T extends TimedEvent["event"]["type"]>(events: TimedEvent[], type: T) {
  const found = events.find((e) => e.event.type === type);
  return found as (TimedEvent & { event: Extract<TimedEvent["event"], { type: T }> }) | undefined;
}

const gameday = (rig: DepRig, ...extra: string[]) => [
  "run",
  "svc-dep-latency",
  "--mode",
  "gameday",
  "--url",
  rig.proxy.url,
  "--responder",
  "ci",
  ...extra,
];

describe.skipIf(missing !== undefined)(
  `gameday with real Prometheus and Alertmanager${missing ? ` (${missing})` : ""}`,
  () => {
    let rig: DepRig;
    let monitoring: Monitoring;
    let dir: string;

    beforeAll(async () => {
      rig = await startDepRig();
      monitoring = await startMonitoring({
        targets: [`127.0.0.1:${rig.service.port}`],
        rules: [
          { alert: "SvcDependencySlow", expr: "svc_dependency_latency_seconds > 0.5" },
          // a threshold the fault never reaches: its alert cannot fire
          { alert: "SvcDependencyDead", expr: "svc_dependency_latency_seconds > 1000" },
        ],
      });
      await scraped(monitoring.prometheusUrl);
    }, 60_000);

    afterAll(async () => {
      await monitoring?.stop();
      await rig?.stop();
    });

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), "firedrill-monitoring-drill-"));
      // a drill before may have failed the service over: the fault must go through the proxy
      await fetch(`http://127.0.0.1:${rig.service.port}/admin/failback`, { method: "POST" });
      return () => rmSync(dir, { recursive: true, force: true });
    });

    it("takes TTD from the real Alertmanager alert, seen within one poll of its startsAt", async () => {
      scenarioWith(dir, rig, (s) => {
        s.signals = [
          {
            kind: "alert",
            text: "SvcDependencySlow: dependency latency over 500ms",
            alertmanager: {
              url: monitoring.alertmanagerUrl,
              match: { alertname: "SvcDependencySlow" },
            },
            every: `${POLL_MS}ms`,
            expect: { within: "40s" },
          },
        ];
      });
      const { code, stdout, stderr } = await firedrill(gameday(rig, "--auto"), dir).done;
      expect(code, `${stdout}\n${stderr}`).toBe(0);
      const journal = onlyJournal(dir);
      const applied = eventOf(journal.events, "fault.applied");
      const shown = eventOf(journal.events, "signal.shown");
      expect(shown?.event).toMatchObject({
        source: "alertmanager",
        activeAt: expect.any(String),
        activeT: expect.any(Number),
      });
      const seenT = shown?.t ?? 0;
      const activeT = shown?.event.activeT ?? 0;
      // the alert's own start is after the fault (the rule needs the latency for 2s)...
      expect(activeT).toBeGreaterThan(applied?.t ?? 0);
      // ...and firedrill saw it within one poll interval, plus the request and a loaded machine
      const lag = seenT - activeT;
      console.log(
        `alert startsAt → seen: ${lag} ms; fault → active ${activeT - (applied?.t ?? 0)} ms`,
      );
      expect(lag).toBeGreaterThanOrEqual(-50);
      expect(lag).toBeLessThanOrEqual(POLL_MS + 1000);
      // TTD is the real alert as seen, not the probe that failed a second after the fault
      // (the journal keeps whole milliseconds, the summary the drill clock's own)
      const ttd = journal.summary?.timings.ttd ?? -1;
      expect(Math.abs(ttd - (seenT - (applied?.t ?? 0)))).toBeLessThanOrEqual(1);
      const probeFailed = journal.events.find(
        (e) => e.event.type === "probe.result" && !e.event.ok,
      );
      expect(probeFailed?.t).toBeLessThan(seenT);
      expect(stdout).toMatch(
        /detected: SvcDependencySlow.*\(alertmanager\): fault → active [\d.]+s → seen/,
      );
      expect(journal.events.some((e) => e.event.type === "detection.gap")).toBe(false);
      expect(await toxicsOf(rig.proxy.url, "dep")).toEqual([]);
    }, 90_000);

    it("records a detection gap when the rule never fires: recovered, still a finding (exit 1)", async () => {
      scenarioWith(dir, rig, (s) => {
        s.signals = [
          {
            text: "SvcDependencyDead",
            alertmanager: {
              url: monitoring.alertmanagerUrl,
              match: { alertname: "SvcDependencyDead" },
            },
            every: `${POLL_MS}ms`,
            expect: { within: "3s" },
          },
        ];
      });
      const { code, stdout, stderr } = await firedrill(gameday(rig, "--auto"), dir).done;
      expect(code, `${stdout}\n${stderr}`).toBe(1);
      expect(stdout).toContain(
        "DETECTION GAP: SvcDependencyDead did not fire within 3s of the fault",
      );
      // recovered in time, and still a finding
      expect(stdout).toContain("outcome: recovered within target");
      const journal = onlyJournal(dir);
      expect(journal.summary).toMatchObject({ outcome: "recovered", withinTarget: true });
      const gap = eventOf(journal.events, "detection.gap");
      const applied = eventOf(journal.events, "fault.applied");
      expect(gap?.event).toMatchObject({ signal: 0, name: "SvcDependencyDead", withinMs: 3000 });
      expect((gap?.t ?? 0) - (applied?.t ?? 0)).toBeGreaterThanOrEqual(2990);
      expect(journal.summary?.breakdown).toContainEqual(
        expect.objectContaining({ key: "detection", points: -10 }),
      );
      // no real alert: no TTD
      expect(journal.summary?.timings.ttd).toBeNull();
    }, 90_000);

    it("halts and reverts when a prometheus stop condition crosses its limit (exit 1)", async () => {
      scenarioWith(dir, rig, (s) => {
        s.signals = [];
        (s.probes as Json[]).push({
          name: "dep-latency",
          every: "500ms",
          prometheus: {
            url: monitoring.prometheusUrl,
            query: "svc_dependency_latency_seconds",
            above: 0.5,
          },
        });
        s.safety = { maxDuration: "60s", stopWhen: [{ probe: "dep-latency", failures: 1 }] };
      });
      const script = join(dir, "wait.yaml");
      writeFileSync(script, "actions:\n  - do: wait\n    at: 50s\n");
      const { code, stdout, stderr } = await firedrill(gameday(rig, "--script", script), dir).done;
      expect(code, `${stdout}\n${stderr}`).toBe(1);
      expect(stdout).toMatch(
        /SAFETY STOP: probe dep-latency failed 1 times in a row \(stop at 1\): svc_dependency_latency_seconds = [\d.]+ > 0\.5/,
      );
      expect(onlyJournal(dir).summary?.outcome).toBe("safety-stop");
      expect(await toxicsOf(rig.proxy.url, "dep")).toEqual([]);
    }, 90_000);

    it("refuses a drill whose prometheus probe's or signal's query returns no data (exit 2)", async () => {
      scenarioWith(dir, rig, (s) => {
        s.signals = [
          {
            kind: "metric",
            text: "errors",
            prometheus: { url: monitoring.prometheusUrl, query: "svc_nothing_total", above: 1 },
          },
        ];
        (s.probes as Json[]).push({
          name: "errors",
          prometheus: { url: monitoring.prometheusUrl, query: "svc_errors_total", above: 5 },
        });
      });
      const { code, stderr } = await firedrill(gameday(rig, "--auto"), dir).done;
      expect(code, stderr).toBe(2);
      expect(stderr).toMatch(/✗ probe errors: .*no data for svc_errors_total/);
      expect(stderr).toMatch(
        /✗ signal svc_nothing_total > 1: signals\[0\] prometheus .* no data for svc_nothing_total: the query returns no data/,
      );
      expect(await toxicsOf(rig.proxy.url, "dep")).toEqual([]);
    }, 60_000);
  },
);

describe("tabletop with monitoring signals", () => {
  let server: Server;
  let url: string;
  let requests = 0;
  let dir: string;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      requests++;
      res.writeHead(200, { "content-type": "application/json" }).end("[]");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), "firedrill-monitoring-tabletop-"));
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it("never contacts the monitoring server: shown at its `at`, not shown without one", async () => {
    const file = writeDrill(dir, { servicePort: 1, proxyPort: 2, depPort: 3 });
    const scenario = JSON.parse(readFileSync(file, "utf8")) as Json;
    scenario.signals = [
      {
        at: "1s",
        text: "SvcDependencySlow (as the facilitator plays it)",
        alertmanager: { url, match: { alertname: "SvcDependencySlow" } },
        expect: { within: "2s" },
      },
      { text: "never shown in tabletop", prometheus: { url, alert: "Other" } },
    ];
    writeFileSync(file, JSON.stringify(scenario));
    const { code, stdout, stderr } = await firedrill(
      ["run", "svc-dep-latency", "--mode", "tabletop", "--auto", "--responder", "ci"],
      dir,
    ).done;
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    expect(requests).toBe(0);
    const journal = onlyJournal(dir);
    const shown = journal.events.filter((e) => e.event.type === "signal.shown");
    expect(shown.map((e) => e.event)).toEqual([
      expect.objectContaining({
        signal: 0,
        text: "SvcDependencySlow (as the facilitator plays it)",
      }),
    ]);
    expect(shown[0]?.event).not.toHaveProperty("source");
    expect(journal.events.some((e) => e.event.type === "detection.gap")).toBe(false);
  }, 60_000);
});
