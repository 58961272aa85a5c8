import { type AddressInfo, connect, createServer, type Socket } from "node:net";

export interface SlowApi {
  url: string;
  /** requests held back so far, and how many of those the real API has answered */
  held: number;
  landed: number;
  /** resolves when the next held-back request starts waiting */
  nextHeld(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A TCP relay in front of a Toxiproxy API that holds every request whose first line matches
 * `slow` for `delayMs` before passing it on, like a congested network. What the client sent is
 * delivered even when the client died meanwhile: a request on the wire is not recalled.
 */
export async function startSlowApi(
  target: string,
  slow: RegExp,
  delayMs: number,
): Promise<SlowApi> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let waiting: (() => void)[] = [];
  const api: SlowApi = {
    url: "",
    held: 0,
    landed: 0,
    nextHeld: () => new Promise((resolve) => waiting.push(resolve)),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    sockets.add(client).add(upstream);
    client.on("error", () => {});
    upstream.on("error", () => {});
    let chain = Promise.resolve();
    let answered = 0;
    let expected = 0;
    client.on("data", (chunk: Buffer) => {
      const held = slow.test(chunk.toString("latin1").split("\r\n", 1)[0] ?? "");
      if (held) {
        api.held += 1;
        expected += 1;
        for (const resolve of waiting) resolve();
        waiting = [];
      }
      chain = chain.then(async () => {
        if (held) await new Promise((resolve) => setTimeout(resolve, delayMs));
        upstream.write(chunk);
      });
    });
    upstream.on("data", (chunk) => {
      if (answered < expected) {
        answered += 1;
        api.landed += 1;
      }
      if (!client.destroyed) client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return api;
}
