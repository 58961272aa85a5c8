import { STATUS_CODES } from "node:http";
import { errorCode } from "./result.js";

/** How long one request to Prometheus or Alertmanager may take, unless the caller says less. */
export const MONITORING_TIMEOUT_MS = 2000;

export interface MonitoringRequest {
  /** the server's base URL as written in the scenario (a path prefix is kept) */
  baseUrl: string;
  /** API path and query, e.g. `/api/v1/query?query=up` */
  path: string;
  /** the name of the environment variable holding a bearer token, if the server needs one */
  tokenEnv?: string | undefined;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Why a monitoring request failed, naming the URL and what the server said. The token never is
 * in it: it only travels in the Authorization header.
 */
export class MonitoringError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`GET ${url}: ${reason}`);
    this.name = "MonitoringError";
  }
}

/** `base` + `path`, keeping a prefix in `base` (`http://host/prometheus` + `/api/v1/query`). */
export function apiUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}${path}`;
}

/** GETs JSON from a monitoring API; rejects with a MonitoringError. */
export async function getMonitoringJson(request: MonitoringRequest): Promise<unknown> {
  const url = apiUrl(request.baseUrl, request.path);
  const timeoutMs = request.timeoutMs ?? MONITORING_TIMEOUT_MS;
  const headers: Record<string, string> = { accept: "application/json" };
  let token: string | undefined;
  if (request.tokenEnv !== undefined) {
    token = (request.env ?? process.env)[request.tokenEnv];
    if (!token) {
      throw new MonitoringError(url, `the token variable ${request.tokenEnv} is not set`);
    }
    headers.authorization = `Bearer ${token}`;
  }
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
  let response: Response;
  let body: string;
  try {
    response = await fetch(url, { headers, signal, redirect: "manual" });
    body = await response.text();
  } catch (error) {
    if (request.signal?.aborted) throw new MonitoringError(url, "cancelled");
    if (timeout.aborted) throw new MonitoringError(url, `timed out after ${timeoutMs}ms`);
    throw new MonitoringError(url, errorCode(error));
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const status = `${response.status} ${response.statusText || STATUS_CODES[response.status] || ""}`;
    // A server may quote the credential it refused: the message is journaled, the token never.
    let said = serverMessage(json, body);
    if (token) said = said.replaceAll(token, `[redacted ${request.tokenEnv}]`);
    throw new MonitoringError(url, `${status.trim()}: ${said}`);
  }
  if (json === undefined) throw new MonitoringError(url, `not JSON: ${excerpt(body)}`);
  return json;
}

/** What the server said went wrong: Prometheus's `error`, Alertmanager's `message`, or the body. */
function serverMessage(json: unknown, body: string): string {
  if (json && typeof json === "object") {
    const record = json as Record<string, unknown>;
    for (const key of ["error", "message"]) {
      if (typeof record[key] === "string") return excerpt(record[key] as string);
    }
  }
  return excerpt(body) || "(empty body)";
}

function excerpt(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
