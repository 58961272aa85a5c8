import { afterEach, describe, expect, it } from "vitest";
import { type DemoShop, startDemoShop } from "../../src/demo/index.js";
import { alive, health, post, refuses } from "./helpers.js";

// The shop without fault proxies: the services, their processes and their clean shutdown.
describe("demo shop, direct connections", () => {
  let shop: DemoShop | undefined;
  afterEach(async () => {
    await shop?.stop();
    shop = undefined;
  });

  it("starts healthy, serves a checkout, and stop leaves no process or port behind", async () => {
    const parentEnv = { ...process.env };
    shop = await startDemoShop({ faultProxy: false });
    expect(shop.services.map((s) => s.name).sort()).toEqual(
      ["cache", "checkout", "db", "db-replica", "payments"].sort(),
    );
    expect((await health(shop.checkoutUrl)).status).toBe(200);
    // The ports are handed out in shop.env; the parent's environment is left as it was.
    expect(shop.env.FIREDRILL_CHECKOUT_PORT).toMatch(/^\d+$/);
    expect(process.env).toEqual(parentEnv);

    const order = await post(`${shop.checkoutUrl}/checkout`, { sku: 2, quantity: 3 });
    expect(order.status).toBe(200);
    expect(order.json).toMatchObject({ payment: "charged", amountCents: 3 * 550 });

    const { pids, ports } = { pids: shop.services.map((s) => s.pid), ports: shop.ports };
    await shop.stop();
    shop = undefined;
    for (const pid of pids) expect(alive(pid), `pid ${pid}`).toBe(false);
    for (const port of ports) expect(await refuses(port), `port ${port}`).toBe(true);
    expect(process.env).toEqual(parentEnv);
  });

  it("admin levers change modes and queue payments under the fallback", async () => {
    shop = await startDemoShop({ faultProxy: false });
    const url = shop.checkoutUrl;
    expect((await post(`${url}/admin/db/failover`)).json).toMatchObject({
      modes: { db: "replica" },
    });
    expect((await post(`${url}/admin/payments/fallback?enabled=true`)).status).toBe(200);
    expect((await post(`${url}/admin/cache/bypass?enabled=true`)).status).toBe(200);
    expect((await post(`${url}/admin/db/pool?size=8`)).json).toMatchObject({ pool: { size: 8 } });
    expect((await post(`${url}/admin/db/pool?size=zero`)).status).toBe(400);
    expect((await post(`${url}/checkout`, { sku: 1 })).json).toMatchObject({ payment: "queued" });

    const status = (await (await fetch(`${url}/admin/status`)).json()) as Record<string, unknown>;
    expect(status).toMatchObject({
      modes: { db: "replica", paymentsFallback: true, cacheBypass: true },
      queuedPayments: 1,
      pool: { size: 8 },
    });
    expect((await health(url)).status).toBe(200);

    await shop.reset();
    const reset = (await (await fetch(`${url}/admin/status`)).json()) as Record<string, unknown>;
    expect(reset).toMatchObject({
      modes: { db: "primary", paymentsFallback: false, cacheBypass: false },
      pool: { size: 4 },
    });
    await expect
      .poll(
        async () =>
          ((await (await fetch(`${url}/admin/status`)).json()) as { queuedPayments: number })
            .queuedPayments,
      )
      .toBe(0);
  });

  it("children exit on their own when the launcher dies without cleanup", async () => {
    const { spawn } = await import("node:child_process");
    const script = [
      "const { startDemoShop } = await import(process.argv[1]);",
      "const shop = await startDemoShop({ faultProxy: false });",
      "console.log(JSON.stringify(shop.services.map((s) => s.pid)));",
    ].join("\n");
    const launcher = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--input-type=module",
        "-e",
        script,
        new URL("../../src/demo/index.ts", import.meta.url).pathname,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    const pids = await new Promise<number[]>((resolve, reject) => {
      launcher.stdout.once("data", (chunk: Buffer) =>
        resolve(JSON.parse(chunk.toString()) as number[]),
      );
      launcher.once("exit", (code) => reject(new Error(`launcher exited ${code}`)));
    });
    expect(pids).toHaveLength(5);
    launcher.kill("SIGKILL");
    await expect.poll(() => pids.filter(alive), { timeout: 5000, interval: 100 }).toEqual([]);
  });
});
