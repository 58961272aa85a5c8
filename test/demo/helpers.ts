import { connect } from "node:net";
import { ToxiproxyApi } from "../../src/faults/index.js";

/** Resolves true when nothing listens on 127.0.0.1:port any more. */
export function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
  });
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function health(
  checkoutUrl: string,
): Promise<{ status: number; ms: number; body: { reason?: string } }> {
  const started = performance.now();
  const response = await fetch(`${checkoutUrl}/health`, { signal: AbortSignal.timeout(5000) });
  const body = (await response.json()) as { reason?: string };
  return { status: response.status, ms: performance.now() - started, body };
}

export async function post(
  url: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, json: await response.json() };
}

/** Polls /health until it answers `status`; returns how long that took, or throws after `withinMs`. */
export async function healthBecomes(
  checkoutUrl: string,
  status: number,
  withinMs: number,
): Promise<number> {
  const started = Date.now();
  let last: Awaited<ReturnType<typeof health>> | undefined;
  while (Date.now() - started < withinMs) {
    last = await health(checkoutUrl);
    if (last.status === status) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `/health did not answer ${status} within ${withinMs}ms (last ${last?.status} ${JSON.stringify(last?.body)})`,
  );
}

/** Adds a toxic through firedrill's Toxiproxy client, as a drill would. */
export async function addToxic(
  toxiproxyUrl: string,
  proxy: string,
  toxic: {
    name: string;
    type: string;
    stream?: "upstream" | "downstream";
    attributes: Record<string, number>;
  },
): Promise<void> {
  await new ToxiproxyApi(toxiproxyUrl).addToxic(proxy, {
    stream: "downstream",
    toxicity: 1,
    ...toxic,
  });
}

export async function toxicNames(toxiproxyUrl: string, proxy: string): Promise<string[]> {
  const found = await new ToxiproxyApi(toxiproxyUrl).proxy(proxy);
  return (found?.toxics ?? []).map((toxic) => toxic.name);
}
