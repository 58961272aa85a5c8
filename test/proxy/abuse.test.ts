/**
 * The API under hostile or careless clients: slow bodies, huge bodies, dribbled headers. Real
 * sockets against a real server; every answer is awaited with a bound.
 */
import { request } from "node:http";
import { connect, type Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../../src/proxy/body.js";
import { type ProxyServer, startProxyServer } from "../../src/proxy/index.js";
import { Resources, startEcho } from "./helpers.js";

const resources = new Resources();
afterEach(() => resources.closeAll());

async function start(options: { requestTimeoutMs?: number; headersTimeoutMs?: number } = {}) {
  const server = await startProxyServer({ host: "127.0.0.1", port: 0, ...options });
  resources.add(() => server.stop());
  return server;
}

async function api(server: ProxyServer, method: string, path: string, body?: unknown) {
  const started = performance.now();
  const response = await fetch(server.url + path, {
    method,
    headers: { "User-Agent": "firedrill-test" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  return { status: response.status, text, ms: performance.now() - started };
}

/** A raw client that has sent `head` and then nothing; resolves when the server closes it. */
function rawClient(
  server: ProxyServer,
  head: string,
): Promise<{ socket: Socket; closed: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port: server.port });
    resources.add(() => {
      socket.destroy();
    });
    let answer = "";
    socket.on("data", (data: Buffer) => {
      answer += data.toString("latin1");
    });
    socket.on("error", () => {});
    const closed = new Promise<string>((done) => socket.once("close", () => done(answer)));
    socket.once("connect", () => {
      socket.write(head);
      resolve({ socket, closed });
    });
    socket.once("error", reject);
  });
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

describe("a slow client", () => {
  it("does not hold up other requests while it trickles its body", async () => {
    const server = await start();
    const echo = await startEcho(resources);
    expect(
      (await api(server, "POST", "/proxies", { name: "db", upstream: echo.address })).status,
    ).toBe(201);
    expect(
      (await api(server, "POST", "/proxies/db/toxics", { type: "latency", name: "lag" })).status,
    ).toBe(200);

    // Content-Length 1000, then one byte every 2 s.
    const { socket } = await rawClient(
      server,
      `POST /proxies HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`,
    );
    const trickle = setInterval(() => socket.write(" "), 2_000);
    resources.add(() => clearInterval(trickle));

    // What a drill does meanwhile: reads, a toxic added and, as its revert, deleted.
    const version = await within(api(server, "GET", "/version"), 3_000, "GET /version");
    expect(version.status).toBe(200);
    const added = await within(
      api(server, "POST", "/proxies/db/toxics", { type: "latency", name: "drill" }),
      3_000,
      "POST toxic",
    );
    expect(added.status).toBe(200);
    const reverted = await within(
      api(server, "DELETE", "/proxies/db/toxics/drill"),
      3_000,
      "DELETE toxic",
    );
    expect(reverted.status).toBe(204);
    const removed = await within(
      api(server, "DELETE", "/proxies/db/toxics/lag"),
      3_000,
      "DELETE toxic",
    );
    expect(removed.status).toBe(204);
  });

  it("is cut off once its request takes longer than the request timeout", async () => {
    const server = await start({ requestTimeoutMs: 1_000 });
    const body = await rawClient(
      server,
      "POST /proxies HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{",
    );
    const headers = await rawClient(server, "GET /version HTTP/1.1\r\nHost: x\r\n");
    const dribble = setInterval(() => {
      body.socket.write(" ");
      headers.socket.write("X-A: b\r\n");
    }, 200);
    resources.add(() => clearInterval(dribble));
    // 1 s plus Node's check interval (a quarter of it), with room for a busy machine.
    const [bodyAnswer, headersAnswer] = await within(
      Promise.all([body.closed, headers.closed]),
      5_000,
      "closing the slow clients",
    );
    expect(bodyAnswer).toMatch(/^HTTP\/1\.1 408 /);
    expect(headersAnswer).toMatch(/^HTTP\/1\.1 408 /);
    expect((await api(server, "GET", "/proxies")).text).toBe("{}");
  });
});

describe("a huge body", () => {
  it("gets 413 once it streams past 1 MiB, and the server carries on", async () => {
    const server = await start();
    const echo = await startEcho(resources);
    // A valid proxy, padded just past the cap, sent chunked (no Content-Length to refuse up front).
    const padding = "x".repeat(MAX_BODY_BYTES);
    const body = JSON.stringify({ name: "big", upstream: echo.address, padding });
    const answer = await within(
      new Promise<{ status: number; type: string; text: string }>((resolve, reject) => {
        const req = request(
          `${server.url}/proxies`,
          {
            method: "POST",
            headers: { "User-Agent": "firedrill-test", "Transfer-Encoding": "chunked" },
          },
          (res) => {
            let text = "";
            res.on("data", (data: Buffer) => {
              text += data.toString();
            });
            res.on("end", () =>
              resolve({
                status: res.statusCode ?? 0,
                type: String(res.headers["content-type"]),
                text,
              }),
            );
          },
        );
        req.on("error", reject);
        for (let at = 0; at < body.length; at += 64 * 1024)
          req.write(body.slice(at, at + 64 * 1024));
        req.end();
      }),
      10_000,
      "the 413",
    );
    expect(answer.status).toBe(413);
    expect(answer.type).toBe("text/plain; charset=utf-8");
    expect(JSON.parse(answer.text)).toEqual({
      error: `request body too large: at most ${MAX_BODY_BYTES} bytes`,
      status: 413,
    });
    expect((await api(server, "GET", "/proxies")).text).toBe("{}");
    expect((await api(server, "GET", "/version")).status).toBe(200);
  });

  it("is refused before it is sent when Content-Length says 600 MB", async () => {
    const server = await start();
    const client = await rawClient(
      server,
      `POST /populate HTTP/1.1\r\nHost: x\r\nContent-Length: ${600 * 1024 * 1024}\r\n\r\n[`,
    );
    const answer = await within(client.closed, 5_000, "the 413");
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toContain(
      '{"error":"request body too large: at most 1048576 bytes","status":413}',
    );
    expect((await api(server, "GET", "/version")).status).toBe(200);
  });
});
