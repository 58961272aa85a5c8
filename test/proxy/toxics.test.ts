import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { Toxiproxy } from "toxiproxy-node-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { until } from "../support/until.js";
import {
  createProxy,
  dial,
  type Harness,
  Resources,
  readBytes,
  readUntilClose,
  roundTrip,
  sleep,
  startEcho,
  startHarness,
  startRecorder,
  startSender,
} from "./helpers.js";

const resources = new Resources();
let harness: Harness;
let client: Toxiproxy;

beforeEach(async () => {
  harness = await startHarness(resources);
  client = harness.client;
});
afterEach(() => resources.closeAll());

type Attributes = Record<string, number>;

async function addToxic(
  proxy: string,
  type: string,
  attributes: Attributes,
  extra: { stream?: "upstream" | "downstream"; toxicity?: number; name?: string } = {},
) {
  const p = await client.get(proxy);
  return p.addToxic({
    name: extra.name ?? `${type}_${extra.stream ?? "downstream"}`,
    type: type as "latency",
    stream: extra.stream ?? "downstream",
    toxicity: extra.toxicity ?? 1,
    attributes: attributes as never,
  });
}

async function echoProxy(): Promise<number> {
  const echo = await startEcho(resources);
  return createProxy(harness, "echo", echo.address);
}

async function senderProxy(payload: Buffer): Promise<number> {
  const sender = await startSender(resources, payload);
  return createProxy(harness, "sender", sender.address);
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Round trips are never shorter than the toxics allow; they can be longer when the shared 2-core
 * machine is busy, so the upper bound (+15 ms) holds for the median and a loose one for each sample.
 */
async function expectRoundTrips(port: number, min: number, max: number, samples = 9) {
  const socket = await dial(resources, port);
  const rtts: number[] = [];
  for (let i = 0; i < samples; i++) rtts.push(await roundTrip(socket, `ping ${i}`));
  for (const rtt of rtts) {
    expect(rtt).toBeGreaterThanOrEqual(min - 1);
    expect(rtt).toBeLessThanOrEqual(max + 100);
  }
  expect(median(rtts)).toBeLessThanOrEqual(max + 15);
}

describe("latency", () => {
  it("delays each chunk by latency ± jitter, on either stream", async () => {
    const port = await echoProxy();
    await addToxic("echo", "latency", { latency: 60, jitter: 20 });
    await addToxic("echo", "latency", { latency: 40, jitter: 0 }, { stream: "upstream" });
    // 60 ± 20 downstream plus 40 upstream.
    await expectRoundTrips(port, 80, 120);
  });

  it("adds up when chained", async () => {
    const port = await echoProxy();
    await addToxic("echo", "latency", { latency: 50 }, { name: "first" });
    await addToxic("echo", "latency", { latency: 50 }, { name: "second" });
    await expectRoundTrips(port, 100, 100, 5);
  });
});

describe("bandwidth", () => {
  it("limits throughput to the rate (KB = 1000 bytes) within 10 % over 300 KB", async () => {
    const payload = randomBytes(300_000);
    const port = await senderProxy(payload);
    await addToxic("sender", "bandwidth", { rate: 500 });
    const socket = await dial(resources, port);
    const started = performance.now();
    const received = await readUntilClose(socket);
    const elapsed = received.times.at(-1)! - 0;
    expect(received.data.equals(payload)).toBe(true);
    const expected = 300_000 / 500; // ms
    expect(elapsed).toBeGreaterThanOrEqual(expected * 0.9);
    expect(elapsed).toBeLessThanOrEqual(expected * 1.1);
    expect(performance.now() - started).toBeLessThan(expected * 1.5);
  });

  it("stalls at rate 0 until the toxic is removed, without losing data", async () => {
    const payload = randomBytes(50_000);
    const port = await senderProxy(payload);
    await addToxic("sender", "bandwidth", { rate: 0 });
    const socket = await dial(resources, port);
    const reading = readUntilClose(socket);
    await sleep(300);
    const started = performance.now();
    await (await client.get("sender")).getToxic("bandwidth_downstream").then((t) => t.remove());
    expect(performance.now() - started).toBeLessThan(200);
    const received = await reading;
    expect(received.times[0]).toBeGreaterThanOrEqual(290);
    expect(received.data.equals(payload)).toBe(true);
  });
});

describe("slow_close", () => {
  it("delays the close after the data by `delay` ms", async () => {
    const port = await senderProxy(Buffer.from("goodbye"));
    await addToxic("sender", "slow_close", { delay: 300 });
    const socket = await dial(resources, port);
    const received = await readUntilClose(socket);
    expect(received.data.toString()).toBe("goodbye");
    expect(received.times[0]).toBeLessThan(150);
    expect(received.closedAfter).toBeGreaterThanOrEqual(295);
    expect(received.closedAfter).toBeLessThan(300 + 200);
  });
});

describe("timeout", () => {
  it("drops the data, then closes `timeout` ms after the last data seen", async () => {
    const port = await echoProxy();
    await addToxic("echo", "timeout", { timeout: 300 });
    const socket = await dial(resources, port);
    const reading = readUntilClose(socket);
    await sleep(150);
    socket.write("anyone there?");
    const received = await reading;
    expect(received.data.length).toBe(0);
    // The echo arrives ~150 ms in and restarts the 300 ms timer.
    expect(received.closedAfter).toBeGreaterThanOrEqual(440);
    expect(received.closedAfter).toBeLessThan(450 + 250);
  });

  it("holds forever at 0 and closes held connections when removed", async () => {
    const port = await echoProxy();
    const toxic = await addToxic("echo", "timeout", { timeout: 0 });
    const socket = await dial(resources, port);
    const reading = readUntilClose(socket, 5_000);
    socket.write("hello");
    await sleep(500);
    await toxic.remove();
    const received = await reading;
    expect(received.data.length).toBe(0);
    expect(received.closedAfter).toBeGreaterThanOrEqual(490);
    expect(received.closedAfter).toBeLessThan(2_000);
  });
});

describe("reset_peer", () => {
  it("resets the connection `timeout` ms after data arrives: the peer sees ECONNRESET", async () => {
    const port = await echoProxy();
    await addToxic("echo", "reset_peer", { timeout: 100 });
    const socket = await dial(resources, port);
    const reading = readUntilClose(socket);
    const sent = performance.now();
    socket.write("hello");
    const received = await reading;
    expect(received.error?.code).toBe("ECONNRESET");
    expect(received.data.length).toBe(0);
    expect(performance.now() - sent).toBeGreaterThanOrEqual(95);
  });

  it("closes with a plain FIN on connections opened before it was added, as Toxiproxy does", async () => {
    const port = await echoProxy();
    const socket = await dial(resources, port);
    await roundTrip(socket);
    await addToxic("echo", "reset_peer", { timeout: 50 });
    const reading = readUntilClose(socket);
    socket.write("hello");
    const received = await reading;
    expect(received.error).toBeUndefined();
    expect(received.closedAfter).toBeLessThan(1_000);
  });
});

describe("limit_data", () => {
  it("delivers exactly N bytes, then closes", async () => {
    const payload = randomBytes(100_000);
    const port = await senderProxy(payload);
    await addToxic("sender", "limit_data", { bytes: 1234 });
    const socket = await dial(resources, port);
    const received = await readUntilClose(socket);
    expect(received.data.length).toBe(1234);
    expect(received.data.equals(payload.subarray(0, 1234))).toBe(true);
  });

  it("counts bytes across chunks on the upstream stream", async () => {
    const recorder = await startRecorder(resources);
    const port = await createProxy(harness, "recorder", recorder.address);
    await addToxic("recorder", "limit_data", { bytes: 10 }, { stream: "upstream" });
    const socket = await dial(resources, port);
    const closed = readUntilClose(socket);
    socket.write("12345");
    await sleep(30);
    socket.write("67890abcdef");
    await closed;
    await recorder.ended[0];
    expect(recorder.received[0]!.toString()).toBe("1234567890");
  });
});

describe("slicer", () => {
  it("delivers the data intact in many small chunks", async () => {
    const payload = randomBytes(20_000);
    const port = await senderProxy(payload);
    await addToxic("sender", "slicer", { average_size: 200, size_variation: 100, delay: 500 });
    const socket = await dial(resources, port);
    const received = await readUntilClose(socket);
    expect(received.data.equals(payload)).toBe(true);
    // ~100 slices; on a loaded machine late timers send several at once and the reader's kernel
    // merges them, so only "clearly more than one" is certain.
    expect(received.chunks).toBeGreaterThan(5);
  });

  it("takes size_variation up to average_size, as Toxiproxy 2.12 does", async () => {
    const payload = randomBytes(100_000);
    const port = await senderProxy(payload);
    await addToxic("sender", "slicer", { average_size: 1000, size_variation: 1000, delay: 300 });
    const socket = await dial(resources, port);
    const received = await readUntilClose(socket);
    expect(received.data.equals(payload)).toBe(true);
    expect(received.chunks).toBeGreaterThan(10);
  });
});

describe("toxicity", () => {
  it("never applies at 0 and always applies at 1", async () => {
    const port = await echoProxy();
    await addToxic("echo", "latency", { latency: 200 }, { toxicity: 0 });
    const unaffected = await dial(resources, port);
    expect(await roundTrip(unaffected)).toBeLessThan(100);
    await (await client.get("echo"))
      .getToxic("latency_downstream")
      .then((t) => t.update({ ...t.toJson(), toxicity: 1 }));
    const affected = await dial(resources, port);
    expect(await roundTrip(affected)).toBeGreaterThanOrEqual(199);
    // Updating re-draws on live connections too.
    expect(await roundTrip(unaffected)).toBeGreaterThanOrEqual(199);
  });

  it("is drawn per connection", async () => {
    const port = await echoProxy();
    await addToxic("echo", "latency", { latency: 150 }, { toxicity: 0.5 });
    const rtts = await Promise.all(
      Array.from({ length: 40 }, async () => roundTrip(await dial(resources, port))),
    );
    const slow = rtts.filter((rtt) => rtt >= 149).length;
    // P(all 40 the same) = 2 × 0.5^40: a failure here is a real bug, not bad luck.
    expect(slow).toBeGreaterThan(0);
    expect(slow).toBeLessThan(40);
  });
});

describe("live connections", () => {
  it("takes toxics added and removed on an open connection into account", async () => {
    const port = await echoProxy();
    const socket = await dial(resources, port);
    expect(await roundTrip(socket)).toBeLessThan(100);
    const toxic = await addToxic("echo", "latency", { latency: 200 });
    expect(await roundTrip(socket)).toBeGreaterThanOrEqual(199);
    await toxic.remove();
    expect(await roundTrip(socket)).toBeLessThan(100);
  });

  it("releases held data at once when a toxic is removed under load", async () => {
    const port = await echoProxy();
    const toxic = await addToxic("echo", "latency", { latency: 5_000 });
    const socket = await dial(resources, port);
    const payload = randomBytes(200_000);
    const reading = readBytes(socket, payload.length, 5_000);
    socket.write(payload);
    await sleep(200);
    const started = performance.now();
    await toxic.remove();
    expect(performance.now() - started).toBeLessThan(200);
    const received = await reading;
    expect(received.equals(payload)).toBe(true);
  });

  it("refuses connections while the proxy is disabled", async () => {
    const port = await echoProxy();
    const proxy = await client.get("echo");
    await proxy.update({ listen: proxy.listen, upstream: proxy.upstream, enabled: false });
    await expect(dial(resources, port)).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });
});

describe("closing", () => {
  it("closes the whole connection when the client ends its side, as Toxiproxy does", async () => {
    const recorder = await startRecorder(resources);
    const port = await createProxy(harness, "recorder", recorder.address);
    const socket = await dial(resources, port);
    const reading = readUntilClose(socket, 5_000);
    socket.end("last words");
    await until(() => recorder.ended.length > 0, "the upstream connection");
    await recorder.ended[0];
    expect(recorder.received[0]!.toString()).toBe("last words");
    // The upstream never closes: only the proxy can have closed the client's side.
    const received = await reading;
    expect(received.closedAfter).toBeLessThan(1_000);
  });

  it("closes the whole connection when the upstream ends its side", async () => {
    const sender = await startSender(resources, Buffer.from("goodbye"));
    const port = await createProxy(harness, "sender", sender.address);
    const socket = await dial(resources, port);
    const received = await readUntilClose(socket, 5_000);
    expect(received.data.toString()).toBe("goodbye");
    // The client keeps its side open: only the proxy can have ended the upstream's.
    await until(() => sender.ended.length > 0, "the upstream connection");
    const upstreamEnded = await Promise.race([
      sender.ended[0]!.then(() => true),
      sleep(1_000).then(() => false),
    ]);
    expect(upstreamEnded).toBe(true);
  });

  it("tells the upstream when the client goes away, and closes the client when the upstream dies", async () => {
    const recorder = await startRecorder(resources);
    const port = await createProxy(harness, "recorder", recorder.address);
    const leaving = await dial(resources, port);
    leaving.write("hello");
    await sleep(50);
    leaving.destroy();
    await recorder.ended[0];
    expect(recorder.received[0]!.toString()).toBe("hello");

    const staying = await dial(resources, port);
    const reading = readUntilClose(staying);
    staying.write("x");
    await sleep(50);
    for (const socket of recorder.sockets) socket.resetAndDestroy();
    const received = await reading;
    expect(received.closedAfter).toBeLessThan(2_000);
  });
});
