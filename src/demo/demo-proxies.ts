/** The three calls the launcher needs from a Toxiproxy-compatible API, over plain fetch. */

export interface ProxyInfo {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
}

async function call(url: string, init: RequestInit): Promise<Response> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });
  if (!response.ok && response.status !== 404) {
    const text = await response.text().catch(() => "");
    throw new Error(`${init.method ?? "GET"} ${url} answered ${response.status}: ${text.trim()}`);
  }
  return response;
}

/** Creates (or replaces) a proxy and returns it as the server reports it, with its real port. */
export async function createProxy(
  apiUrl: string,
  proxy: { name: string; listen: string; upstream: string },
): Promise<ProxyInfo> {
  const base = apiUrl.replace(/\/+$/, "");
  await deleteProxy(apiUrl, proxy.name);
  const created = await call(`${base}/proxies`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...proxy, enabled: true }),
  });
  if (created.status === 404) throw new Error(`${base}/proxies not found: is this Toxiproxy?`);
  const info = (await created.json()) as ProxyInfo;
  if (/:0$/.test(info.listen)) {
    const again = await call(`${base}/proxies/${encodeURIComponent(proxy.name)}`, {});
    return (await again.json()) as ProxyInfo;
  }
  return info;
}

export async function deleteProxy(apiUrl: string, name: string): Promise<void> {
  const base = apiUrl.replace(/\/+$/, "");
  await call(`${base}/proxies/${encodeURIComponent(name)}`, { method: "DELETE" });
}

export function portOf(hostPort: string): number {
  return Number(hostPort.slice(hostPort.lastIndexOf(":") + 1));
}
