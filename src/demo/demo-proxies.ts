import { type ProxyInfo, ToxiproxyApi, ToxiproxyApiError } from "../faults/toxiproxy-api.js";

/**
 * Creates (or replaces) a demo proxy and returns it as the server reports it, with its real port.
 * Goes through firedrill's one Toxiproxy client, so its errors name the URL and the server's reason.
 */
export async function createProxy(
  apiUrl: string,
  proxy: { name: string; listen: string; upstream: string },
): Promise<ProxyInfo> {
  const api = new ToxiproxyApi(apiUrl);
  await api.deleteProxy(proxy.name);
  let info: ProxyInfo;
  try {
    info = await api.createProxy({ ...proxy, enabled: true });
  } catch (error) {
    if (error instanceof ToxiproxyApiError && error.status === 404) {
      throw new Error(`${api.url}/proxies not found: is this Toxiproxy?`);
    }
    throw error;
  }
  // a server may answer the create with the requested `:0` rather than the port it bound
  if (/:0$/.test(info.listen)) return (await api.proxy(proxy.name)) ?? info;
  return info;
}

export async function deleteProxy(apiUrl: string, name: string): Promise<void> {
  await new ToxiproxyApi(apiUrl).deleteProxy(name);
}

export function portOf(hostPort: string): number {
  return Number(hostPort.slice(hostPort.lastIndexOf(":") + 1));
}
