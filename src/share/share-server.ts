import { randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { TimedEvent } from "../drill/events.js";
import { type Redact, redactValue } from "../drill/redact.js";
import type { DrillSession } from "../drill/session.js";
import { messageOf } from "../model/message.js";
import {
  ACTION_PATH,
  actorOfRole,
  type DroppedMessage,
  type EndMessage,
  EVENTS_PATH,
  type HelloMessage,
  JOIN_ROLES,
  type JoinRole,
  type Presence,
  parseAction,
  type SharedEvent,
} from "./share-protocol.js";

export interface ShareOptions {
  /** 127.0.0.1 unless told otherwise: another interface is the user's explicit choice */
  host?: string;
  /** 0 (default): a free port */
  port?: number;
  /** event streams open at once; more are refused with 503 */
  maxClients?: number;
  /** bytes waiting for one client before it is dropped as too slow */
  maxBufferBytes?: number;
  /** every string leaving the process goes through this (the drill's secrets) */
  redact?: Redact;
  /** told when a client is dropped or refused, for the responder's screen or stderr */
  onNotice?: (text: string) => void;
}

export interface ShareServer {
  readonly url: string;
  /** One random token per role, shown once in the join lines. */
  readonly tokens: Readonly<Record<JoinRole, string>>;
  /** `firedrill join <url> --role R --token T`, one line per role. */
  joinLines(): string[];
  /** Serves this session's events and takes its actions; before, clients are asked to retry. */
  attach(session: DrillSession): void;
  presence(): Presence;
  onPresence(listener: (presence: Presence) => void): () => void;
  /** Sends every client the outcome, closes them and stops listening. Idempotent. */
  close(end: EndMessage): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024;
const DEFAULT_MAX_CLIENTS = 32;
/** ~1000 events: a client this far behind is not reading (a stalled terminal, a dead tunnel). */
const DEFAULT_MAX_BUFFER = 512 * 1024;
const HEARTBEAT_MS = 15_000;

interface Client {
  role: JoinRole;
  res: ServerResponse;
}

function newToken(): string {
  return randomBytes(18).toString("base64url");
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function frame(event: string, data: unknown, id?: number): string {
  return `${id === undefined ? "" : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Serves one live drill to the people who join it. Only two routes exist; every request needs a
 * role's token; an observer cannot act. The drill never waits on a client: events are written
 * without waiting, and a client whose unread bytes pass `maxBufferBytes` is dropped (it can
 * reconnect and resume from its last event).
 */
export async function startShareServer(options: ShareOptions = {}): Promise<ShareServer> {
  const host = options.host ?? "127.0.0.1";
  const maxClients = options.maxClients ?? DEFAULT_MAX_CLIENTS;
  const maxBuffer = options.maxBufferBytes ?? DEFAULT_MAX_BUFFER;
  const redact = options.redact ?? ((text: string) => text);
  const tokens: Record<JoinRole, string> = {
    facilitator: newToken(),
    observer: newToken(),
    scribe: newToken(),
  };
  const clients = new Set<Client>();
  const presenceListeners = new Set<(p: Presence) => void>();
  /** Every event so far as sent: frames[i] is event seq i + 1. */
  const frames: string[] = [];
  let session: DrillSession | null = null;
  let ended: string | null = null;
  let closing: Promise<void> | null = null;

  const presence = (): Presence => {
    const counts: Presence = { facilitator: 0, observer: 0, scribe: 0 };
    for (const c of clients) counts[c.role]++;
    return counts;
  };
  const presenceChanged = () => {
    const now = presence();
    const text = frame("presence", now);
    for (const c of [...clients]) send(c, text);
    for (const listener of [...presenceListeners]) listener(now);
  };

  const drop = (client: Client, reason: string) => {
    if (!clients.delete(client)) return;
    const message: DroppedMessage = { reason };
    // A client that reads nothing never sees this; one that is merely slow does.
    client.res.end(frame("dropped", message));
    client.res.destroy();
    options.onNotice?.(`${client.role} dropped: ${reason}`);
    presenceChanged();
  };

  function send(client: Client, text: string): void {
    if (client.res.writableLength > maxBuffer) {
      drop(client, `fell behind by more than ${Math.round(maxBuffer / 1024)} KB of events`);
      return;
    }
    client.res.write(text);
  }

  const record = (timed: TimedEvent) => {
    const seq = frames.length + 1;
    const shared: SharedEvent = {
      seq,
      t: Math.round(timed.t),
      event: timed.event,
      ...(timed.actor ? { actor: timed.actor } : {}),
    };
    const text = frame("drill", redactValue(shared, redact), seq);
    frames.push(text);
    for (const c of [...clients]) send(c, text);
  };

  const roleOf = (req: IncomingMessage): JoinRole | null => {
    const header = req.headers.authorization ?? "";
    const match = /^Bearer (\S+)$/.exec(header);
    if (!match?.[1]) return null;
    return JOIN_ROLES.find((role) => sameToken(match[1] ?? "", tokens[role])) ?? null;
  };

  const reply = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify(body));
  };

  const stream = (req: IncomingMessage, res: ServerResponse, role: JoinRole, after: number) => {
    if (!session) {
      res.writeHead(503, { "retry-after": "1" });
      res.end("the drill is starting");
      return;
    }
    if (ended === null && clients.size >= maxClients) {
      options.onNotice?.(`a ${role} was refused: ${maxClients} clients are connected already`);
      reply(res, 503, { error: `${maxClients} clients are connected already` });
      return;
    }
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-store",
      connection: "keep-alive",
    });
    const hello: HelloMessage = { role, drillId: session.drillId, setup: session.getState().setup };
    res.write(`retry: 1000\n${frame("hello", redactValue(hello, redact))}`);
    // A late or returning client gets everything it has not seen, in order, before anything new.
    res.write(frames.slice(Math.max(0, after)).join(""));
    if (ended !== null) {
      res.end(ended);
      return;
    }
    const client: Client = { role, res };
    clients.add(client);
    req.socket.setNoDelay(true);
    res.on("close", () => {
      if (clients.delete(client)) presenceChanged();
    });
    presenceChanged();
  };

  const act = async (req: IncomingMessage, res: ServerResponse, role: JoinRole) => {
    const actor = actorOfRole(role);
    if (!actor) return reply(res, 403, { ok: false, error: "an observer cannot act" });
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      reply(res, 413, { ok: false, error: `the body is over ${MAX_BODY_BYTES} bytes` });
      req.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reply(res, 413, { ok: false, error: `the body is over ${MAX_BODY_BYTES} bytes` });
        req.destroy();
        return;
      }
      chunks.push(chunk);
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return reply(res, 400, { ok: false, error: "the body is not JSON" });
    }
    const action = parseAction(body);
    if (typeof action === "string") return reply(res, 400, { ok: false, error: action });
    if (!session || ended !== null) {
      return reply(res, 409, { ok: false, error: "the drill is not running" });
    }
    const result = await session.dispatch(action, actor);
    reply(res, result.ok ? 200 : 409, result.ok ? { ok: true } : result);
  };

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://drill").pathname;
    if (path !== EVENTS_PATH && path !== ACTION_PATH) {
      return reply(res, 404, { error: "not found" });
    }
    const role = roleOf(req);
    if (!role) {
      res.setHeader("www-authenticate", 'Bearer realm="firedrill"');
      return reply(res, 401, { error: "a valid token is needed (firedrill join … --token T)" });
    }
    if (path === EVENTS_PATH) {
      if (req.method !== "GET") return reply(res, 405, { error: "GET only" });
      const url = new URL(req.url ?? "/", "http://drill");
      const last = req.headers["last-event-id"] ?? url.searchParams.get("after") ?? "0";
      const after = Number.parseInt(String(last), 10);
      return stream(req, res, role, Number.isFinite(after) ? after : 0);
    }
    if (req.method !== "POST") return reply(res, 405, { error: "POST only" });
    act(req, res, role).catch((error: unknown) => {
      if (!res.headersSent) reply(res, 500, { ok: false, error: messageOf(error) });
    });
  });
  server.maxConnections = maxClients + 16;
  server.headersTimeout = 10_000;
  server.requestTimeout = 0;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  // Tunnels and proxies close a stream that stays silent; a comment line keeps it open.
  const heartbeat = setInterval(() => {
    for (const c of [...clients]) send(c, ": ping\n\n");
  }, HEARTBEAT_MS);
  heartbeat.unref();

  return {
    url,
    tokens,
    joinLines: () =>
      JOIN_ROLES.map((role) => `firedrill join ${url} --role ${role} --token ${tokens[role]}`),
    attach(s) {
      if (session) return;
      session = s;
      for (const timed of s.getState().events) record(timed);
      s.onEvent(record);
    },
    presence,
    onPresence(listener) {
      presenceListeners.add(listener);
      return () => presenceListeners.delete(listener);
    },
    close(end) {
      if (closing) return closing;
      ended = frame("end", redactValue(end, redact));
      clearInterval(heartbeat);
      for (const c of [...clients]) {
        clients.delete(c);
        c.res.end(ended);
      }
      closing = new Promise<void>((resolve) => {
        // Ended streams flush on their own; a client that reads nothing is cut after a moment.
        const force = setTimeout(() => server.closeAllConnections(), 1000);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
