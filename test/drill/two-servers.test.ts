import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createFaultBackend,
  isAlive,
  type LedgerFile,
  readLedger,
  ToxiproxyApi,
  writeLedger,
} from "../../src/faults/index.js";
import { Scenario } from "../../src/model/scenario.js";
import { type ProxyServer, startProxyServer } from "../../src/proxy/index.js";
import { type DepRig, firedrill, startDepRig, toxicsOf, until, writeDrill } from "./harness.js";

// A scenario spanning two Toxiproxy servers: `dep` (the service's dependency) on server A, the
// rig's; `cache` on server B, named by the scenario's `toxiproxy:` and created by the drill.
let dir: string;
let rig: DepRig;
let b: ProxyServer;
let bStopped: boolean;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "firedrill-two-servers-"));
  rig = await startDepRig();
  b = await startProxyServer({ host: "127.0.0.1", port: 0 });
  bStopped = false;
  const file = writeDrill(dir, {
    servicePort: rig.service.port,
    proxyPort: rig.proxyPort,
    depPort: rig.service.dep,
  });
  const scenario = JSON.parse(readFileSync(file, "utf8"));
  // `${CACHE_TOXIPROXY}`: the server's URL comes from the environment, as in staging
  scenario.proxies.push({
    name: "cache",
    upstream: `127.0.0.1:${rig.service.dep}`,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the scenario's own ${VAR} reference
    toxiproxy: "${CACHE_TOXIPROXY}",
  });
  scenario.faults.push({
    at: "300ms",
    proxy: "cache",
    toxic: "latency",
    attributes: { latency: 50 },
  });
  writeFileSync(file, JSON.stringify(scenario, null, 2));
  // the responder only waits: the drill runs until the test ends it
  writeFileSync(join(dir, "answers.yaml"), "actions:\n  - do: wait\n    at: 15s\n");
});

afterEach(async () => {
  await rig.stop();
  if (!bStopped) await b.stop();
  rmSync(dir, { recursive: true, force: true });
});

function startDrill() {
  const args = ["run", "svc-dep-latency", "--mode", "gameday", "--url", rig.proxy.url];
  args.push("--responder", "ci", "--script", join(dir, "answers.yaml"));
  return firedrill(args, dir, { CACHE_TOXIPROXY: b.url });
}

const drillToxics = async (url: string, proxy: string) =>
  (await toxicsOf(url, proxy)).map((t) => t.name).filter((n) => n.startsWith("firedrill."));

/** Names of the proxies on a server that firedrill made (claims and created proxies). */
async function firedrillProxies(url: string): Promise<string[]> {
  const proxies = await new ToxiproxyApi(url).proxies();
  return proxies
    .filter(
      (p) =>
        p.name.startsWith("firedrill-") ||
        p.toxics.some((t) => t.name.startsWith("firedrill-created.")),
    )
    .map((p) => p.name)
    .sort();
}

async function bothApplied(): Promise<void> {
  await until(
    async () =>
      (await drillToxics(rig.proxy.url, "dep")).length > 0 &&
      (await new ToxiproxyApi(b.url).proxy("cache")) !== undefined &&
      (await drillToxics(b.url, "cache")).length > 0,
    "the faults on both servers",
    20_000,
    20,
  );
}

function ledgerPaths(): string[] {
  const run = join(dir, ".firedrill", "run");
  if (!existsSync(run)) return [];
  return readdirSync(run)
    .filter((n) => n.endsWith(".ledger.json"))
    .map((n) => join(run, n));
}

describe("a scenario spanning two Toxiproxy servers", () => {
  it("applies on both, records both in the ledger, and reverts both when the drill ends", async () => {
    const run = startDrill();
    await bothApplied();
    const [path] = ledgerPaths();
    const ledger = readLedger(path ?? "") as LedgerFile;
    const urls = new Set(ledger.faults.map((f) => ("url" in f.revert ? f.revert.url : "")));
    expect(urls).toEqual(new Set([rig.proxy.url, b.url]));
    expect(ledger.createdProxies.map((p) => [p.url, p.name])).toContainEqual([b.url, "cache"]);
    // B holds this drill's claim on cache, A its claim on dep
    expect(await firedrillProxies(b.url)).toEqual(["cache", "firedrill-claim.cache"]);
    expect(await firedrillProxies(rig.proxy.url)).toEqual(["firedrill-claim.dep"]);

    run.child.kill("SIGTERM");
    const { code, stdout, stderr } = await run.done;
    expect(code, `${stdout}\n${stderr}`).toBe(143);
    expect(await drillToxics(rig.proxy.url, "dep")).toEqual([]);
    expect(await firedrillProxies(rig.proxy.url)).toEqual([]);
    expect(await firedrillProxies(b.url)).toEqual([]);
    expect(ledgerPaths()).toEqual([]);
  }, 60_000);

  it("is reverted on both servers by the watchdog after kill -9", async () => {
    const run = startDrill();
    await bothApplied();
    const [path] = ledgerPaths();
    const drillPid = run.child.pid ?? 0;
    run.child.kill("SIGKILL");
    await run.done;
    const took = await until(
      async () =>
        (await drillToxics(rig.proxy.url, "dep")).length === 0 &&
        (await firedrillProxies(rig.proxy.url)).length === 0 &&
        (await firedrillProxies(b.url)).length === 0,
      "the watchdog to revert both servers",
      20_000,
      50,
    );
    // the watchdog removes the ledger once a dead drill's requests can no longer land (~6 s)
    await until(() => !existsSync(path ?? ""), "the ledger removed", 20_000, 50);
    expect(isAlive(drillPid)).toBe(false);
    expect(took).toBeLessThan(20_000);
  }, 60_000);

  it("names the faults still applied on a server that stopped answering, and how to clean it (exit 3)", async () => {
    const run = startDrill();
    await bothApplied();
    await b.stop();
    bStopped = true;
    run.child.kill("SIGTERM");
    const { code, stdout, stderr } = await run.done;
    const said = `${stdout}\n${stderr}`;
    expect(code, said).toBe(3);
    expect(said).toContain(
      `NOT reverted, still applied: latency 50ms downstream on cache: cannot reach Toxiproxy at ${b.url}: connection refused`,
    );
    expect(said).toContain(`firedrill cleanup --url ${b.url}`);
    expect(said).not.toContain(`firedrill cleanup --url ${rig.proxy.url}`);
    // server A was reverted all the same
    expect(await drillToxics(rig.proxy.url, "dep")).toEqual([]);
    expect(await firedrillProxies(rig.proxy.url)).toEqual([]);
    // the ledger keeps what is on B, and only that
    const [path] = ledgerPaths();
    const ledger = readLedger(path ?? "") as LedgerFile;
    const left = [...ledger.faults.map((f) => f.revert), ...ledger.createdProxies];
    expect(left.length).toBeGreaterThan(0);
    for (const entry of left) expect("url" in entry && entry.url).toBe(b.url);
  }, 60_000);
});

describe("preflight of a scenario spanning two servers", () => {
  const auto = () => [
    "run",
    "svc-dep-latency",
    "--mode",
    "gameday",
    "--url",
    rig.proxy.url,
    "--responder",
    "ci",
    "--auto",
  ];

  it("refuses leftovers on the second server, naming it and its cleanup; nothing is applied", async () => {
    const api = new ToxiproxyApi(b.url);
    await api.createProxy({
      name: "queue",
      listen: "127.0.0.1:0",
      upstream: "127.0.0.1:9",
      enabled: true,
    });
    await api.addToxic("queue", {
      name: "firedrill.old.0",
      type: "noop",
      stream: "upstream",
      toxicity: 1,
      attributes: {},
    });
    const { code, stderr } = await firedrill(auto(), dir, { CACHE_TOXIPROXY: b.url }).done;
    expect(code, stderr).toBe(2);
    // only the refused check is shown: server A had nothing to say
    expect(stderr).not.toContain(rig.proxy.url);
    expect(stderr).toContain(
      `✗ leftovers: ${b.url}: 1 leftover firedrill toxic (firedrill.old.0 on queue); a drill may still be running: wait for it to end, or if none is, run \`firedrill cleanup --url ${b.url}\``,
    );
    expect(await drillToxics(rig.proxy.url, "dep")).toEqual([]);
    expect(await firedrillProxies(rig.proxy.url)).toEqual([]);
    expect(await firedrillProxies(b.url)).toEqual([]);
  }, 60_000);

  it("claims each proxy on its own server: a second drill is refused there, naming the server", async () => {
    const scenario = Scenario.parse({
      id: "s",
      title: "t",
      service: "svc",
      targets: { ttr: "5m" },
      briefing: "b",
      proxies: [{ name: "cache", upstream: "127.0.0.1:9", toxiproxy: b.url }],
      faults: [
        { proxy: "dep", toxic: "latency", attributes: { latency: 10 } },
        { proxy: "cache", toxic: "latency", attributes: { latency: 10 } },
      ],
    });
    const backend = (drillId: string) =>
      createFaultBackend({
        drillId,
        mode: "gameday",
        toxiproxyUrl: rig.proxy.url,
        ledgerPath: join(dir, `${drillId}.ledger.json`),
      });
    const first = backend("first");
    const prepared = await first.prepareProxies(scenario);
    expect(prepared.claimed).toEqual(["dep", `cache (${b.url})`]);
    expect(await firedrillProxies(b.url)).toEqual(["cache", "firedrill-claim.cache"]);
    // a second drill on the same scenario is refused; the claim it did get on A is given back
    const second = backend("second");
    await expect(second.prepareProxies(scenario)).rejects.toThrow(
      `drill first is drilling proxy dep on ${rig.proxy.url}`,
    );
    await second.dispose();
    // one whose only shared proxy is on B is refused on B
    const onlyB = Scenario.parse({ ...scenario, faults: [scenario.faults[1]] });
    const third = backend("third");
    await expect(third.prepareProxies(onlyB)).rejects.toThrow(
      `drill first is drilling proxy cache on ${b.url} (it holds firedrill-claim.cache)`,
    );
    await third.dispose();
    await first.dispose();
    expect(await firedrillProxies(rig.proxy.url)).toEqual([]);
    expect(await firedrillProxies(b.url)).toEqual([]);
  }, 60_000);

  it("refuses when the second server does not answer, naming it", async () => {
    await b.stop();
    bStopped = true;
    const { code, stderr } = await firedrill(auto(), dir, { CACHE_TOXIPROXY: b.url }).done;
    expect(code, stderr).toBe(2);
    expect(stderr).toContain(`✗ toxiproxy: cannot reach Toxiproxy at ${b.url}: connection refused`);
    expect(await drillToxics(rig.proxy.url, "dep")).toEqual([]);
    expect(await firedrillProxies(rig.proxy.url)).toEqual([]);
  }, 60_000);
});

describe("firedrill cleanup with a ledger naming two servers", () => {
  it("reverts on both, and removes what the dead drill left on the server --url does not name", async () => {
    // the team's own proxy on B, which the drill finds and leaves in place
    const queue = await new ToxiproxyApi(b.url).createProxy({
      name: "queue",
      listen: "127.0.0.1:0",
      upstream: "127.0.0.1:9",
      enabled: true,
    });
    const queueListen = queue.listen;
    const scenario = Scenario.parse({
      id: "s",
      title: "t",
      service: "svc",
      targets: { ttr: "5m" },
      briefing: "b",
      proxies: [
        { name: "cache", upstream: "127.0.0.1:9", toxiproxy: b.url },
        { name: "queue", listen: queueListen, upstream: "127.0.0.1:9", toxiproxy: b.url },
      ],
      faults: [
        { proxy: "dep", toxic: "latency", attributes: { latency: 10 } },
        { proxy: "cache", toxic: "timeout", attributes: { timeout: 100 } },
      ],
    });
    const ledgerDir = join(dir, ".firedrill", "run");
    const ledgerPath = join(ledgerDir, "dead.ledger.json");
    const dead = createFaultBackend({
      drillId: "dead",
      mode: "gameday",
      toxiproxyUrl: rig.proxy.url,
      ledgerPath,
    });
    await dead.prepare(scenario);
    for (const [index, fault] of scenario.faults.entries()) await dead.apply(index, fault);
    // a request of the dead drill that landed after its ledger entry was taken out: only a look
    // at server B finds it, and --url names A
    await new ToxiproxyApi(b.url).addToxic("queue", {
      name: "firedrill.dead.7",
      type: "noop",
      stream: "upstream",
      toxicity: 1,
      attributes: {},
    });
    const ledger = readLedger(ledgerPath) as LedgerFile;
    writeLedger(ledgerPath, { ...ledger, pid: 2 ** 22 + 12345 }); // above pid_max: never alive
    expect(await firedrillProxies(b.url)).toEqual([
      "cache",
      "firedrill-claim.cache",
      "firedrill-claim.queue",
    ]);

    const { code, stdout, stderr } = await firedrill(
      ["cleanup", "--url", rig.proxy.url, "--ledger-dir", ledgerDir],
      dir,
    ).done;
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    expect(stdout).toContain("reverted latency 10ms downstream on dep (drill dead");
    expect(stdout).toContain("reverted timeout after 100ms downstream on cache (drill dead");
    expect(stdout).toContain(`removed toxic firedrill.dead.7 (noop) from queue on ${b.url}`);
    expect(await drillToxics(b.url, "queue")).toEqual([]);
    expect(await drillToxics(rig.proxy.url, "dep")).toEqual([]);
    expect(await firedrillProxies(rig.proxy.url)).toEqual([]);
    expect(await firedrillProxies(b.url)).toEqual([]);
    expect(existsSync(ledgerPath)).toBe(false);
    await dead.dispose();
  }, 60_000);
});
