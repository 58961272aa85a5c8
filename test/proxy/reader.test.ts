import { createHash, randomBytes } from "node:crypto";
import { connect, createServer, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Connection, type ConnectionOwner } from "../../src/proxy/link.js";
import { adoptAccepted, MIN_READ, SocketReader } from "../../src/proxy/reader.js";
import { until } from "../support/until.js";
import { Resources, readBytes, sleep } from "./helpers.js";

const resources = new Resources();
afterEach(() => resources.closeAll());

/** A connected pair on loopback: `accepted` is the server's side, still paused by pauseOnConnect. */
async function socketPair(
  options: { onread?: SocketReader["onread"] } = {},
): Promise<{ dialed: Socket; accepted: Socket }> {
  const server = createServer({ pauseOnConnect: true, allowHalfOpen: true });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  const acceptedP = new Promise<Socket>((resolve) => server.once("connection", resolve));
  const dialed = connect({ host: "127.0.0.1", port, allowHalfOpen: true, ...options });
  await new Promise((resolve) => dialed.once("connect", resolve));
  const accepted = await acceptedP;
  resources.add(() => {
    dialed.destroy();
    accepted.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { dialed, accepted };
}

const sha = (data: Buffer) => createHash("sha256").update(data).digest("hex");

describe("SocketReader", () => {
  it("reads more than Node's 64 KB at once from a busy socket, and shrinks after a small read", async () => {
    const reader = new SocketReader();
    const sizes: number[] = [];
    const received: Buffer[] = [];
    reader.onData = (data, buffer) => {
      sizes.push(data.length);
      received.push(Buffer.from(data));
      reader.recycle(buffer);
    };
    const { dialed, accepted } = await socketPair({ onread: reader.onread });
    const payload = randomBytes(8 * 1024 * 1024);
    accepted.resume();
    accepted.write(payload);
    await until(() => sizes.reduce((a, b) => a + b, 0) === payload.length, "8 MB read", 10_000);
    expect(sha(Buffer.concat(received))).toBe(sha(payload));
    expect(Math.max(...sizes)).toBeGreaterThan(64 * 1024);

    accepted.write("ping");
    await until(() => sizes.at(-1) === 4, "the ping");
    expect(reader.readSize).toBe(MIN_READ);
    dialed.destroy();
  });
});

describe("adoptAccepted", () => {
  it("moves an accepted connection to a socket that reads through the reader, both ways intact", async () => {
    const { dialed, accepted } = await socketPair();
    const peer = `${accepted.remoteAddress}:${accepted.remotePort}`;
    const reader = new SocketReader();
    const got: Buffer[] = [];
    reader.onData = (data, buffer) => {
      got.push(Buffer.from(data));
      reader.recycle(buffer);
    };
    const adopted = adoptAccepted(accepted, reader);
    expect(adopted).toBeDefined();
    resources.add(() => {
      adopted?.destroy();
    });
    expect(`${adopted!.remoteAddress}:${adopted!.remotePort}`).toBe(peer);
    await sleep(10);
    expect(accepted.destroyed).toBe(true);
    expect(dialed.destroyed).toBe(false);

    dialed.write("hello proxy");
    await until(() => Buffer.concat(got).toString() === "hello proxy", "the greeting");
    const reply = readBytes(dialed, 5, 5_000);
    adopted!.write("hello");
    expect((await reply).toString()).toBe("hello");
  });

  it("leaves a socket without a live handle as it is", async () => {
    const { accepted } = await socketPair();
    accepted.destroy();
    expect(adoptAccepted(accepted, new SocketReader())).toBeUndefined();
  });
});

describe("Connection without readers (where a socket cannot be adopted)", () => {
  it("relays both directions through Node's own reads", async () => {
    const client = await socketPair();
    const upstream = await socketPair();
    const owner: ConnectionOwner = { connectionClosed() {}, connectionError() {} };
    new Connection(owner, client.accepted, upstream.dialed, { upstream: [], downstream: [] });
    client.accepted.resume();
    upstream.accepted.resume();
    const up = randomBytes(3 * 1024 * 1024);
    const down = randomBytes(1024 * 1024);
    const upRead = readBytes(upstream.accepted, up.length, 10_000);
    const downRead = readBytes(client.dialed, down.length, 10_000);
    client.dialed.write(up);
    upstream.accepted.write(down);
    expect(sha(await upRead)).toBe(sha(up));
    expect(sha(await downRead)).toBe(sha(down));
  });
});
