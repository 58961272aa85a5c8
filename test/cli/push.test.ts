import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { firedrill } from "../support/cli.js";
import {
  PUSHGATEWAY_BIN,
  PUSHGATEWAY_MISSING,
  type Pushgateway,
  seriesOf,
  startPushgateway,
} from "../support/pushgateway.js";

interface Summary {
  drillId: string;
  timings: { ttd: number | null; tta: number | null; ttm: number | null; ttr: number | null };
  score: number;
  withinTarget: boolean;
  exitCode: number;
  push?: { url: string; ok: boolean; error?: string };
}

function summaryOf(stdout: string): Summary {
  const line = stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { type: string })
    .find((l) => l.type === "summary");
  if (!line) throw new Error(`no summary in:\n${stdout}`);
  return line as unknown as Summary;
}

/** Two CLI drills in a row on a busy 2-core machine can take a while; they are not timed. */
const SLOW = 120_000;

const runAuto = (scenario: string, cwd: string, extra: string[] = []) =>
  firedrill(["run", scenario, "--mode", "tabletop", "--auto", "--json", ...extra], {
    cwd,
    timeoutMs: SLOW,
  });

describe.skipIf(!PUSHGATEWAY_BIN)(
  `run --push to a real Pushgateway (${PUSHGATEWAY_MISSING})`,
  () => {
    let gateway: Pushgateway;
    let cwd: string;
    beforeAll(async () => {
      gateway = await startPushgateway();
      cwd = mkdtempSync(join(tmpdir(), "firedrill-push-"));
    });
    afterAll(async () => {
      await gateway?.stop();
      if (cwd) rmSync(cwd, { recursive: true, force: true });
    });

    it(
      "pushes a finished drill's figures, read back with their values and labels",
      async () => {
        const run = await runAuto("checkout-db-latency", cwd, ["--push", gateway.url]);
        expect(run.code, run.stderr).toBe(0);
        const summary = summaryOf(run.stdout);
        expect(summary.push).toMatchObject({ ok: true });
        expect(run.stderr).toContain(
          `firedrill: figures pushed to ${gateway.url}/metrics/job/firedrill/`,
        );

        const groups = await gateway.groups();
        const labels = {
          drill_id: summary.drillId,
          scenario: "checkout-db-latency",
          service: "checkout-api",
          team: "team-checkout",
          mode: "tabletop",
          responder_kind: "auto",
          job: "firedrill",
        };
        const one = (name: string) => {
          const series = seriesOf(groups, name);
          expect(series, name).toHaveLength(1);
          expect(series[0]?.labels).toMatchObject(labels);
          return Number(series[0]?.value);
        };
        expect(summary.timings.ttr).not.toBeNull();
        expect(one("firedrill_drill_ttr_seconds")).toBeCloseTo(
          (summary.timings.ttr ?? 0) / 1000,
          6,
        );
        expect(one("firedrill_drill_tta_seconds")).toBeCloseTo(
          (summary.timings.tta ?? 0) / 1000,
          6,
        );
        expect(one("firedrill_drill_score")).toBe(summary.score);
        expect(one("firedrill_drill_recovered")).toBe(1);
        expect(one("firedrill_drill_within_target")).toBe(summary.withinTarget ? 1 : 0);
        expect(one("firedrill_drill_detection_gaps")).toBe(0);
        const finished = one("firedrill_drill_finished_timestamp_seconds");
        expect(Math.abs(finished - Date.now() / 1000)).toBeLessThan(120);
      },
      SLOW,
    );

    it(
      "keeps drills of different scenarios apart; a drill replaces the last one of its own group",
      async () => {
        // the second scenario's push comes from firedrill.config.yaml's pushgateway, not --push
        const configured = mkdtempSync(join(tmpdir(), "firedrill-push-config-"));
        try {
          writeFileSync(join(configured, "firedrill.config.yaml"), `pushgateway: ${gateway.url}\n`);
          const first = await runAuto("checkout-db-latency", cwd, ["--push", gateway.url]);
          const other = await runAuto("session-cache-resets", configured);
          expect(first.code, first.stderr).toBe(0);
          expect(other.code, other.stderr).toBe(0);
          const ids = seriesOf(await gateway.groups(), "firedrill_drill_score").map((s) => [
            s.labels.scenario,
            s.labels.drill_id,
          ]);
          expect(ids.sort()).toEqual(
            [
              ["checkout-db-latency", summaryOf(first.stdout).drillId],
              ["session-cache-resets", summaryOf(other.stdout).drillId],
            ].sort(),
          );
        } finally {
          rmSync(configured, { recursive: true, force: true });
        }
      },
      SLOW,
    );
  },
);

describe("run --push when the Pushgateway cannot be reached", () => {
  it(
    "leaves the drill and its exit code alone and says so in one line",
    async () => {
      const cwd = mkdtempSync(join(tmpdir(), "firedrill-push-dead-"));
      try {
        // a port nothing listens on: bound, then closed
        const { freePort } = await import("../drill/harness.js");
        const dead = `http://127.0.0.1:${await freePort()}`;
        const [without, run] = await Promise.all([
          runAuto("checkout-db-latency", cwd),
          runAuto("checkout-db-latency", cwd, ["--push", dead]),
        ]);
        expect(run.code).toBe(without.code);
        expect(summaryOf(run.stdout).exitCode).toBe(summaryOf(without.stdout).exitCode);
        const lines = run.stderr.split("\n").filter((l) => l.includes("push"));
        expect(lines).toEqual([
          `firedrill: could not push the figures to ${dead}/metrics/job/firedrill/scenario/checkout-db-latency/mode/tabletop/responder_kind/auto: ECONNREFUSED; the journal has them`,
        ]);
        expect(summaryOf(run.stdout).push).toMatchObject({ ok: false, error: "ECONNREFUSED" });
      } finally {
        rmSync(cwd, { recursive: true, force: true });
      }
    },
    SLOW,
  );

  it(
    "refuses a Pushgateway outside the allow-list before the drill starts",
    async () => {
      const cwd = mkdtempSync(join(tmpdir(), "firedrill-push-refused-"));
      try {
        const run = await runAuto("checkout-db-latency", cwd, [
          "--push",
          "http://pushgateway.example:9091",
        ]);
        expect(run.code).toBe(2);
        expect(run.stderr).toContain(
          "allow-list: pushgateway: pushgateway.example is not in the config's allowHosts",
        );
      } finally {
        rmSync(cwd, { recursive: true, force: true });
      }
    },
    SLOW,
  );
});
