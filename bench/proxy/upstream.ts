/**
 * Upstream servers for the proxy benchmark, run as their own process so neither the proxy nor the
 * load generator shares a CPU with them. Prints {"echo": port, "sink": port} and runs until killed.
 *
 * - echo: sends every byte back;
 * - sink: discards bytes and answers one byte ("k") once the client has sent `expected` bytes,
 *   announced by the first 8 bytes of the stream (big-endian).
 */
import { createServer, type Server } from "node:net";

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port));
  });
}

const echo = createServer((socket) => {
  socket.setNoDelay(true);
  socket.on("data", (data) => socket.write(data));
  socket.on("error", () => {});
});

const sink = createServer((socket) => {
  let expected = -1;
  let received = 0;
  let header = Buffer.alloc(0);
  socket.on("data", (data: Buffer) => {
    if (expected < 0) {
      header = Buffer.concat([header, data]);
      if (header.length < 8) return;
      expected = Number(header.readBigUInt64BE(0));
      received = header.length - 8;
    } else {
      received += data.length;
    }
    if (received >= expected) socket.write("k");
  });
  socket.on("error", () => {});
});

const ports = { echo: await listen(echo), sink: await listen(sink) };
process.stdout.write(`${JSON.stringify(ports)}\n`);
