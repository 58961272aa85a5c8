import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadScenario } from "../../src/model/load.js";
import { formatProblem } from "../../src/model/problem.js";

const dir = mkdtempSync(join(tmpdir(), "firedrill-when-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scenario = (when: string) => `id: tied
title: Tied signal
service: svc
targets:
  ttr: 2m
briefing: Health is failing.
proxies:
  - name: db
    upstream: 127.0.0.1:15432
faults:
  - proxy: db
    toxic: latency
signals:
  - at: 10s
    kind: alert
    text: HealthFailing
    when: ${when}
probes:
  - name: health
    tcp:
      address: 127.0.0.1:18080
`;

async function load(when: string) {
  const file = join(dir, "tied.yaml");
  writeFileSync(file, scenario(when));
  return loadScenario(file, { env: {} });
}

describe("signals tied to a probe (when)", () => {
  it("loads, failing defaults to true", async () => {
    const result = await load("{ probe: health }");
    expect(result.ok && result.loaded.value.signals[0]?.when).toEqual({
      probe: "health",
      failing: true,
    });
  });

  it("names an unknown probe at file:line:col with what is defined", async () => {
    const result = await load("{ probe: helth, failing: true }");
    expect(result.ok).toBe(false);
    expect(result.problems.map(formatProblem)).toEqual([
      `${join(dir, "tied.yaml")}:17:20: signals[0].when.probe: probe "helth" does not exist; did you mean "health"?; defined: health`,
    ]);
  });
});
