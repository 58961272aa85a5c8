import { type HostPort, parseHostPort } from "../model/host-port.js";

/** Splits `host:port` or `[v6]:port` (the scenario's HostPort format); a host is required. */
export function splitHostPort(address: string): HostPort {
  const parsed = parseHostPort(address);
  if (!parsed || parsed.host === "") throw new Error(`"${address}" is not host:port`);
  return parsed;
}

/** The host part of a URL without IPv6 brackets, lower-cased. */
export function urlHost(url: string): string {
  return new URL(url).hostname.replace(/^\[|\]$/g, "").toLowerCase();
}
