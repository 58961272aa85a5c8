import { Toxiproxy } from "toxiproxy-node-client";
import { HttpClient, type HttpResponse } from "toxiproxy-node-client/dist/HttpClient.js";
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

/**
 * toxiproxy-node-client's transport replaced by one that keeps what the client throws away: the
 * server's error text (`{"error": "...", "status": 409}`) and why a connection failed. Requests
 * are bounded so a hung server cannot hang a drill.
 */
class ReasonfulHttp extends HttpClient {
  constructor(private readonly base: string) {
    super();
  }

  override get<T>(url: string): Promise<HttpResponse<T>> {
    return this.send<T>("GET", url);
  }

  override post<T>(url: string, body?: unknown): Promise<HttpResponse<T>> {
    return this.send<T>("POST", url, body);
  }

  override async delete(url: string): Promise<void> {
    await this.send("DELETE", url);
  }

  override async getText(url: string): Promise<string> {
    return (await this.fetch("GET", url)).text;
  }

  private async send<T>(method: string, url: string, body?: unknown): Promise<HttpResponse<T>> {
    const { text } = await this.fetch(method, url, body);
    if (text.trim() === "") return { data: undefined as T };
    try {
      return { data: JSON.parse(text) as T };
    } catch {
      throw new ToxiproxyApiError(
        `Toxiproxy at ${this.base} answered ${method} ${pathOf(url)} with something that is not JSON: ${text.slice(0, 80)}`,
        this.base,
      );
    }
  }

  private async fetch(method: string, url: string, body?: unknown) {
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
        `cannot reach Toxiproxy at ${this.base}: ${refusedPort(url) ?? unreachableReason(error)}`,
        this.base,
      );
    }
    if (!response.ok) {
      throw new ToxiproxyApiError(
        `Toxiproxy at ${this.base} refused: ${serverReason(text, response)} (${response.status})`,
        this.base,
        response.status,
      );
    }
    return { text };
  }
}

function pathOf(url: string): string {
  return new URL(url).pathname;
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

const seg = encodeURIComponent;

/** The handful of Toxiproxy calls firedrill makes, over toxiproxy-node-client. */
export class ToxiproxyApi {
  readonly url: string;
  private readonly http: ReasonfulHttp;
  private readonly client: Toxiproxy;

  constructor(url?: string) {
    this.url = toxiproxyUrl(url);
    this.http = new ReasonfulHttp(this.url);
    this.client = new Toxiproxy(this.url);
    this.client.api = this.http;
  }

  /** Toxiproxy 2.12 answers `{"version": "2.12.0"}`; releases before 2.6 answered plain text. */
  async version(): Promise<string> {
    const raw: unknown = await this.client.getVersion();
    const text = typeof raw === "string" ? raw.trim() : JSON.stringify(raw);
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === "object" && "version" in parsed)
        return String(parsed.version);
    } catch {
      // plain text: the text is the version
    }
    return text;
  }

  /** Every proxy with its toxics (the client's own listing drops the toxics). */
  async proxies(): Promise<ProxyInfo[]> {
    const { data } = await this.http.get<Record<string, ProxyInfo>>(`${this.url}/proxies`);
    return Object.values(data ?? {}).map((proxy) => ({ ...proxy, toxics: proxy.toxics ?? [] }));
  }

  /** One proxy, or undefined when the server has none by that name. */
  async proxy(name: string): Promise<ProxyInfo | undefined> {
    try {
      const { data } = await this.http.get<ProxyInfo>(`${this.url}/proxies/${seg(name)}`);
      return { ...data, toxics: data.toxics ?? [] };
    } catch (error) {
      if (error instanceof ToxiproxyApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  async createProxy(body: {
    name: string;
    listen: string;
    upstream: string;
    enabled: boolean;
  }): Promise<ProxyInfo> {
    const proxy = await this.client.createProxy(body);
    return { ...proxy.toJson(), toxics: [] };
  }

  /** Removes a proxy; false when it was already gone. */
  async deleteProxy(name: string): Promise<boolean> {
    return this.ignoreMissing(() => this.http.delete(`${this.url}/proxies/${seg(name)}`));
  }

  // One request each, through the client's transport: the client's own proxy objects would GET
  // the proxy first, doubling the requests (and the injection lag) of every fault. Toxiproxy fills
  // an update's missing fields from the proxy, so `enabled` alone is a complete update.
  async setEnabled(name: string, enabled: boolean): Promise<void> {
    await this.http.post(`${this.url}/proxies/${seg(name)}`, { enabled });
  }

  async addToxic(proxyName: string, toxic: NewToxic): Promise<void> {
    await this.http.post(`${this.url}/proxies/${seg(proxyName)}/toxics`, toxic);
  }

  /** Removes a toxic; false when it (or its proxy) was already gone. */
  async removeToxic(proxy: string, toxic: string): Promise<boolean> {
    return this.ignoreMissing(() =>
      this.http.delete(`${this.url}/proxies/${seg(proxy)}/toxics/${seg(toxic)}`),
    );
  }

  private async ignoreMissing(call: () => Promise<void>): Promise<boolean> {
    try {
      await call();
      return true;
    } catch (error) {
      if (error instanceof ToxiproxyApiError && error.status === 404) return false;
      throw error;
    }
  }
}
