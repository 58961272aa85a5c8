import type { Socket } from "node:net";
import { type HostPort, parseHostPort } from "../model/host-port.js";

/** Longest line either side accepts; a peer sending more is misbehaving and gets disconnected. */
export const MAX_LINE_BYTES = 64 * 1024;

/**
 * Calls `onLine` for every `\n`-terminated line arriving on `socket` (without the newline or a
 * trailing `\r`). Destroys the socket when a line grows past MAX_LINE_BYTES.
 */
export function readLines(socket: Socket, onLine: (line: string) => void): void {
  let pending = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    pending += chunk;
    let newline = pending.indexOf("\n");
    while (newline !== -1) {
      const line = pending.slice(0, newline).replace(/\r$/, "");
      pending = pending.slice(newline + 1);
      onLine(line);
      if (socket.destroyed) return;
      newline = pending.indexOf("\n");
    }
    if (pending.length > MAX_LINE_BYTES) socket.destroy();
  });
}

/** `host:port` → parts; throws on anything else so bad flags fail at start-up, not per request. */
export function upstreamAddress(text: string): HostPort {
  const parsed = parseHostPort(text);
  if (!parsed || parsed.host === "" || parsed.port === 0) {
    throw new Error(`"${text}" is not host:port (e.g. 127.0.0.1:5432)`);
  }
  return parsed;
}
