import { request } from "node:http";
import { DependencyError } from "./line-pool.js";

export interface HttpReply {
  status: number;
  body: string;
  bytes: number;
}

/**
 * One HTTP request with a deadline covering connect, upload and the whole response body (a
 * `bandwidth` toxic slows the body, not the headers). A fresh connection each time: a kept-alive
 * socket stuck behind a `timeout` toxic would otherwise poison the next call.
 */
export function httpCall(
  url: string,
  options: { method?: string; body?: string; timeoutMs: number },
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const payload = options.body ?? "";
    const req = request(url, {
      method: options.method ?? "GET",
      agent: false,
      headers: {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(payload),
        connection: "close",
      },
    });
    let settled = false;
    const finish = (error: Error | undefined, reply?: HttpReply) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        req.destroy();
        reject(error);
      } else resolve(reply!);
    };
    const timer = setTimeout(
      () => finish(new DependencyError(`timed out after ${Math.round(options.timeoutMs)}ms`)),
      Math.max(0, options.timeoutMs),
    );
    req.on("error", (error: NodeJS.ErrnoException) =>
      finish(new DependencyError(error.code ?? error.message)),
    );
    req.on("response", (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", (error: NodeJS.ErrnoException) =>
        finish(new DependencyError(error.code ?? error.message)),
      );
      response.on("aborted", () => finish(new DependencyError("response aborted")));
      response.on("end", () => {
        if (!response.complete) {
          finish(new DependencyError("response cut short"));
          return;
        }
        const body = Buffer.concat(chunks);
        finish(undefined, {
          status: response.statusCode ?? 0,
          body: body.toString("utf8"),
          bytes: body.length,
        });
      });
    });
    req.end(payload);
  });
}
