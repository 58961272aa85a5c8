import { messageOf } from "../model/message.js";
import { startProxyServer } from "../proxy/index.js";
import { createProxy, deleteProxy, portOf } from "./demo-proxies.js";
import { type ServiceProcess, startServiceProcess } from "./service-process.js";

/** The proxies the sample scenarios put faults on, and the service behind each. */
export const DEMO_PROXIES = [
  { name: "checkout-db", upstream: "db", listenVar: "FIREDRILL_DB_PROXY_PORT" },
  { name: "checkout-cache", upstream: "cache", listenVar: "FIREDRILL_CACHE_PROXY_PORT" },
  { name: "checkout-payments", upstream: "payments", listenVar: "FIREDRILL_PAYMENTS_PROXY_PORT" },
] as const;

/** Environment variables the sample scenarios and runbooks interpolate (`${VAR:-default}`). */
export const DEMO_ENV_VARS = [
  "FIREDRILL_CHECKOUT_PORT",
  "FIREDRILL_DB_PORT",
  "FIREDRILL_DB_REPLICA_PORT",
  "FIREDRILL_DB_PROXY_PORT",
  "FIREDRILL_CACHE_PORT",
  "FIREDRILL_CACHE_PROXY_PORT",
  "FIREDRILL_PAYMENTS_PORT",
  "FIREDRILL_PAYMENTS_PROXY_PORT",
  "TOXIPROXY_URL",
] as const;

/** A Toxiproxy-compatible server the launcher owns: started with the shop, stopped with it. */
export interface FaultProxyServer {
  url: string;
  stop(): Promise<void>;
}

/** One step of the shop's start-up, for a progress display: each service, the fault proxy, health. */
export interface ShopProgress {
  /** "db", "db-replica", "cache", "payments", "fault proxy", "checkout", "health" */
  name: string;
  /** e.g. "127.0.0.1:41233" or "3 proxies" */
  detail: string;
  /** since startDemoShop was called */
  ms: number;
}

export interface DemoShopOptions {
  log?: (line: string) => void;
  /** called once per step as it becomes ready (services may finish in any order) */
  onProgress?: (step: ShopProgress) => void;
  /**
   * Where the fault proxies live: a function starting a Toxiproxy-compatible server the shop owns
   * (the default: the embedded proxy), the URL of one already running (its three proxies are
   * replaced, and deleted again by stop), or `false` for none: checkout then talks to its
   * dependencies directly and no fault can be injected.
   */
  faultProxy?: (() => Promise<FaultProxyServer>) | string | false;
  /** db connections checkout keeps (default 4) */
  poolSize?: number;
  /** per-dependency deadline of checkout's /health (default 300 ms) */
  healthTimeoutMs?: number;
  /** size of a payment receipt (default 100 KB) */
  receiptBytes?: number;
  /** how long start-up may take, health included (default 20 s) */
  readyTimeoutMs?: number;
  /** path of demo-service.js; default: found beside the bundle or in dist/ */
  serviceEntry?: string;
}

export interface DemoShop {
  /**
   * FIREDRILL_*_PORT and TOXIPROXY_URL for the scenarios, runbooks and probes. Never written into
   * process.env: pass it to whatever loads the samples or runs a drill (workspace, plan, child).
   */
  env: Record<string, string>;
  /** the Toxiproxy API holding checkout-db, checkout-cache and checkout-payments; "" without one */
  toxiproxyUrl: string;
  checkoutUrl: string;
  services: readonly { name: string; pid: number; port: number }[];
  /** every port the shop listens on (services, proxies, the proxy API) */
  ports: readonly number[];
  /**
   * Undoes every mitigation (db back on the primary, payments fallback and cache bypass off, pool
   * size as started) and waits until /health is 200; for running drills one after another.
   */
  reset(timeoutMs?: number): Promise<void>;
  /** kills every child and closes every listener; safe to call twice */
  stop(): Promise<void>;
}

/** The default: firedrill's own Toxiproxy-compatible proxy, in this process, on a free port. */
function embeddedFaultProxy(): Promise<FaultProxyServer> {
  return startProxyServer({ host: "127.0.0.1", port: 0 });
}

async function waitHealthy(url: string, deadline: number): Promise<void> {
  let last = "no answer";
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
      const body = await response.text();
      if (response.status === 200) return;
      last = `${response.status} ${body.trim()}`;
    } catch (error) {
      last = messageOf(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`checkout not healthy in time (last: ${last})`);
}

/**
 * Starts the demo shop: db primary and replica, cache, payments and checkout as child processes
 * on free loopback ports, with checkout reaching db, cache and payments through three fault
 * proxies. Resolves once checkout's /health answers 200.
 */
export async function startDemoShop(options: DemoShopOptions = {}): Promise<DemoShop> {
  const log = options.log ?? (() => {});
  const began = performance.now();
  const progress = (name: string, detail: string) =>
    options.onProgress?.({ name, detail, ms: performance.now() - began });
  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
  const remaining = () => Math.max(1000, deadline - Date.now());
  const children: ServiceProcess[] = [];
  let ownProxy: FaultProxyServer | undefined;
  let toxiproxyUrl = "";
  const createdProxies: string[] = [];
  let stopped: Promise<void> | undefined;

  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      // Checkout first, so it does not log its dependencies vanishing.
      const isCheckout = (child: ServiceProcess) => child.name === "checkout";
      await Promise.all(children.filter(isCheckout).map((child) => child.stop()));
      await Promise.all(children.filter((child) => !isCheckout(child)).map((c) => c.stop()));
      if (!ownProxy && toxiproxyUrl) {
        await Promise.all(
          createdProxies.map((name) => deleteProxy(toxiproxyUrl, name).catch(() => {})),
        );
      }
      await ownProxy?.stop();
      log("demo shop stopped");
    })();
    return stopped;
  };

  try {
    const start = (
      kind: "db" | "cache" | "payments" | "checkout",
      name: string,
      args: string[] = [],
    ) =>
      startServiceProcess({
        kind,
        name,
        args,
        entry: options.serviceEntry,
        log,
        readyTimeoutMs: remaining(),
      }).then((child) => {
        children.push(child);
        progress(name, `127.0.0.1:${child.port}`);
        return child;
      });

    const receipt = options.receiptBytes ? ["--receipt-bytes", String(options.receiptBytes)] : [];
    // allSettled: a sibling that fails must not leave the others starting unobserved.
    const started = await Promise.allSettled([
      start("db", "db"),
      start("db", "db-replica"),
      start("cache", "cache"),
      start("payments", "payments", receipt),
    ]);
    const failed = started.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
    const [db, replica, cache, payments] = started.map(
      (result) => (result as PromiseFulfilledResult<ServiceProcess>).value,
    );
    const upstreams = { db: db!, cache: cache!, payments: payments! };

    const faultProxy = options.faultProxy ?? embeddedFaultProxy;
    if (typeof faultProxy === "function") {
      ownProxy = await faultProxy();
      toxiproxyUrl = ownProxy.url;
    } else if (typeof faultProxy === "string") {
      toxiproxyUrl = faultProxy;
    }
    const via: Record<string, number> = {};
    for (const spec of DEMO_PROXIES) {
      const upstream = upstreams[spec.upstream];
      if (!toxiproxyUrl) {
        via[spec.upstream] = upstream.port;
        continue;
      }
      const proxy = await createProxy(toxiproxyUrl, {
        name: spec.name,
        listen: "127.0.0.1:0",
        upstream: `127.0.0.1:${upstream.port}`,
      });
      createdProxies.push(spec.name);
      via[spec.upstream] = portOf(proxy.listen);
      log(`proxy ${spec.name} ${proxy.listen} → ${proxy.upstream}`);
    }
    if (toxiproxyUrl) {
      const listed = DEMO_PROXIES.map((p) => `${p.name} :${via[p.upstream]}`).join(", ");
      progress("fault proxy", `${toxiproxyUrl} · ${listed}`);
    }

    const checkout = await start("checkout", "checkout", [
      "--db",
      `127.0.0.1:${via.db}`,
      "--replica",
      `127.0.0.1:${replica!.port}`,
      "--cache",
      `127.0.0.1:${via.cache}`,
      "--payments",
      `127.0.0.1:${via.payments}`,
      ...(options.poolSize ? ["--pool-size", String(options.poolSize)] : []),
      ...(options.healthTimeoutMs ? ["--health-timeout", String(options.healthTimeoutMs)] : []),
    ]);
    const checkoutUrl = `http://127.0.0.1:${checkout.port}`;

    const env: Record<string, string> = {
      FIREDRILL_CHECKOUT_PORT: String(checkout.port),
      FIREDRILL_DB_PORT: String(db!.port),
      FIREDRILL_DB_REPLICA_PORT: String(replica!.port),
      FIREDRILL_DB_PROXY_PORT: String(via.db),
      FIREDRILL_CACHE_PORT: String(cache!.port),
      FIREDRILL_CACHE_PROXY_PORT: String(via.cache),
      FIREDRILL_PAYMENTS_PORT: String(payments!.port),
      FIREDRILL_PAYMENTS_PROXY_PORT: String(via.payments),
    };
    if (toxiproxyUrl) env.TOXIPROXY_URL = toxiproxyUrl;

    await waitHealthy(checkoutUrl, deadline);
    progress("health", `${checkoutUrl}/health 200`);
    const ports = [
      ...children.map((child) => child.port),
      ...(toxiproxyUrl ? [via.db!, via.cache!, via.payments!] : []),
      ...(ownProxy ? [portOf(new URL(ownProxy.url).host)] : []),
    ];
    log(`demo shop ready: checkout ${checkoutUrl}`);
    return {
      env,
      toxiproxyUrl,
      checkoutUrl,
      services: children.map(({ name, pid, port }) => ({ name, pid, port })),
      ports,
      reset: async (timeoutMs = 10_000) => {
        const response = await fetch(`${checkoutUrl}/admin/reset`, {
          method: "POST",
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (!response.ok) throw new Error(`reset answered ${response.status}`);
        await waitHealthy(checkoutUrl, Date.now() + timeoutMs);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
