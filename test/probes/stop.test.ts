import { describe, expect, it } from "vitest";
import { breachIndex, StopMonitor } from "../../src/probes/index.js";

const ok = { ok: true, latencyMs: 5, detail: "200 OK" };
const bad = { ok: false, latencyMs: 5, detail: "503 Service Unavailable" };

describe("stop conditions", () => {
  it("are breached at the Nth consecutive failure, not on scattered ones", () => {
    const condition = { probe: "web", failures: 3 };
    expect(breachIndex(condition, [bad, bad, ok, bad, ok, bad])).toBeUndefined();
    expect(breachIndex(condition, [ok, bad, bad, ok, bad, bad, bad, bad])).toBe(6);
  });

  it("report each breach once, with the probe's last reason", () => {
    const monitor = new StopMonitor([{ probe: "web", failures: 2 }]);
    expect(monitor.observe("web", bad)).toBeUndefined();
    expect(monitor.observe("db", bad)).toBeUndefined();
    expect(monitor.observe("web", bad)).toEqual({
      probe: "web",
      failures: 2,
      reason: "web failed 2 times in a row (last: 503 Service Unavailable)",
    });
    expect(monitor.observe("web", bad)).toBeUndefined();
    expect(monitor.streak("web")).toBe(3);
  });

  it("restart the count after a success", () => {
    const monitor = new StopMonitor([{ probe: "web", failures: 2 }]);
    monitor.observe("web", bad);
    monitor.observe("web", ok);
    expect(monitor.observe("web", bad)).toBeUndefined();
  });
});
