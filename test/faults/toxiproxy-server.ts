import { type AddressInfo, createServer } from "node:net";
import { startProxyServer } from "../../src/proxy/index.js";

export interface RunningToxiproxy {
  url: string;
  close(): Promise<void>;
}

/** firedrill's own Toxiproxy-compatible server on a free port of 127.0.0.1. */
export async function startToxiproxy(): Promise<RunningToxiproxy> {
  const server = await startProxyServer({ host: "127.0.0.1", port: 0 });
  return { url: server.url, close: () => server.stop() };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
