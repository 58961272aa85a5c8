/** host:port parsing, binding and Go-worded listen errors ("listen tcp 127.0.0.1:3310: bind: ..."). */
import { lookup } from "node:dns/promises";
import { isIP, type Server } from "node:net";
import { type HostPort, parseHostPort } from "../model/host-port.js";
import { ApiError, ErrBadRequestBody } from "./errors.js";

export { type HostPort, parseHostPort };

export function checkUpstream(value: string, where = ""): void {
  const parsed = parseHostPort(value);
  if (!parsed || parsed.host === "" || parsed.port === 0) {
    throw ApiError.join(
      ErrBadRequestBody,
      `upstream${where} ${JSON.stringify(value)} must be host:port with a port from 1 to 65535, e.g. 127.0.0.1:6379`,
    );
  }
}

export function checkListen(value: string, where = ""): void {
  if (value === "") return;
  if (!parseHostPort(value)) {
    throw ApiError.join(
      ErrBadRequestBody,
      `listen${where} ${JSON.stringify(value)} must be host:port (port 0 picks a free one), e.g. 127.0.0.1:0`,
    );
  }
}

export function formatHostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Where to bind: an empty listen or host means 127.0.0.1, never every interface. */
async function resolveListen(listen: string): Promise<HostPort> {
  const parsed = parseHostPort(listen) ?? { host: "", port: 0 };
  let host = parsed.host;
  if (host === "" || host === "localhost") host = "127.0.0.1";
  if (isIP(host) === 0) {
    try {
      const addresses = await lookup(host, { all: true });
      host = (addresses.find((a) => a.family === 4) ?? addresses[0])?.address ?? host;
    } catch {
      throw new Error(`listen tcp: lookup ${parsed.host}: no such host`);
    }
  }
  return { host, port: parsed.port };
}

const BIND_ERRORS: Record<string, string> = {
  EADDRINUSE: "address already in use",
  EACCES: "permission denied",
  EADDRNOTAVAIL: "cannot assign requested address",
};

/** Binds `server` and answers the bound address as Go prints it (e.g. "127.0.0.1:41234"). */
export async function bind(server: Server, listen: string): Promise<string> {
  const { host, port } = await resolveListen(listen);
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const reason = BIND_ERRORS[error.code ?? ""] ?? error.message;
      reject(new Error(`listen tcp ${formatHostPort(host, port)}: bind: ${reason}`));
    };
    server.once("error", onError);
    server.listen({ host, port, exclusive: true }, () => {
      server.off("error", onError);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === "string") return listen;
  return formatHostPort(address.address, address.port);
}
