import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createFaultBackend,
  findLeftovers,
  readLedger,
  ToxiproxyApi,
} from "../../src/faults/index.js";
import { Fault, Scenario, type ScenarioInput } from "../../src/model/scenario.js";
import { closedPort, type RunningToxiproxy, startToxiproxy } from "./toxiproxy-server.js";

let dir: string;
let toxiproxy: RunningToxiproxy;
let api: ToxiproxyApi;
let upstream: Server;
let upstreamAddress: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "firedrill-toxiproxy-"));
  toxiproxy = await startToxiproxy();
  api = new ToxiproxyApi(toxiproxy.url);
  upstream = createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const address = upstream.address();
  upstreamAddress = `127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

afterEach(async () => {
  await toxiproxy.close();
  await new Promise((resolve) => upstream.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function scenario(extra: Partial<ScenarioInput>): Scenario {
  return Scenario.parse({
    id: "s",
    title: "t",
    service: "svc",
    targets: { ttr: "5m" },
    briefing: "b",
    faults: [{ proxy: "db", toxic: "noop" }],
    ...extra,
  });
}

function backend(drillId = "d1") {
  return createFaultBackend({
    drillId,
    mode: "gameday",
    toxiproxyUrl: toxiproxy.url,
    ledgerPath: join(dir, `${drillId}.ledger.json`),
  });
}

const toxicNames = async (proxy: string) =>
  ((await api.proxy(proxy))?.toxics ?? []).map((t) => t.name).sort();

describe("toxiproxy backend", () => {
  it("creates missing proxies, names toxics firedrill.<id>.<n>, reverts newest first", async () => {
    await api.createProxy({
      name: "cache",
      listen: "127.0.0.1:0",
      upstream: upstreamAddress,
      enabled: true,
    });
    const s = scenario({
      proxies: [
        { name: "db", upstream: upstreamAddress },
        { name: "cache", upstream: upstreamAddress },
      ],
      faults: [
        { proxy: "db", toxic: "latency", attributes: { latency: 1500, jitter: 250 } },
        { proxy: "cache", toxic: "reset_peer", stream: "upstream", toxicity: 0.5 },
        { proxy: "db", toxic: "bandwidth", attributes: { rate: 10 } },
      ],
    });
    const faults = backend();
    await faults.prepare(s);
    expect((await api.proxy("db"))?.upstream).toBe(upstreamAddress);
    for (const [index, fault] of s.faults.entries()) await faults.apply(index, fault);

    const db = await api.proxy("db");
    const latency = db?.toxics.find((t) => t.name === "firedrill.d1.0");
    expect(latency).toMatchObject({
      type: "latency",
      stream: "downstream",
      toxicity: 1,
      attributes: { latency: 1500, jitter: 250 },
    });
    const cache = await api.proxy("cache");
    expect(cache?.toxics).toEqual([
      expect.objectContaining({
        name: "firedrill.d1.1",
        type: "reset_peer",
        stream: "upstream",
        toxicity: 0.5,
      }),
    ]);
    expect(await toxicNames("db")).toEqual([
      "firedrill-created.d1",
      "firedrill.d1.0",
      "firedrill.d1.2",
    ]);
    expect(readLedger(join(dir, "d1.ledger.json"))?.faults.map((f) => f.revert)).toEqual([
      { kind: "toxiproxy.removeToxic", url: toxiproxy.url, proxy: "db", toxic: "firedrill.d1.0" },
      {
        kind: "toxiproxy.removeToxic",
        url: toxiproxy.url,
        proxy: "cache",
        toxic: "firedrill.d1.1",
      },
      { kind: "toxiproxy.removeToxic", url: toxiproxy.url, proxy: "db", toxic: "firedrill.d1.2" },
    ]);

    const report = await faults.revertAll("drill ended");
    expect(report.failed).toEqual([]);
    expect(report.reverted.map((f) => f.index)).toEqual([2, 1, 0]);
    expect(await toxicNames("db")).toEqual(["firedrill-created.d1"]);
    expect(await toxicNames("cache")).toEqual([]);

    await faults.dispose();
    expect(await api.proxy("db")).toBeUndefined();
    expect(await api.proxy("cache")).toBeDefined();
  });

  it("takes a proxy down and brings it back", async () => {
    const s = scenario({
      proxies: [{ name: "db", upstream: upstreamAddress }],
      faults: [{ proxy: "db", down: true }],
    });
    const faults = backend();
    await faults.prepare(s);
    await faults.apply(0, s.faults[0]!);
    expect((await api.proxy("db"))?.enabled).toBe(false);
    await faults.revert(0, "mitigated");
    expect((await api.proxy("db"))?.enabled).toBe(true);
    await faults.revert(0, "again");
    await faults.dispose();
  });

  it("passes on the server's reason and the URL when Toxiproxy refuses", async () => {
    await api.createProxy({
      name: "db",
      listen: "127.0.0.1:0",
      upstream: upstreamAddress,
      enabled: true,
    });
    await api.addToxic("db", {
      name: "firedrill.d1.0",
      type: "latency",
      stream: "downstream",
      toxicity: 1,
      attributes: { latency: 5 },
    });
    const faults = backend();
    const fault = Fault.parse({ proxy: "db", toxic: "latency", attributes: { latency: 100 } });
    await expect(faults.apply(0, fault)).rejects.toThrow(
      `cannot apply latency 100ms downstream on db: Toxiproxy at ${toxiproxy.url} refused: toxic already exists (409)`,
    );
    const missing = Fault.parse({ proxy: "nope", toxic: "latency" });
    await expect(faults.apply(1, missing)).rejects.toThrow(
      `Toxiproxy at ${toxiproxy.url} refused: proxy not found (404)`,
    );
    expect(faults.ledger()).toEqual([]);
    await faults.dispose();
  });

  it("says it cannot reach Toxiproxy, and where it tried", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const faults = createFaultBackend({
      drillId: "d1",
      mode: "gameday",
      toxiproxyUrl: url,
      ledgerPath: join(dir, "down.ledger.json"),
    });
    await expect(
      faults.prepare(scenario({ proxies: [{ name: "db", upstream: upstreamAddress }] })),
    ).rejects.toThrow(`cannot reach Toxiproxy at ${url}: connection refused`);
    await faults.dispose();
  });

  it("gives up on a Toxiproxy that accepts and never answers, within the request bound", async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const address = silent.address();
    const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    try {
      const started = Date.now();
      await expect(new ToxiproxyApi(url).removeToxic("db", "firedrill.d1.0")).rejects.toThrow(
        `cannot reach Toxiproxy at ${url}: no answer within 5s`,
      );
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(4900);
      expect(took).toBeLessThan(15_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  }, 30_000);

  it("backs out a toxic that would stack on another drill's, and fails the apply naming it", async () => {
    await api.createProxy({
      name: "db",
      listen: "127.0.0.1:0",
      upstream: upstreamAddress,
      enabled: true,
    });
    const latency = Fault.parse({ proxy: "db", toxic: "latency", attributes: { latency: 100 } });
    // a drill that never claimed db (an older firedrill, or its claim was cleaned up)
    const first = backend("first");
    await first.apply(0, latency);
    const second = backend("second");
    await expect(second.apply(0, latency)).rejects.toThrow(
      "drill first has a fault on db too (firedrill.first.0); backed out so the two do not stack",
    );
    expect(await toxicNames("db")).toEqual(["firedrill.first.0"]);
    expect(second.ledger()).toEqual([]);
    await second.dispose();
    await first.dispose();
  });

  it("finds other drills' leftovers but not its own", async () => {
    const s = scenario({
      proxies: [{ name: "db", upstream: upstreamAddress }],
      faults: [{ proxy: "db", toxic: "latency", attributes: { latency: 10 } }],
    });
    const old = backend("old");
    await old.prepare(s);
    await old.apply(0, s.faults[0]!);
    const leftovers = await findLeftovers(toxiproxy.url);
    expect(leftovers.proxies).toEqual([
      { proxy: "db", listen: expect.any(String), upstream: upstreamAddress, drillId: "old" },
      // the old drill's claim on db: a disabled proxy that only holds the name
      {
        proxy: "firedrill-claim.db",
        listen: expect.any(String),
        upstream: expect.any(String),
        drillId: "old",
      },
    ]);
    expect((await findLeftovers(toxiproxy.url, "old")).toxics).toEqual([]);

    await api.createProxy({
      name: "web",
      listen: "127.0.0.1:0",
      upstream: upstreamAddress,
      enabled: true,
    });
    const other = backend("other");
    await other.apply(0, Fault.parse({ proxy: "web", toxic: "timeout" }));
    expect((await findLeftovers(toxiproxy.url)).toxics).toEqual([
      { proxy: "web", toxic: "firedrill.other.0", type: "timeout", drillId: "other" },
    ]);
    await other.dispose();
    await old.dispose();
    expect(await findLeftovers(toxiproxy.url)).toEqual({
      url: toxiproxy.url,
      toxics: [],
      proxies: [],
    });
  });
});
