import { createServer } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatLogLine, type LogEntry, startProxyServer } from "../../src/proxy/index.js";
import { freePort } from "../drill/harness.js";
import {
  createProxy,
  dial,
  type Harness,
  isListening,
  Resources,
  startEcho,
  startHarness,
  type TestServer,
} from "./helpers.js";

const resources = new Resources();
let harness: Harness;
let echo: TestServer;

beforeEach(async () => {
  harness = await startHarness(resources);
  echo = await startEcho(resources);
});
afterEach(() => resources.closeAll());

async function api(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const init: RequestInit = { method, headers: { "User-Agent": "firedrill-test", ...headers } };
  if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
  const response = await fetch(harness.url + path, init);
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    text,
    json: () => JSON.parse(text) as unknown,
  };
}

function portOf(listen: string): number {
  return Number(listen.split(":").at(-1));
}

describe("proxies", () => {
  it("lists no proxies, then the created one keyed by name with Toxiproxy's field order", async () => {
    expect((await api("GET", "/proxies")).json()).toEqual({});
    const created = await api("POST", "/proxies", { name: "redis", upstream: echo.address });
    expect(created.status).toBe(201);
    expect(created.type).toBe("application/json");
    const proxy = created.json() as Record<string, unknown>;
    expect(Object.keys(proxy)).toEqual(["name", "listen", "upstream", "enabled", "toxics"]);
    expect(proxy).toMatchObject({
      name: "redis",
      upstream: echo.address,
      enabled: true,
      toxics: [],
    });
    // An omitted listen binds loopback on a free port, never every interface.
    expect(proxy.listen).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(portOf(proxy.listen as string)).toBeGreaterThan(0);
    const list = (await api("GET", "/proxies")).json() as Record<string, unknown>;
    expect(Object.keys(list)).toEqual(["redis"]);
    expect(list.redis).toEqual(proxy);
  });

  it("resolves localhost listen addresses to 127.0.0.1 as Toxiproxy does", async () => {
    const created = await api("POST", "/proxies", {
      name: "local",
      listen: "localhost:0",
      upstream: echo.address,
    });
    expect((created.json() as { listen: string }).listen).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it("creates a disabled proxy that does not listen", async () => {
    const port = await freePort();
    const created = await api("POST", "/proxies", {
      name: "off",
      listen: `127.0.0.1:${port}`,
      upstream: echo.address,
      enabled: false,
    });
    expect(created.status).toBe(201);
    expect(created.json()).toMatchObject({ enabled: false, listen: `127.0.0.1:${port}` });
    expect(await isListening(port)).toBe(false);
  });

  it("answers Toxiproxy's errors for duplicates, missing fields and bad bodies", async () => {
    await api("POST", "/proxies", { name: "redis", upstream: echo.address });
    const duplicate = await api("POST", "/proxies", { name: "redis", upstream: echo.address });
    expect(duplicate.status).toBe(409);
    expect(duplicate.text).toBe('{"error":"proxy already exists","status":409}\n');
    expect(duplicate.type).toBe("text/plain; charset=utf-8");

    const noName = await api("POST", "/proxies", { upstream: echo.address });
    expect(noName.status).toBe(400);
    expect(noName.json()).toEqual({ error: "missing required field: name", status: 400 });

    const noUpstream = await api("POST", "/proxies", { name: "x" });
    expect(noUpstream.json()).toEqual({ error: "missing required field: upstream", status: 400 });

    const empty = await api("POST", "/proxies", "");
    expect(empty.json()).toEqual({ error: "bad request body: EOF", status: 400 });

    const garbage = await api("POST", "/proxies", "{not json");
    expect(garbage.json()).toEqual({
      error: "bad request body: invalid character 'n' looking for beginning of object key string",
      status: 400,
    });
    const truncated = await api("POST", "/proxies", '{"name": "x", ');
    expect(truncated.json()).toEqual({ error: "bad request body: unexpected EOF", status: 400 });
    const notObject = await api("POST", "/proxies", "[]");
    expect((notObject.json() as { error: string }).error).toBe(
      "bad request body: json: cannot unmarshal array into Go value of type toxiproxy.Proxy",
    );

    const wrongType = await api("POST", "/proxies", { name: 5, upstream: echo.address });
    expect(wrongType.status).toBe(400);
    expect((wrongType.json() as { error: string }).error).toContain("cannot unmarshal number");
  });

  it("rejects names and addresses Toxiproxy would accept but cannot work", async () => {
    const badName = await api("POST", "/proxies", { name: "my proxy", upstream: echo.address });
    expect(badName.status).toBe(400);
    expect((badName.json() as { error: string }).error).toContain('invalid proxy name "my proxy"');

    for (const name of [".", ".."]) {
      const dots = await api("POST", "/proxies", { name, upstream: echo.address });
      expect(dots.status, name).toBe(400);
      expect((dots.json() as { error: string }).error).toContain(`invalid proxy name "${name}"`);
      const populated = await api("POST", "/populate", [{ name, upstream: echo.address }]);
      expect(populated.status, name).toBe(400);
    }

    const badUpstream = await api("POST", "/proxies", { name: "x", upstream: "localhost" });
    expect(badUpstream.status).toBe(400);
    expect((badUpstream.json() as { error: string }).error).toContain("must be host:port");

    const badListen = await api("POST", "/proxies", {
      name: "x",
      listen: "local373",
      upstream: echo.address,
    });
    expect(badListen.status).toBe(400);
    expect((await api("GET", "/proxies")).json()).toEqual({});
  });

  it("names the address when the listen port is taken", async () => {
    const first = (await api("POST", "/proxies", { name: "a", upstream: echo.address })).json() as {
      listen: string;
    };
    const taken = await api("POST", "/proxies", {
      name: "b",
      listen: first.listen,
      upstream: echo.address,
    });
    expect(taken.status).toBe(500);
    expect(taken.json()).toEqual({
      error: `listen tcp ${first.listen}: bind: address already in use`,
      status: 500,
    });
    expect(Object.keys((await api("GET", "/proxies")).json() as object)).toEqual(["a"]);
  });

  it("shows, updates and deletes a proxy, with 404 for unknown names", async () => {
    await api("POST", "/proxies", { name: "redis", upstream: echo.address });
    expect((await api("GET", "/proxies/redis")).json()).toMatchObject({ name: "redis" });
    for (const [method, body] of [
      ["GET", undefined],
      ["PATCH", { enabled: false }],
      ["POST", { enabled: false }],
      ["DELETE", undefined],
    ] as const) {
      const missing = await api(method, "/proxies/nope", body);
      expect(missing.status).toBe(404);
      expect(missing.text).toBe('{"error":"proxy not found","status":404}\n');
    }
    const patched = await api("PATCH", "/proxies/redis", { upstream: "127.0.0.1:1" });
    expect(patched.status).toBe(200);
    expect(patched.json()).toMatchObject({ upstream: "127.0.0.1:1", enabled: true });
    const posted = await api("POST", "/proxies/redis", { upstream: echo.address });
    expect(posted.status).toBe(200);
    const deleted = await api("DELETE", "/proxies/redis");
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    expect((await api("GET", "/proxies")).json()).toEqual({});
  });

  it("disabling refuses connections and closes live ones; enabling listens again", async () => {
    const port = await createProxy(harness, "echo", echo.address);
    const live = await dial(resources, port);
    const closed = new Promise((resolve) => {
      live.once("end", resolve);
      live.once("close", resolve);
    });
    const disabled = await api("PATCH", "/proxies/echo", { enabled: false });
    expect(disabled.json()).toMatchObject({ enabled: false });
    await closed;
    expect(await isListening(port)).toBe(false);
    await api("PATCH", "/proxies/echo", { enabled: true });
    expect(await isListening(port)).toBe(true);
  });

  it("moves the listener when listen changes", async () => {
    const oldPort = await createProxy(harness, "echo", echo.address);
    const newPort = await freePort();
    const moved = await api("PATCH", "/proxies/echo", { listen: `127.0.0.1:${newPort}` });
    expect(moved.json()).toMatchObject({ listen: `127.0.0.1:${newPort}`, enabled: true });
    expect(await isListening(oldPort)).toBe(false);
    expect(await isListening(newPort)).toBe(true);
  });
});

describe("populate", () => {
  it("creates proxies and answers them in order", async () => {
    const result = await api("POST", "/populate", [
      { name: "one", upstream: echo.address },
      { name: "two", upstream: echo.address, enabled: false },
    ]);
    expect(result.status).toBe(201);
    const body = result.json() as { proxies: { name: string; enabled: boolean }[] };
    expect(body.proxies.map((p) => [p.name, p.enabled])).toEqual([
      ["one", true],
      ["two", false],
    ]);
    const proxies = await harness.client.populate([
      { name: "three", listen: "127.0.0.1:0", upstream: echo.address },
    ]);
    expect(Object.keys(proxies)).toEqual(["three"]);
  });

  it("keeps toxics of unchanged proxies and replaces changed ones", async () => {
    await api("POST", "/proxies", { name: "same", upstream: echo.address });
    await api("POST", "/proxies", { name: "moved", upstream: echo.address });
    await api("POST", "/proxies/same/toxics", { type: "latency" });
    await api("POST", "/proxies/moved/toxics", { type: "latency" });
    const same = (await api("GET", "/proxies/same")).json() as { listen: string };
    const result = await api("POST", "/populate", [
      { name: "same", listen: same.listen, upstream: echo.address },
      { name: "moved", upstream: "127.0.0.1:1" },
    ]);
    expect(result.status).toBe(201);
    expect((await api("GET", "/proxies/same/toxics")).json()).toHaveLength(1);
    expect((await api("GET", "/proxies/moved/toxics")).json()).toEqual([]);
  });

  it("applies nothing when an entry misses a field", async () => {
    const result = await api("POST", "/populate", [
      { name: "one", upstream: echo.address },
      { name: "", upstream: echo.address },
    ]);
    expect(result.status).toBe(400);
    // Toxiproxy 2.12 answers populate errors as JSON, with the proxies applied (none: null).
    expect(result.type).toBe("application/json");
    expect(result.text).toBe(
      '{"error":"missing required field: name at proxy 2","status":400,"proxies":null}',
    );
    expect((await api("GET", "/proxies")).json()).toEqual({});
    const bad = await api("POST", "/populate", "[{");
    expect(bad.json()).toEqual({
      error: "bad request body: unexpected EOF",
      status: 400,
      proxies: null,
    });
  });

  it("reports a bind failure with the proxies created before it", async () => {
    const first = (await api("POST", "/proxies", { name: "a", upstream: echo.address })).json() as {
      listen: string;
    };
    const result = await api("POST", "/populate", [
      { name: "b", upstream: echo.address },
      { name: "c", listen: first.listen, upstream: echo.address },
    ]);
    expect(result.status).toBe(500);
    const body = result.json() as { error: string; status: number; proxies: { name: string }[] };
    expect(body.error).toBe(`listen tcp ${first.listen}: bind: address already in use`);
    expect(body.proxies.map((p) => p.name)).toEqual(["b"]);
  });
});

describe("toxics", () => {
  beforeEach(async () => {
    await api("POST", "/proxies", { name: "redis", upstream: echo.address });
  });

  it("creates a toxic with Toxiproxy's defaults and field order", async () => {
    const created = await api("POST", "/proxies/redis/toxics", { type: "latency" });
    expect(created.status).toBe(200);
    const toxic = created.json() as Record<string, unknown>;
    expect(Object.keys(toxic)).toEqual(["attributes", "name", "type", "stream", "toxicity"]);
    expect(toxic).toEqual({
      attributes: { latency: 0, jitter: 0 },
      name: "latency_downstream",
      type: "latency",
      stream: "downstream",
      toxicity: 1,
    });
    const proxy = (await api("GET", "/proxies/redis")).json() as { toxics: unknown[] };
    expect(proxy.toxics).toEqual([toxic]);
  });

  it("lists upstream toxics before downstream ones, each in order added", async () => {
    await api("POST", "/proxies/redis/toxics", { type: "latency", name: "d1" });
    await api("POST", "/proxies/redis/toxics", { type: "noop", name: "u1", stream: "upstream" });
    await api("POST", "/proxies/redis/toxics", {
      type: "slicer",
      name: "d2",
      attributes: { average_size: 10 },
    });
    const names = ((await api("GET", "/proxies/redis/toxics")).json() as { name: string }[]).map(
      (t) => t.name,
    );
    expect(names).toEqual(["u1", "d1", "d2"]);
  });

  it("answers Toxiproxy's errors for bad type, stream, duplicates and unknown toxics", async () => {
    const badType = await api("POST", "/proxies/redis/toxics", { type: "lag" });
    expect(badType.text).toBe('{"error":"invalid toxic type","status":400}\n');
    const badStream = await api("POST", "/proxies/redis/toxics", {
      type: "latency",
      stream: "sideways",
    });
    expect(badStream.json()).toEqual({
      error: "stream was invalid, can be either upstream or downstream",
      status: 400,
    });
    await api("POST", "/proxies/redis/toxics", { type: "latency", name: "lag" });
    const duplicate = await api("POST", "/proxies/redis/toxics", {
      type: "bandwidth",
      name: "lag",
      stream: "upstream",
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.json()).toEqual({ error: "toxic already exists", status: 409 });
    for (const method of ["GET", "PATCH", "DELETE"]) {
      const missing = await api(
        method,
        "/proxies/redis/toxics/nope",
        method === "PATCH" ? {} : undefined,
      );
      expect(missing.status).toBe(404);
      expect(missing.json()).toEqual({ error: "toxic not found", status: 404 });
    }
    const noProxy = await api("POST", "/proxies/nope/toxics", { type: "latency" });
    expect(noProxy.json()).toEqual({ error: "proxy not found", status: 404 });
  });

  it("is strict where Toxiproxy is lax: attributes, toxicity and names", async () => {
    for (const body of [
      { type: "latency", attributes: { latency: -5 } },
      { type: "latency", attributes: { latency: "100" } },
      { type: "latency", attributes: { latency: 1.5 } },
      { type: "latency", attributes: { latncy: 100 } },
      { type: "latency", toxicity: 1.5 },
      { type: "latency", toxicity: -0.1 },
      { type: "latency", name: "a b" },
      { type: "slicer", attributes: { average_size: 0 } },
      // what makes Toxiproxy panic (negative cut) or overflow its stack
      { type: "slicer", attributes: { average_size: 1000, size_variation: 1001 } },
      { type: "slicer", attributes: { average_size: 0, size_variation: 0 } },
      { type: "latency", name: "." },
      { type: "latency", name: ".." },
    ]) {
      const response = await api("POST", "/proxies/redis/toxics", body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect((response.json() as { error: string }).error).toMatch(/^bad request body: /);
    }
    expect((await api("GET", "/proxies/redis/toxics")).json()).toEqual([]);
  });

  it("updates by merging attributes and toxicity (POST and PATCH)", async () => {
    await api("POST", "/proxies/redis/toxics", {
      type: "latency",
      toxicity: 0.5,
      attributes: { latency: 100, jitter: 10 },
    });
    const patched = await api("PATCH", "/proxies/redis/toxics/latency_downstream", {
      attributes: { latency: 1000 },
    });
    expect(patched.json()).toMatchObject({
      attributes: { latency: 1000, jitter: 10 },
      toxicity: 0.5,
    });
    const posted = await api("POST", "/proxies/redis/toxics/latency_downstream", {
      toxicity: 0.25,
    });
    expect(posted.json()).toMatchObject({
      attributes: { latency: 1000, jitter: 10 },
      toxicity: 0.25,
    });
    const bad = await api("PATCH", "/proxies/redis/toxics/latency_downstream", { toxicity: 2 });
    expect(bad.status).toBe(400);
    expect((await api("GET", "/proxies/redis/toxics/latency_downstream")).json()).toMatchObject({
      toxicity: 0.25,
    });
  });

  it("works through toxiproxy-node-client", async () => {
    const proxy = await harness.client.get("redis");
    const toxic = await proxy.addToxic({
      name: "slow",
      type: "latency",
      stream: "upstream",
      toxicity: 1,
      attributes: { latency: 10, jitter: 0 },
    });
    expect(toxic.toJson()).toEqual({
      attributes: { latency: 10, jitter: 0 },
      name: "slow",
      stream: "upstream",
      toxicity: 1,
      type: "latency",
    });
    const updated = await toxic.update({
      ...toxic.toJson(),
      attributes: { latency: 20, jitter: 0 },
    });
    expect(updated.attributes).toEqual({ latency: 20, jitter: 0 });
    expect((await proxy.getToxic("slow")).attributes).toEqual({ latency: 20, jitter: 0 });
    await toxic.remove();
    await expect(proxy.getToxic("slow")).rejects.toThrow("404");
    const all = await harness.client.getAll();
    expect(Object.keys(all)).toEqual(["redis"]);
    await proxy.remove();
  });
});

describe("reset, version and the rest", () => {
  it("re-enables every proxy and removes every toxic", async () => {
    await api("POST", "/proxies", { name: "a", upstream: echo.address, enabled: false });
    await api("POST", "/proxies", { name: "b", upstream: echo.address });
    await api("POST", "/proxies/b/toxics", { type: "timeout" });
    const reset = await api("POST", "/reset");
    expect(reset.status).toBe(204);
    expect(reset.text).toBe("");
    const list = (await api("GET", "/proxies")).json() as Record<
      string,
      { enabled: boolean; toxics: [] }
    >;
    expect(list.a).toMatchObject({ enabled: true, toxics: [] });
    expect(list.b).toMatchObject({ enabled: true, toxics: [] });
    await harness.client.reset();
  });

  it("resets every proxy even when one cannot rebind, and names it", async () => {
    const squatter = createServer();
    const port = await freePort();
    await api("POST", "/proxies", {
      name: "blocked",
      listen: `127.0.0.1:${port}`,
      upstream: echo.address,
      enabled: false,
    });
    await api("POST", "/proxies", { name: "fine", upstream: echo.address, enabled: false });
    await api("POST", "/proxies/blocked/toxics", { type: "latency" });
    await api("POST", "/proxies/fine/toxics", { type: "latency" });
    await new Promise<void>((resolve) => squatter.listen(port, "127.0.0.1", resolve));
    resources.add(() => new Promise<void>((resolve) => squatter.close(() => resolve())));
    const reset = await api("POST", "/reset");
    expect(reset.status).toBe(500);
    expect((reset.json() as { error: string }).error).toBe(
      `reset: could not re-enable proxy blocked: listen tcp 127.0.0.1:${port}: bind: address already in use`,
    );
    const list = (await api("GET", "/proxies")).json() as Record<
      string,
      { enabled: boolean; toxics: [] }
    >;
    expect(list.fine).toMatchObject({ enabled: true, toxics: [] });
    expect(list.blocked).toMatchObject({ enabled: false, toxics: [] });
  });

  it("answers /version like Toxiproxy 2.12, content type included", async () => {
    const version = await api("GET", "/version");
    expect(version.status).toBe(200);
    expect(version.type).toBe("application/json;charset=utf-8");
    expect(version.text).toMatch(/^\{"version": "2\.12\.0[^"]*"\}\n$/);
    expect(await harness.client.getVersion()).toBe(version.text);
  });

  it("refuses browsers, answers 404 for unknown paths and 405 for wrong methods", async () => {
    const browser = await api("GET", "/proxies", undefined, {
      "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36",
    });
    expect(browser.status).toBe(403);
    expect(browser.text).toBe("User agent not allowed\n");
    const unknown = await api("GET", "/nothing");
    expect(unknown.status).toBe(404);
    expect(unknown.text).toBe("404 page not found\n");
    const wrong = await api("PUT", "/proxies");
    expect(wrong.status).toBe(405);
    const ok = await fetch(`${harness.url}/proxies`, { headers: { "User-Agent": "curl/8.0" } });
    expect(ok.headers.get("x-toxiproxy-request-id")).toMatch(/^[0-9a-v]{20}$/);
  });
});

describe("logging", () => {
  it("logs proxy and toxic changes and connection errors, and closes clients of a dead upstream", async () => {
    const entries: LogEntry[] = [];
    const server = await startProxyServer({ port: 0, log: (entry) => entries.push(entry) });
    resources.add(() => server.stop());
    const dead = await freePort();
    const created = await fetch(`${server.url}/proxies`, {
      method: "POST",
      body: JSON.stringify({ name: "dead", upstream: `127.0.0.1:${dead}` }),
    });
    const { listen } = (await created.json()) as { listen: string };
    await fetch(`${server.url}/proxies/dead/toxics`, {
      method: "POST",
      body: JSON.stringify({ type: "latency", attributes: { latency: 5 } }),
    });
    const socket = await dial(resources, portOf(listen));
    await new Promise((resolve) => {
      socket.once("end", resolve);
      socket.once("close", resolve);
    });
    expect(entries.map((e) => e.message)).toEqual([
      "proxy created",
      "toxic added",
      "unable to open connection to upstream",
    ]);
    expect(entries[2]).toMatchObject({
      level: "error",
      fields: { proxy: "dead", upstream: `127.0.0.1:${dead}` },
    });
    expect(formatLogLine(entries[0]!, new Date(0))).toBe(
      `1970-01-01T00:00:00.000Z info proxy created name=dead listen=${listen} upstream=127.0.0.1:${dead} enabled=true`,
    );
  });
});
