export interface HostPort {
  host: string;
  port: number;
}

/**
 * `host:port` or `[v6]:port` → its parts, or undefined. The host may be empty (Toxiproxy reads
 * `:8080` as every interface) and the port 0; callers that need more say so in their own words.
 */
export function parseHostPort(value: string): HostPort | undefined {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(value);
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port > 65535) return undefined;
  return { host: match[1] ?? match[2] ?? "", port };
}
