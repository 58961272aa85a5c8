import { fetchRefusedPort, fetchRefusedPortReason } from "../model/fetch-ports.js";
import { innermostMessage, systemErrorCode } from "../model/message.js";

export const DEFAULT_TOXIPROXY_URL = "http://127.0.0.1:8474";
/** Every Toxiproxy request gives up after this long (the watchdog's settle time depends on it). */
export const REQUEST_TIMEOUT_MS = 5000;

/** The Toxiproxy URL to use: the explicit one, else `TOXIPROXY_URL`, else the default. */
export function toxiproxyUrl(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const url = explicit ?? (env.TOXIPROXY_URL || DEFAULT_TOXIPROXY_URL);
  return url.replace(/\/+$/, "");
}

/** A Toxiproxy API failure whose message a user can act on: the URL tried and the server's reason. */
export class ToxiproxyApiError extends Error {
  constructor(
    message: string,
    readonly url: string,
    /** the HTTP status, or undefined when the server could not be reached */
    readonly status?: number,
  ) {
    super(message);
    this.name = "ToxiproxyApiError";
  }
}

export interface ToxicInfo {
  name: string;
  type: string;
  stream: "upstream" | "downstream";
  toxicity: number;
  attributes: Record<string, number>;
}

export interface ProxyInfo {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: ToxicInfo[];
}

export interface NewToxic {
  name: string;
  type: string;
  stream: "upstream" | "downstream";
  toxicity: number;
  attributes: Record<string, number>;
}

export interface NewProxy {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
}

const seg = encodeURIComponent;

/**
 * The one Toxiproxy client of firedrill: the drill, preflight, watchdog, cleanup, the demo and the
 * tests all go through it. It speaks Toxiproxy 2.x's HTTP API with Node's fetch.
 *
 * Why not toxiproxy-node-client (4.1.0, its newest release): through its public API a request
 * cannot be given a timeout or an AbortSignal, so a Toxiproxy that accepts and never answers
 * would hang a drill's revert and keep the watchdog alive (racing its promise against a timer
 * leaves the request open); a refusal becomes "Request failed with status code 409", with the
 * server's reason (`toxic already exists`, `listen tcp …: bind: address already in use`)
 * thrown away; its listing drops the toxics; proxy names go into paths unescaped. The earlier
 * way round, replacing its internal transport, is what a maintainer cannot carry. The package
 * stays a development dependency: test/proxy uses it to check that `firedrill proxy` works
 * with the clients written for Toxiproxy.
 *
 * Every request is bounded by REQUEST_TIMEOUT_MS (an AbortSignal, so nothing is left open), and
 * every failure is a ToxiproxyApiError naming the URL tried and the server's own reason.
 */
export class ToxiproxyApi {
  readonly url: string;

  constructor(url?: string) {
    this.url = toxiproxyUrl(url);
  }

  /** Toxiproxy 2.12 answers `{"version": "2.12.0"}`; releases before 2.6 answered plain text. */
  async version(): Promise<string> {
    const text = (await this.request("GET", "/version")).trim();
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === "object" && "version" in parsed)
        return String(parsed.version);
    } catch {
      // plain text: the text is the version
    }
    return text;
  }

  /** Every proxy with its toxics. */
  async proxies(): Promise<ProxyInfo[]> {
    const data = await this.json<Record<string, ProxyInfo>>("GET", "/proxies");
    return Object.values(data ?? {}).map(withToxics);
  }

  /** One proxy, or undefined when the server has none by that name. */
  async proxy(name: string): Promise<ProxyInfo | undefined> {
    try {
      return withToxics(await this.json<ProxyInfo>("GET", `/proxies/${seg(name)}`));
    } catch (error) {
      if (error instanceof ToxiproxyApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** Creates a proxy; the answer is the proxy as the server reports it. */
  async createProxy(body: NewProxy): Promise<ProxyInfo> {
    return withToxics(await this.json<ProxyInfo>("POST", "/proxies", body));
  }

  /** Removes a proxy; false when it was already gone. */
  deleteProxy(name: string): Promise<boolean> {
    return this.ignoreMissing(() => this.request("DELETE", `/proxies/${seg(name)}`));
  }

  // Toxiproxy fills an update's missing fields from the proxy, so `enabled` alone is a complete
  // update: one request, no read first (a read would double the injection lag of a fault).
  async setEnabled(name: string, enabled: boolean): Promise<void> {
    await this.request("POST", `/proxies/${seg(name)}`, { enabled });
  }

  async addToxic(proxyName: string, toxic: NewToxic): Promise<void> {
    await this.request("POST", `/proxies/${seg(proxyName)}/toxics`, toxic);
  }

  /** Removes a toxic; false when it (or its proxy) was already gone. */
  removeToxic(proxy: string, toxic: string): Promise<boolean> {
    return this.ignoreMissing(() =>
      this.request("DELETE", `/proxies/${seg(proxy)}/toxics/${seg(toxic)}`),
    );
  }

  private async ignoreMissing(call: () => Promise<unknown>): Promise<boolean> {
    try {
      await call();
      return true;
    } catch (error) {
      if (error instanceof ToxiproxyApiError && error.status === 404) return false;
      throw error;
    }
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const text = await this.request(method, path, body);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ToxiproxyApiError(
        `Toxiproxy at ${this.url} answered ${method} ${path} with something that is not JSON: ${text.slice(0, 80)}`,
        this.url,
      );
    }
  }

  /** The answer's text; rejects with the server's reason, or why the server could not be reached. */
  private async request(method: string, path: string, body?: unknown): Promise<string> {
    const url = `${this.url}${path}`;
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method,
        body: body === undefined ? undefined : JSON.stringify(body),
        headers: body === undefined ? undefined : { "content-type": "application/json" },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      text = await response.text();
    } catch (error) {
      throw new ToxiproxyApiError(
        `cannot reach Toxiproxy at ${this.url}: ${refusedPort(url) ?? unreachableReason(error)}`,
        this.url,
      );
    }
    if (!response.ok) {
      throw new ToxiproxyApiError(
        `Toxiproxy at ${this.url} refused: ${serverReason(text, response)} (${response.status})`,
        this.url,
        response.status,
      );
    }
    return text;
  }
}

function withToxics(proxy: ProxyInfo): ProxyInfo {
  return { ...proxy, toxics: proxy.toxics ?? [] };
}

function serverReason(text: string, response: Response): string {
  try {
    const parsed = JSON.parse(text) as { error?: unknown; title?: unknown };
    if (typeof parsed.error === "string" && parsed.error !== "") return parsed.error;
    if (typeof parsed.title === "string" && parsed.title !== "") return parsed.title;
  } catch {
    // not JSON: fall through to the raw text
  }
  const raw = text.trim().split("\n")[0]?.slice(0, 160);
  return raw || response.statusText || "no reason given";
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: "connection refused (is Toxiproxy or `firedrill proxy` running?)",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host not found (DNS lookup failed)",
  ECONNRESET: "connection reset",
  EHOSTUNREACH: "host unreachable",
  ETIMEDOUT: "connection timed out",
};

/** Node's fetch says only "bad port" for the ports it refuses: say which and why. */
function refusedPort(url: string): string | undefined {
  const port = fetchRefusedPort(url);
  return port === undefined ? undefined : fetchRefusedPortReason(port);
}

function unreachableReason(error: unknown): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return `no answer within ${REQUEST_TIMEOUT_MS / 1000}s`;
  }
  const code = systemErrorCode(error);
  if (code !== undefined) return REASONS[code] ?? code;
  return innermostMessage(error);
}
