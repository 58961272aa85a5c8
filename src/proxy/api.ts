/**
 * Toxiproxy 2.x's HTTP API over node:http, byte-compatible where clients can tell: routes, status
 * codes, JSON field order, error bodies (which Go's http.Error sends as text/plain with a trailing
 * newline), the browser block and the request-id header.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { BodyTooLarge, readBody } from "./body.js";
import type { ProxyCollection } from "./collection.js";
import { ApiError, asApiError, ErrBadRequestBody } from "./errors.js";
import { goJson, parseBody } from "./json.js";
import { toxicJson } from "./toxic-def.js";

type Handler = (params: string[], body: () => Promise<unknown>) => Promise<Reply>;

interface Reply {
  status: number;
  body?: unknown;
  /** Already-encoded body with its own content type (/version). */
  raw?: { text: string; type: string };
}

interface Route {
  pattern: string[];
  methods: Record<string, Handler>;
}

function ok(body: unknown, status = 200): Reply {
  return { status, body };
}

export function createApiHandler(
  proxies: ProxyCollection,
  version: string,
): (req: IncomingMessage, res: ServerResponse) => void {
  const routes: Route[] = [
    {
      pattern: ["reset"],
      methods: {
        post: async () => {
          await proxies.reset();
          return { status: 204 };
        },
      },
    },
    {
      pattern: ["proxies"],
      methods: {
        get: async () => ok(Object.fromEntries(proxies.list().map((p) => [p.name, p.json()]))),
        post: async (_, body) => ok((await proxies.create(await body())).json(), 201),
      },
    },
    {
      pattern: ["populate"],
      methods: {
        post: async (_, body) => {
          // Every populate answer, errors included, is JSON with the proxies applied (null for
          // none), as Toxiproxy writes it.
          let result: Awaited<ReturnType<ProxyCollection["populate"]>>;
          try {
            result = await proxies.populate(await body());
          } catch (error) {
            result = { proxies: [], error: asApiError(error) };
          }
          const list = result.proxies.length > 0 ? result.proxies.map((p) => p.json()) : null;
          if (result.error) {
            const { message, status } = result.error;
            return { status, body: { error: message, status, proxies: list } };
          }
          return ok({ proxies: list }, 201);
        },
      },
    },
    {
      pattern: ["proxies", "*"],
      methods: {
        get: async ([name]) => ok(proxies.get(name!).json()),
        post: async ([name], body) => ok((await proxies.update(name!, await body())).json()),
        patch: async ([name], body) => ok((await proxies.update(name!, await body())).json()),
        delete: async ([name]) => {
          await proxies.remove(name!);
          return { status: 204 };
        },
      },
    },
    {
      pattern: ["proxies", "*", "toxics"],
      methods: {
        get: async ([name]) => ok(proxies.get(name!).toxicList().map(toxicJson)),
        post: async ([name], body) => {
          proxies.get(name!);
          return ok(toxicJson(proxies.addToxic(name!, await body())));
        },
      },
    },
    {
      pattern: ["proxies", "*", "toxics", "*"],
      methods: {
        get: async ([name, toxic]) => {
          const def = proxies.get(name!).findToxic(toxic!);
          if (!def) throw new ApiError("toxic not found", 404);
          return ok(toxicJson(def));
        },
        post: async ([name, toxic], body) => updateToxic(name!, toxic!, body),
        patch: async ([name, toxic], body) => updateToxic(name!, toxic!, body),
        delete: async ([name, toxic]) => {
          proxies.removeToxic(name!, toxic!);
          return { status: 204 };
        },
      },
    },
    {
      pattern: ["version"],
      methods: {
        get: async () => ({
          status: 200,
          raw: { text: `{"version": "${version}"}\n`, type: "application/json;charset=utf-8" },
        }),
      },
    },
  ];

  async function updateToxic(name: string, toxic: string, body: () => Promise<unknown>) {
    proxies.get(name);
    return ok(toxicJson(proxies.updateToxic(name, toxic, await body())));
  }

  // State changes one at a time: proxy start/stop are asynchronous and must not interleave. Only
  // the change waits in this queue; bodies are read (and parsed) before, so a client that is slow
  // to send its body never holds up anyone else's request.
  let queue: Promise<unknown> = Promise.resolve();

  return (req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const match = matchRoute(routes, path);
    if (!match) {
      req.resume();
      sendText(res, 404, "404 page not found");
      return;
    }
    const method = (req.method ?? "").toLowerCase();
    const handler = Object.hasOwn(match.route.methods, method)
      ? match.route.methods[method]
      : undefined;
    if (!handler) {
      req.resume();
      res.writeHead(405).end();
      return;
    }
    res.setHeader("X-Toxiproxy-Request-Id", requestId());
    if ((req.headers["user-agent"] ?? "").startsWith("Mozilla/")) {
      req.resume();
      sendText(res, 403, "User agent not allowed");
      return;
    }
    const run = async (body: () => Promise<unknown>) => {
      try {
        send(res, await handler(match.params, body));
      } catch (error) {
        sendError(res, asApiError(error));
      }
    };
    if (method === "get") {
      req.resume();
      void run(noBody);
      return;
    }
    if (method === "delete") {
      req.resume();
      queue = queue.then(() => run(noBody));
      return;
    }
    readBody(req).then(
      (text) => {
        const parsed = parseSettled(text);
        const body = async () => {
          if ("error" in parsed) throw parsed.error;
          return parsed.value;
        };
        queue = queue.then(() => run(body));
      },
      (error: unknown) => {
        if (!(error instanceof BodyTooLarge)) return; // the client went away mid-body
        // The rest of the upload is not read: close once the answer is out.
        res.setHeader("Connection", "close");
        sendError(res, error);
      },
    );
  };
}

const noBody = async (): Promise<unknown> => {
  throw ApiError.join(ErrBadRequestBody, "EOF");
};

function parseSettled(text: string): { value: unknown } | { error: unknown } {
  try {
    return { value: parseBody(text) };
  } catch (error) {
    return { error };
  }
}

function matchRoute(routes: Route[], path: string): { route: Route; params: string[] } | undefined {
  const parts = path.split("/").slice(1);
  for (const route of routes) {
    if (route.pattern.length !== parts.length) continue;
    const params: string[] = [];
    let matched = true;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const want = route.pattern[i];
      if (want === "*") {
        if (part === "") {
          matched = false;
          break;
        }
        params.push(safeDecode(part));
      } else if (want !== part) {
        matched = false;
        break;
      }
    }
    if (matched) return { route, params };
  }
  return undefined;
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** 20 base32hex characters, the shape of the xid Toxiproxy puts in X-Toxiproxy-Request-Id. */
function requestId(): string {
  const alphabet = "0123456789abcdefghijklmnopqrstuv";
  return [...randomBytes(20)].map((b) => alphabet[b & 31]).join("");
}

function send(res: ServerResponse, reply: Reply): void {
  if (reply.raw) {
    res.writeHead(reply.status, { "Content-Type": reply.raw.type }).end(reply.raw.text);
  } else if (reply.body === undefined) {
    res.writeHead(reply.status).end();
  } else {
    res.writeHead(reply.status, { "Content-Type": "application/json" }).end(goJson(reply.body));
  }
}

/** Toxiproxy's apiError goes through Go's http.Error: text/plain, nosniff, trailing newline. */
function sendError(res: ServerResponse, error: ApiError): void {
  sendText(res, error.status, goJson({ error: error.message, status: error.status }));
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res
    .writeHead(status, {
      "Content-Type": "text/plain; charset=utf-8",
      "X-Content-Type-Options": "nosniff",
    })
    .end(`${text}\n`);
}
