import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DemoShop, startDemoShop } from "../../src/demo/index.js";
import { addToxic, alive, health, healthBecomes, post, refuses, toxicNames } from "./helpers.js";

// Each sample scenario's fault, injected through the embedded fault proxy, must fail checkout's
// health; the runbook's mitigation must make it pass again while the fault stays on.
describe("demo shop under faults", () => {
  let shop: DemoShop;
  beforeEach(async () => {
    shop = await startDemoShop();
  });
  afterEach(async () => {
    await shop?.stop();
  });

  it("db latency fails health; failover to the replica fixes it with the toxic still on", async () => {
    const healthy = await health(shop.checkoutUrl);
    expect(healthy.status).toBe(200);
    await addToxic(shop.toxiproxyUrl, "checkout-db", {
      name: "slow-primary",
      type: "latency",
      attributes: { latency: 800, jitter: 200 },
    });
    await healthBecomes(shop.checkoutUrl, 503, 5000);
    const failing = await health(shop.checkoutUrl);
    expect(failing.body.reason).toContain("db: timed out after 300ms");

    expect((await post(`${shop.checkoutUrl}/admin/db/failover`)).status).toBe(200);
    await healthBecomes(shop.checkoutUrl, 200, 5000);
    expect(await toxicNames(shop.toxiproxyUrl, "checkout-db")).toEqual(["slow-primary"]);
    expect((await post(`${shop.checkoutUrl}/checkout`, { sku: 4 })).status).toBe(200);

    // The rollback step under a live fault puts the slow primary back in the path.
    await post(`${shop.checkoutUrl}/admin/db/failback`);
    await healthBecomes(shop.checkoutUrl, 503, 5000);
  });

  it("a black-holed payment provider fails health; the fallback queues charges instead", async () => {
    await addToxic(shop.toxiproxyUrl, "checkout-payments", {
      name: "black-hole",
      type: "timeout",
      stream: "upstream",
      attributes: { timeout: 0 },
    });
    await healthBecomes(shop.checkoutUrl, 503, 5000);
    expect((await health(shop.checkoutUrl)).body.reason).toMatch(
      /^payments: timed out after 300ms/,
    );

    await post(`${shop.checkoutUrl}/admin/payments/fallback?enabled=true`);
    await healthBecomes(shop.checkoutUrl, 200, 5000);
    expect((await post(`${shop.checkoutUrl}/checkout`)).json).toMatchObject({ payment: "queued" });
    expect(await toxicNames(shop.toxiproxyUrl, "checkout-payments")).toEqual(["black-hole"]);
  });

  it("cache connection resets fail health; bypassing the cache fixes it", async () => {
    await addToxic(shop.toxiproxyUrl, "checkout-cache", {
      name: "resets",
      type: "reset_peer",
      attributes: { timeout: 0 },
    });
    await healthBecomes(shop.checkoutUrl, 503, 5000);
    expect((await health(shop.checkoutUrl)).body.reason).toMatch(/^cache: /);
    expect((await post(`${shop.checkoutUrl}/checkout`)).status).toBe(503);

    await post(`${shop.checkoutUrl}/admin/cache/bypass?enabled=true`);
    await healthBecomes(shop.checkoutUrl, 200, 5000);
    expect((await post(`${shop.checkoutUrl}/checkout`)).status).toBe(200);
    expect(await toxicNames(shop.toxiproxyUrl, "checkout-cache")).toEqual(["resets"]);
  });

  it("a starved payments link makes receipts crawl and fails health; the fallback fixes it", async () => {
    const charge = async () => {
      const started = performance.now();
      const port = shop.env.FIREDRILL_PAYMENTS_PROXY_PORT;
      const response = await fetch(`http://127.0.0.1:${port}/charge`, {
        method: "POST",
        body: "{}",
      });
      const bytes = (await response.arrayBuffer()).byteLength;
      return { ms: performance.now() - started, bytes };
    };
    const fast = await charge();
    await addToxic(shop.toxiproxyUrl, "checkout-payments", {
      name: "backup-link",
      type: "bandwidth",
      attributes: { rate: 50 },
    });
    const slow = await charge();
    // ~100 KB at 50 KB/s is ~2 s; loopback without the toxic is milliseconds.
    expect(slow.bytes).toBeGreaterThan(90_000);
    expect(slow.ms).toBeGreaterThan(1500);
    expect(fast.ms).toBeLessThan(500);

    await healthBecomes(shop.checkoutUrl, 503, 5000);
    expect((await health(shop.checkoutUrl)).body.reason).toMatch(/^payments: timed out/);
    await post(`${shop.checkoutUrl}/admin/payments/fallback?enabled=true`);
    await healthBecomes(shop.checkoutUrl, 200, 5000);
  });

  it("stop closes the proxies and the proxy API too, and kills every child", async () => {
    const { services, ports, toxiproxyUrl } = shop;
    expect(ports).toContain(Number(shop.env.FIREDRILL_DB_PROXY_PORT));
    expect(ports).toContain(Number(new URL(toxiproxyUrl).port));
    expect(ports).toHaveLength(9);
    await shop.stop();
    for (const { pid } of services) expect(alive(pid), `pid ${pid}`).toBe(false);
    for (const port of ports) expect(await refuses(port), `port ${port}`).toBe(true);
  });
});
