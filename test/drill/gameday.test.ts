import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readJournal } from "../../src/drill/journal.js";
import { checkBeforeDrill, launchDrill } from "../../src/drill/launch.js";
import { Runbook } from "../../src/model/runbook.js";
import { Scenario } from "../../src/model/scenario.js";
import type { ProxyServer } from "../../src/proxy/index.js";
import { firedrill, type Service, startDepRig, toxicsOf, until, writeDrill } from "./harness.js";

let dir: string;
let proxy: ProxyServer;
let service: Service;
let proxyPort: number;
let scenarioFile: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "firedrill-gameday-"));
  ({ proxy, proxyPort, service } = await startDepRig());
  scenarioFile = writeDrill(dir, { servicePort: service.port, proxyPort, depPort: service.dep });
});

afterEach(async () => {
  await service.stop();
  await proxy.stop();
  rmSync(dir, { recursive: true, force: true });
});

function journals(): string[] {
  const drills = join(dir, ".firedrill", "drills");
  return readdirSync(drills).map((name) => join(drills, name));
}

const gameday = (...extra: string[]) => [
  "run",
  "svc-dep-latency",
  "--mode",
  "gameday",
  "--url",
  "URL",
  "--responder",
  "ci",
  ...extra,
];

function args(list: string[]): string[] {
  return list.map((a) => (a === "URL" ? proxy.url : a));
}

describe("gameday drill over real TCP (firedrill run)", () => {
  it("--auto really fixes the service: fault on time, recovery detected, journal complete", async () => {
    const run = firedrill(args(gameday("--auto")), dir);
    const { code, stdout, stderr } = await run.done;
    expect(stderr).not.toContain("internal error");
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    expect(stdout).toContain("RECOVERED (probe health)");
    expect(stdout).toMatch(/outcome: recovered within target/);

    const [file] = journals();
    const journal = readJournal(file ?? "");
    expect(journal.header).toMatchObject({
      mode: "gameday",
      responder: "ci",
      scenario: { id: "svc-dep-latency", owner: "team-svc" },
    });
    const applied = journal.events.find((e) => e.event.type === "fault.applied");
    // The engine starts the apply on time (within 50 ms of `at`); the backend's write-ahead ledger
    // (two fsyncs) and the API call come on top, which a loaded 2-core machine can stretch.
    expect(applied?.event).toMatchObject({ applyStartedT: expect.any(Number) });
    const began =
      applied?.event.type === "fault.applied" ? (applied.event.applyStartedT ?? -1) : -1;
    // libuv measures timers on its cached millisecond loop clock, so a timer can look up to ~1 ms
    // early against the drill's high-resolution clock (seen on CI: 499).
    expect(began).toBeGreaterThanOrEqual(498);
    expect(began).toBeLessThanOrEqual(550);
    expect(applied?.t).toBeGreaterThanOrEqual(began);
    expect(applied?.t).toBeLessThanOrEqual(750);
    const kinds = journal.events.map((e) => e.event.type);
    for (const kind of [
      "acknowledged",
      "procedure.selected",
      "command.ran",
      "recovered",
      "fault.reverted",
    ]) {
      expect(kinds).toContain(kind);
    }
    // The failover's command is journaled as it ended, even when the probe saw recovery before
    // the process exited (then --auto had no moment left to declare mitigation).
    const failover = journal.events.find(
      (e) => e.event.type === "command.ran" && e.event.step === "failover",
    );
    expect(failover?.event).toMatchObject({ exitCode: 0 });
    if (kinds.includes("mitigated"))
      expect(kinds.indexOf("mitigated")).toBeLessThan(kinds.indexOf("recovered"));
    const failed = journal.events.find((e) => e.event.type === "probe.result" && !e.event.ok);
    expect(failed?.t).toBeGreaterThan(applied?.t ?? 0);
    expect(journal.summary).toMatchObject({ outcome: "recovered", withinTarget: true });
    expect(journal.summary?.timings.ttr).toBeGreaterThan(0);
    // Nothing left behind: no toxic, no ledger.
    expect(await toxicsOf(proxy.url, "dep")).toEqual([]);
    expect(readdirSync(join(dir, ".firedrill", "run")).filter((n) => n.endsWith(".json"))).toEqual(
      [],
    );
  });

  it("prints JSON Lines with --json: events, then one summary", async () => {
    const { code, stdout } = await firedrill(args(gameday("--auto", "--json")), dir).done;
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string });
    expect(lines.at(0)).toMatchObject({ type: "event", t: 0, event: { type: "drill.started" } });
    expect(lines.at(-1)).toMatchObject({
      type: "summary",
      outcome: "recovered",
      withinTarget: true,
      grade: expect.any(String),
    });
    expect(lines.filter((l) => l.type === "summary")).toHaveLength(1);
  });

  it("exits 1 and reverts when the runbook's action does not fix anything", async () => {
    writeDrill(dir, {
      servicePort: service.port,
      proxyPort,
      depPort: service.dep,
      failover: [process.execPath, "-e", "process.exit(3)"],
    });
    const { code, stdout } = await firedrill(args(gameday("--auto")), dir).done;
    expect(code).toBe(1);
    expect(stdout).toContain("ABORTED by ci: --auto: step failover failed (exit 3)");
    expect(await toxicsOf(proxy.url, "dep")).toEqual([]);
  });

  it("reverts everything when the script aborts", async () => {
    const script = join(dir, "answers.yaml");
    writeFileSync(script, "actions:\n  - do: abort\n    at: 1s\n    reason: pager went off\n");
    const { code, stdout } = await firedrill(args(gameday("--script", script)), dir).done;
    expect(code).toBe(1);
    expect(stdout).toContain("ABORTED by ci: pager went off");
    expect(await toxicsOf(proxy.url, "dep")).toEqual([]);
    const journal = readJournal(journals()[0] ?? "");
    expect(journal.summary?.outcome).toBe("aborted");
    expect(journal.events.at(-1)?.event.type).toBe("fault.reverted");
  });

  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
    ["SIGHUP", 129],
  ] as const)("reverts every fault on %s and exits %i, as the TUI does", async (signal, exit) => {
    const script = join(dir, "answers.yaml");
    writeFileSync(script, "actions:\n  - do: wait\n    at: 15s\n");
    const run = firedrill(args(gameday("--script", script)), dir);
    await until(async () => (await toxicsOf(proxy.url, "dep")).length > 0, "the toxic", 10_000, 10);
    run.child.kill(signal);
    const { code, stderr } = await run.done;
    expect(code).toBe(exit);
    expect(stderr).toContain(`${signal}: ending the drill`);
    expect(await toxicsOf(proxy.url, "dep")).toEqual([]);
    const journal = readJournal(journals()[0] ?? "");
    expect(journal.summary?.outcome).toBe("aborted");
    const aborted = journal.events.find((e) => e.event.type === "aborted")?.event;
    expect(aborted).toMatchObject({ reason: `interrupted (${signal})` });
  });

  it("refuses a host outside the allow-list, applying nothing (exit 2)", async () => {
    const elsewhere = args(gameday("--auto")).map((a) =>
      a === proxy.url ? "http://10.9.8.7:8474" : a,
    );
    const { code, stderr } = await firedrill(elsewhere, dir).done;
    expect(code).toBe(2);
    expect(stderr).toContain("preflight refused the drill; nothing was applied");
    expect(stderr).toMatch(
      /✗ allow-list: toxiproxyUrl: 10\.9\.8\.7 is not in the config's allowHosts/,
    );
    expect(await toxicsOf(proxy.url, "dep")).toEqual([]);
    expect(() => journals()).toThrow();
  });

  it("refuses a working directory it cannot write in: exit 2, the directory named, nothing applied", async () => {
    // Root ignores file modes: a regular file where .firedrill should be stops mkdir all the same.
    writeFileSync(join(dir, ".firedrill"), "not a directory\n");
    const { code, stderr } = await firedrill(args(gameday("--auto")), dir).done;
    expect(code, stderr).toBe(2);
    expect(stderr).toContain(`cannot write the drill's files in ${join(dir, ".firedrill", "run")}`);
    expect(stderr).toContain("nothing was applied");
    expect(stderr).not.toContain("internal error");
    expect(await toxicsOf(proxy.url, "dep")).toEqual([]);
  });

  it("refuses when preflight finds the service unhealthy (exit 2)", async () => {
    await service.stop();
    const { code, stderr } = await firedrill(args(gameday("--auto")), dir).done;
    expect(code).toBe(2);
    expect(stderr).toMatch(/✗ probe health:/);
    expect(await toxicsOf(proxy.url, "dep")).toEqual([]);
  });

  it("needs a terminal without --auto or --script (exit 2)", async () => {
    const { code, stderr } = await firedrill(["run", "svc-dep-latency"], dir).done;
    expect(code).toBe(2);
    expect(stderr).toContain("needs a terminal");
  });

  it("reverts every fault when something throws inside the drill (in-process)", async () => {
    const plan = {
      scenario: Scenario.parse(JSON.parse(readFileSync(scenarioFile, "utf8"))),
      runbook: Runbook.parse(JSON.parse(readFileSync(join(dir, "runbooks", "svc.yaml"), "utf8"))),
      mode: "gameday" as const,
      responder: "t",
      journalDir: ".firedrill/drills",
      toxiproxyUrl: proxy.url,
      allowHosts: ["127.0.0.1"],
      productionPatterns: ["prod"],
      cwd: dir,
      firedrillVersion: "test",
    };
    const { drillId, session } = launchDrill(plan);
    expect((await checkBeforeDrill(plan, drillId)).ok).toBe(true);
    session.onEvent((e) => {
      if (e.event.type === "probe.result" && !e.event.ok) throw new Error("boom in a view");
    });
    await session.start();
    await until(async () => (await toxicsOf(proxy.url, "dep")).length > 0, "the toxic", 5000, 10);
    const state = await session.finished;
    expect(state.phase).toBe("aborted");
    expect(session.getSnapshot().error).toBe("boom in a view");
    expect(await toxicsOf(proxy.url, "dep")).toEqual([]);
  });
});
