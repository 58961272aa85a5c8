import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isAlive, startWatchdog, ToxiproxyApi } from "../../src/faults/index.js";
import { killStarted, startDrillParent, until, watchdogs } from "./helpers.js";
import { startSlowApi } from "./slow-api.js";
import { startToxiproxy } from "./toxiproxy-server.js";

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "firedrill-watchdog-"));
});

afterEach(async () => {
  killStarted();
  rmSync(dir, { recursive: true, force: true });
});

describe("watchdog", () => {
  it("runs the revert commands, newest first, when the drill process is killed -9", async () => {
    const marks = join(dir, "marks.txt");
    const ledgerPath = join(dir, "wd.ledger.json");
    const append = (word: string) => [
      process.execPath,
      "-e",
      `require('fs').appendFileSync(${JSON.stringify(marks)}, ${JSON.stringify(`${word}\n`)})`,
    ];
    const { child, watchdogPid } = await startDrillParent(
      {
        faults: [
          { command: { inject: append("inject-a"), revert: append("revert-a") } },
          { command: { inject: append("inject-b"), revert: append("revert-b") } },
        ],
      },
      ledgerPath,
    );
    expect(readFileSync(marks, "utf8")).toBe("inject-a\ninject-b\n");
    child.kill("SIGKILL");
    const lag = await until(() => !existsSync(ledgerPath), "ledger emptied", 5000);
    console.log(`watchdog: command faults reverted ${Math.round(lag)}ms after kill -9`);
    expect(readFileSync(marks, "utf8")).toBe("inject-a\ninject-b\nrevert-b\nrevert-a\n");
    // the log is written after the ledger is gone, just before the watchdog exits
    await until(() => !isAlive(watchdogPid), "watchdog exits", 5000);
    expect(readFileSync(`${ledgerPath}.watchdog.log`, "utf8")).toContain("reverted run:");
  });

  it("exits quietly, reverting nothing, once the ledger file is removed", async () => {
    const ledgerPath = join(dir, "quiet.ledger.json");
    writeFileSync(
      ledgerPath,
      JSON.stringify({
        version: 1,
        drillId: "q",
        pid: process.pid,
        faults: [],
        createdProxies: [],
      }),
    );
    const watchdog = startWatchdog({ ledgerPath });
    watchdogs.push(watchdog.pid);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(isAlive(watchdog.pid)).toBe(true);
    rmSync(ledgerPath);
    await until(() => !isAlive(watchdog.pid), "watchdog exits", 2000);
    expect(existsSync(`${ledgerPath}.watchdog.log`)).toBe(false);
  });

  it("removes a kill -9'd drill's latency toxic and created proxy from Toxiproxy within 2s", async () => {
    const toxiproxy = await startToxiproxy();
    try {
      const api = new ToxiproxyApi(toxiproxy.url);
      const ledgerPath = join(dir, "wd.ledger.json");
      const { child, watchdogPid } = await startDrillParent(
        {
          proxies: [{ name: "db", upstream: "127.0.0.1:9" }],
          faults: [{ proxy: "db", toxic: "latency", attributes: { latency: 2000 } }],
        },
        ledgerPath,
        toxiproxy.url,
      );
      const toxics = async () => (await api.proxy("db"))?.toxics.map((t) => t.name) ?? [];
      expect(await toxics()).toContain("firedrill.wd.0");
      child.kill("SIGKILL");
      const lag = await until(
        async () => !(await toxics()).includes("firedrill.wd.0"),
        "toxic removed",
        5000,
      );
      console.log(`watchdog: latency toxic removed ${Math.round(lag)}ms after kill -9`);
      expect(lag).toBeLessThan(2000);
      await until(async () => (await api.proxy("db")) === undefined, "created proxy removed", 5000);
      // it stays until a request the drill had in flight could have landed (5 s + 1 s)
      await until(() => !isAlive(watchdogPid), "watchdog exits", 10_000);
      expect(existsSync(ledgerPath)).toBe(false);
    } finally {
      await toxiproxy.close();
    }
  });

  it("removes the toxic of a kill -9'd drill that its parent never reaps (a zombie)", async () => {
    const toxiproxy = await startToxiproxy();
    try {
      const api = new ToxiproxyApi(toxiproxy.url);
      const ledgerPath = join(dir, "wd.ledger.json");
      const { drillPid } = await startDrillParent(
        {
          proxies: [{ name: "db", upstream: "127.0.0.1:9" }],
          faults: [{ proxy: "db", toxic: "latency", attributes: { latency: 2000 } }],
        },
        ledgerPath,
        toxiproxy.url,
        { unreaped: true },
      );
      const toxics = async () => (await api.proxy("db"))?.toxics.map((t) => t.name) ?? [];
      expect(await toxics()).toContain("firedrill.wd.0");
      process.kill(drillPid, "SIGKILL");
      const lag = await until(
        async () => !(await toxics()).includes("firedrill.wd.0"),
        "toxic removed although the drill is an unreaped zombie",
        5000,
      );
      console.log(
        `watchdog: toxic of an unreaped drill removed ${Math.round(lag)}ms after kill -9`,
      );
      expect(lag).toBeLessThan(2000);
      expect(isAlive(drillPid)).toBe(false);
    } finally {
      await toxiproxy.close();
    }
  });

  it("removes a toxic whose add request was still in flight when the drill was killed -9", async () => {
    const toxiproxy = await startToxiproxy();
    // the add-toxic lands 1.5 s after it was sent: well after the watchdog's first undo
    const slow = await startSlowApi(toxiproxy.url, /^POST \/proxies\/db\/toxics /, 1500);
    try {
      const api = new ToxiproxyApi(toxiproxy.url);
      await api.createProxy({
        name: "db",
        listen: "127.0.0.1:0",
        upstream: "127.0.0.1:9",
        enabled: true,
      });
      const ledgerPath = join(dir, "wd.ledger.json");
      const held = slow.nextHeld();
      const { drillPid, watchdogPid } = await startDrillParent(
        { faults: [{ proxy: "db", toxic: "latency", attributes: { latency: 2000 } }] },
        ledgerPath,
        slow.url,
        { until: "watchdog" },
      );
      await held;
      process.kill(drillPid, "SIGKILL");
      await until(() => slow.landed > 0, "the held add-toxic reaches Toxiproxy", 5000);
      const landedAt = performance.now();
      const toxics = async () => (await api.proxy("db"))?.toxics.map((t) => t.name) ?? [];
      await until(
        async () => !(await toxics()).includes("firedrill.wd.0"),
        "late toxic removed",
        8000,
      );
      const stayed = performance.now() - landedAt;
      console.log(
        `watchdog: a toxic that landed after the drill died stayed ${Math.round(stayed)}ms`,
      );
      await until(() => !isAlive(watchdogPid), "watchdog exits", 10_000);
      expect(await toxics()).toEqual([]);
      expect(existsSync(ledgerPath)).toBe(false);
      expect(readFileSync(`${ledgerPath}.watchdog.log`, "utf8")).toContain("reverted latency");
    } finally {
      await slow.close();
      await toxiproxy.close();
    }
  });
});
