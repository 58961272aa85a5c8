import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { messageOf } from "../model/message.js";
import { httpCall } from "./http-client.js";
import { parseJsonObject, readBody, sendJson } from "./http-util.js";
import { DependencyError, LinePool } from "./line-pool.js";
import { upstreamAddress } from "./line-protocol.js";
import { listenTracked } from "./listen.js";
import { Counter, Gauge, Histogram, HttpMetrics, metricsText } from "./shop-metrics.js";

export interface CheckoutOptions {
  host?: string;
  port?: number;
  /** the primary database as checkout reaches it: through the checkout-db proxy */
  db: string;
  /** the replica, reached directly so a failover escapes a fault on the proxy */
  replica: string;
  /** the cache as checkout reaches it: through the checkout-cache proxy */
  cache: string;
  /** the payment provider (host:port) as checkout reaches it: through the checkout-payments proxy */
  payments: string;
  poolSize?: number;
  /** per-dependency deadline of `GET /health` */
  healthTimeoutMs?: number;
  /** per-dependency deadline of `POST /checkout` */
  requestTimeoutMs?: number;
  log?: (line: string) => void;
}

export const DEFAULT_POOL_SIZE = 4;
export const DEFAULT_HEALTH_TIMEOUT_MS = 300;
export const DEFAULT_REQUEST_TIMEOUT_MS = 2000;
const MAX_POOL_SIZE = 64;

type Dependency = "db" | "cache" | "payments";

interface Check {
  ok: boolean;
  ms: number;
  via: string;
  error?: string;
  skipped?: string;
}

interface LastCall extends Check {
  at: string;
}

export interface CheckoutServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function flag(url: URL, name: string): boolean {
  const value = url.searchParams.get(name);
  if (value === null || value === "true" || value === "1") return true;
  if (value === "false" || value === "0") return false;
  throw new HttpError(400, `${name} must be true or false, not ${JSON.stringify(value)}`);
}

/**
 * The service under drill. Every request really crosses its dependencies, so a toxic on any of the
 * three proxies shows in `/health`; the admin endpoints are the levers the sample runbooks pull.
 */
export async function startCheckoutServer(options: CheckoutOptions): Promise<CheckoutServer> {
  const log = options.log ?? (() => {});
  const primary = upstreamAddress(options.db);
  const replica = upstreamAddress(options.replica);
  upstreamAddress(options.payments);
  const paymentsUrl = `http://${options.payments}`;
  const healthTimeoutMs = options.healthTimeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const initialPoolSize = options.poolSize ?? DEFAULT_POOL_SIZE;
  const db = new LinePool(primary, initialPoolSize);
  const cache = new LinePool(upstreamAddress(options.cache), 4);

  const modes = {
    db: "primary" as "primary" | "replica",
    paymentsFallback: false,
    cacheBypass: false,
  };
  const queued: { orderId: string; amountCents: number; queuedAt: string }[] = [];
  const last: Partial<Record<Dependency, LastCall>> = {};
  let orders = 0;
  const http = new HttpMetrics(["/", "/health", "/checkout", "/admin/status", "/metrics"]);
  const dependencyTime = new Histogram(
    "shop_checkout_dependency_duration_seconds",
    "Time of one call from checkout to a dependency (db, cache, payments), by outcome.",
  );
  const dependencyErrors = new Counter(
    "shop_checkout_dependency_errors",
    "Calls from checkout to a dependency that failed or timed out.",
  );
  const ordersPlaced = new Counter("shop_checkout_orders", "Orders placed.");
  const instruments = [
    ...http.instruments(),
    dependencyTime,
    dependencyErrors,
    ordersPlaced,
    new Gauge(
      "shop_checkout_queued_payments",
      "Charges queued by the payments fallback, not yet sent to the provider.",
      () => queued.length,
    ),
  ];

  /** Times one dependency call and remembers the outcome for /admin/status. */
  async function timed<T>(
    dependency: Dependency,
    via: string,
    call: () => Promise<T>,
  ): Promise<{ check: Check; value?: T }> {
    const started = performance.now();
    try {
      const value = await call();
      dependencyTime.observe({ dependency, result: "ok" }, (performance.now() - started) / 1000);
      const check = { ok: true, ms: Math.round(performance.now() - started), via };
      last[dependency] = { ...check, at: new Date().toISOString() };
      return { check, value };
    } catch (error) {
      const message = messageOf(error);
      dependencyTime.observe({ dependency, result: "error" }, (performance.now() - started) / 1000);
      dependencyErrors.inc({ dependency });
      const check = { ok: false, ms: Math.round(performance.now() - started), via, error: message };
      last[dependency] = { ...check, at: new Date().toISOString() };
      return { check };
    }
  }

  async function dbQuery(line: string, timeoutMs: number): Promise<string> {
    const reply = await db.query(line, timeoutMs);
    if (reply.startsWith("ERR")) throw new DependencyError(`db said ${reply}`);
    return reply;
  }

  async function charge(orderId: string, amountCents: number, timeoutMs: number): Promise<string> {
    const reply = await httpCall(`${paymentsUrl}/charge`, {
      method: "POST",
      body: JSON.stringify({ orderId, amountCents }),
      timeoutMs,
    });
    if (reply.status !== 200) throw new DependencyError(`payments answered ${reply.status}`);
    const id = (JSON.parse(reply.body) as { id?: unknown }).id;
    return typeof id === "string" ? id : "";
  }

  async function health(): Promise<{ status: number; body: Record<string, unknown> }> {
    const skip = (via: string, why: string): Promise<{ check: Check }> =>
      Promise.resolve({ check: { ok: true, ms: 0, via, skipped: why } });
    const [dbCheck, cacheCheck, paymentsCheck] = await Promise.all([
      timed("db", db.address, () => dbQuery("PING", healthTimeoutMs)),
      modes.cacheBypass
        ? skip(cache.address, "cache bypass on")
        : timed("cache", cache.address, () => cache.query("PING", healthTimeoutMs)),
      modes.paymentsFallback
        ? skip(options.payments, "payments fallback on: charges are queued")
        : timed("payments", options.payments, () => charge("health-probe", 0, healthTimeoutMs)),
    ]);
    const checks = { db: dbCheck.check, cache: cacheCheck.check, payments: paymentsCheck.check };
    const failing = Object.entries(checks).filter(([, check]) => !check.ok);
    const reason = failing.map(([name, check]) => `${name}: ${check.error} via ${check.via}`);
    return failing.length === 0
      ? { status: 200, body: { status: "ok", checks } }
      : { status: 503, body: { status: "failing", reason: reason.join("; "), checks } };
  }

  async function checkout(request: IncomingMessage): Promise<Record<string, unknown>> {
    const input = parseJsonObject(await readBody(request));
    const sku = Math.min(20, Math.max(1, Number(input.sku ?? 1) || 1));
    const quantity = Math.max(1, Math.floor(Number(input.quantity ?? 1) || 1));
    const user =
      typeof input.user === "string" && /^\w{1,40}$/.test(input.user) ? input.user : "guest";
    const ms: Record<string, number> = {};
    const fail = (dependency: Dependency, check: Check) => {
      throw new HttpError(503, `${dependency}: ${check.error} via ${check.via}`);
    };

    if (!modes.cacheBypass) {
      const session = await timed("cache", cache.address, async () => {
        const reply = await cache.query(`GET session:${user}`, requestTimeoutMs);
        if (reply === "NIL")
          await cache.query(`SET session:${user} ${Date.now()}`, requestTimeoutMs);
      });
      if (!session.check.ok) fail("cache", session.check);
      ms.cache = session.check.ms;
    }

    const order = await timed("db", db.address, async () => {
      const product = await dbQuery(`GET sku:${sku}`, requestTimeoutMs);
      const { priceCents } = JSON.parse(product.slice("VALUE ".length)) as { priceCents: number };
      const seq = await dbQuery("INCR orders:seq", requestTimeoutMs);
      const orderId = `ord-${seq.slice("VALUE ".length)}`;
      const amountCents = priceCents * quantity;
      await dbQuery(
        `SET order:${orderId} ${JSON.stringify({ sku, quantity, user, amountCents })}`,
        requestTimeoutMs,
      );
      return { orderId, amountCents };
    });
    if (!order.check.ok || !order.value) return fail("db", order.check);
    ms.db = order.check.ms;
    const { orderId, amountCents } = order.value;

    let payment: string;
    if (modes.paymentsFallback) {
      queued.push({ orderId, amountCents, queuedAt: new Date().toISOString() });
      payment = "queued";
    } else {
      const charged = await timed("payments", options.payments, () =>
        charge(orderId, amountCents, requestTimeoutMs),
      );
      if (!charged.check.ok) fail("payments", charged.check);
      ms.payments = charged.check.ms;
      payment = "charged";
    }
    orders++;
    ordersPlaced.inc();
    return { orderId, amountCents, payment, ms };
  }

  let draining = false;
  /** Charges what the fallback queued once the provider is trusted again; failures stay queued. */
  async function drainQueue(): Promise<void> {
    // One replay at a time, or two would both charge the head of the queue.
    if (draining) return;
    draining = true;
    try {
      while (queued.length > 0 && !modes.paymentsFallback) {
        const next = queued[0]!;
        await charge(next.orderId, next.amountCents, requestTimeoutMs);
        queued.shift();
      }
    } catch {
      // The provider is still unwell: what is left stays queued for the next attempt.
    } finally {
      draining = false;
    }
  }

  function status(): Record<string, unknown> {
    return {
      modes: { ...modes },
      db: { primary: options.db, replica: options.replica, current: db.address },
      pool: db.stats(),
      latencies: last,
      queuedPayments: queued.length,
      orders,
      upstreams: {
        db: options.db,
        replica: options.replica,
        cache: options.cache,
        payments: options.payments,
      },
    };
  }

  function admin(path: string, url: URL): Record<string, unknown> {
    switch (path) {
      case "/admin/db/failover":
        modes.db = "replica";
        db.retarget(replica);
        break;
      case "/admin/db/failback":
        modes.db = "primary";
        db.retarget(primary);
        break;
      case "/admin/payments/fallback":
        modes.paymentsFallback = flag(url, "enabled");
        if (!modes.paymentsFallback) void drainQueue();
        break;
      case "/admin/cache/bypass":
        modes.cacheBypass = flag(url, "enabled");
        break;
      case "/admin/db/pool": {
        const size = Number(url.searchParams.get("size"));
        if (!Number.isInteger(size) || size < 1 || size > MAX_POOL_SIZE) {
          throw new HttpError(400, `size must be a whole number from 1 to ${MAX_POOL_SIZE}`);
        }
        db.resize(size);
        break;
      }
      case "/admin/reset":
        // Back to how the service started, between drills: each drill's mitigation stays in
        // place otherwise (--auto does not run rollback steps) and would hide the next fault.
        modes.db = "primary";
        modes.paymentsFallback = false;
        modes.cacheBypass = false;
        db.retarget(primary);
        db.resize(initialPoolSize);
        void drainQueue();
        break;
      default:
        throw new HttpError(404, `no admin action ${path}`);
    }
    log(`admin ${path}${url.search} → ${JSON.stringify(modes)} pool ${db.stats().size}`);
    return { ok: true, action: path, ...status() };
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://checkout.local");
    const path = url.pathname.replace(/\/+$/, "") || "/";
    const method = request.method ?? "GET";
    if (path === "/health" && (method === "GET" || method === "HEAD")) {
      const { status: code, body } = await health();
      sendJson(response, code, body);
      return;
    }
    if (path === "/checkout" && method === "POST") {
      sendJson(response, 200, await checkout(request));
      return;
    }
    if (path === "/metrics" && method === "GET") {
      const { type, body } = metricsText(instruments);
      response.writeHead(200, { "content-type": type, "cache-control": "no-store" });
      response.end(body);
      return;
    }
    if (path === "/admin/status" && method === "GET") {
      sendJson(response, 200, status());
      return;
    }
    if (path.startsWith("/admin/")) {
      if (method !== "POST") throw new HttpError(405, `use POST ${path}`);
      sendJson(response, 200, admin(path, url));
      return;
    }
    if (path === "/" && method === "GET") {
      sendJson(response, 200, {
        service: "checkout",
        endpoints: [
          "GET /health",
          "POST /checkout",
          "GET /metrics",
          "GET /admin/status",
          "POST /admin/db/failover",
          "POST /admin/db/failback",
          "POST /admin/payments/fallback?enabled=true|false",
          "POST /admin/cache/bypass?enabled=true|false",
          "POST /admin/db/pool?size=N",
          "POST /admin/reset",
        ],
      });
      return;
    }
    throw new HttpError(404, `no route ${method} ${path}`);
  }

  const server = createServer((request, response) => {
    const answered = http.start(request.method ?? "GET", (request.url ?? "/").split("?")[0] ?? "/");
    response.once("finish", () => answered(response.statusCode));
    route(request, response).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      const message = messageOf(error);
      if (!response.headersSent) sendJson(response, status, { error: message });
      else response.destroy();
    });
  });
  const listening = await listenTracked(server, options);
  return {
    server,
    port: listening.port,
    close: () => {
      db.close();
      cache.close();
      return listening.close();
    },
  };
}
