import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ToxiproxyApi } from "../../src/faults/index.js";
import { type ProxyServer, startProxyServer } from "../../src/proxy/index.js";
import {
  createProxy,
  firedrill,
  freePort,
  type Service,
  startService,
  writeDrill,
} from "../drill/harness.js";

// `firedrill run` end to end, about how a gameday drill starts: what the preflight sets up.
let dir: string;
let proxy: ProxyServer;
let service: Service;
let proxyPort: number;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "firedrill-start-"));
  proxy = await startProxyServer({ host: "127.0.0.1", port: 0 });
  proxyPort = await freePort();
  service = await startService(proxyPort);
  writeDrill(dir, {
    servicePort: service.port,
    proxyPort,
    depPort: service.dep,
    maxDuration: "10s",
  });
});

afterEach(async () => {
  await service.stop();
  await proxy.stop();
  rmSync(dir, { recursive: true, force: true });
});

const run = () =>
  firedrill(
    [
      "run",
      "svc-dep-latency",
      "--mode",
      "gameday",
      "--auto",
      "--url",
      proxy.url,
      "--responder",
      "ci",
    ],
    dir,
  );

describe("starting a gameday drill", () => {
  it("creates the declared proxy before the steady-state probe goes through it, and removes it after", async () => {
    // nothing on Toxiproxy yet: the service's dependency is only reachable once `dep` exists
    const { code, stdout, stderr } = await run().done;
    expect(stderr).not.toContain("preflight refused");
    expect(stdout).toMatch(/✓ proxies: created dep \(127\.0\.0\.1:\d+ → 127\.0\.0\.1:\d+\)/);
    expect(stdout).toContain("✓ probe health");
    expect([0, 1], `${stdout}\n${stderr}`).toContain(code);
    // only what the drill created goes: the proxy and its claim
    expect(await new ToxiproxyApi(proxy.url).proxies()).toEqual([]);
    // --auto re-checks steady state for up to 30 s after the drill; here the service's path runs
    // through the proxy the drill created and removed again, so that check waits its whole window.
  }, 60_000);

  it("lets one of two drills of the same scenario started together run; the other refuses, naming it", async () => {
    await createProxy(proxy.url, "dep", `127.0.0.1:${proxyPort}`, `127.0.0.1:${service.dep}`);
    const api = new ToxiproxyApi(proxy.url);
    let most = 0;
    let watching = true;
    const watch = (async () => {
      while (watching) {
        const toxics = (await api.proxy("dep"))?.toxics ?? [];
        most = Math.max(most, toxics.filter((t) => t.name.startsWith("firedrill.")).length);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const results = await Promise.all([run().done, run().done]);
    watching = false;
    await watch;
    const said = results.map((r) => `${r.stdout}\n${r.stderr}`).join("\n---\n");
    // one is refused for the other; the other runs (on a loaded machine its own steady-state
    // probe may fail, a refusal too, but never one naming a drill)
    const named = results.flatMap((r) => {
      const match = /drill ([0-9a-f]+) (?:holds|is drilling) proxy dep/.exec(r.stderr);
      return match && r.code === 2 && r.stderr.includes("nothing was applied") ? [match[1]] : [];
    });
    // The race is only raced when both got as far as the claim: a drill whose own steady-state
    // probe failed first (a loaded machine) released its claim before the other looked.
    const probeFailed = results.some((r) => r.code === 2 && /✗ probe /.test(r.stderr));
    if (probeFailed) console.log(`two drills: one refused on its own probe, not raced:\n${said}`);
    expect(named.length, said).toBe(probeFailed ? Math.min(named.length, 1) : 1);
    const drills = join(dir, ".firedrill", "drills");
    const journals = existsSync(drills) ? readdirSync(drills) : [];
    const winner = journals.map((name) => /_([0-9a-f]+)\.jsonl$/.exec(name)?.[1]).find(Boolean);
    if (winner) expect(named[0]).toBe(winner);
    else console.log(`two drills: the one not refused for the other stopped itself:\n${said}`);
    expect(most).toBeLessThanOrEqual(1);
    expect((await api.proxy("dep"))?.toxics).toEqual([]);
    expect((await api.proxies()).map((p) => p.name)).toEqual(["dep"]);
  });
});
