import type { ActionResult, ResponderAction } from "../drill/actions.js";
import { messageOf } from "../model/message.js";
import {
  ACTION_PATH,
  type DroppedMessage,
  type EndMessage,
  EVENTS_PATH,
  type HelloMessage,
  type Presence,
  type SharedEvent,
} from "./share-protocol.js";

export interface JoinOptions {
  /** the server's URL as the join line printed it */
  url: string;
  token: string;
  onHello?: (hello: HelloMessage) => void;
  /** each event once, in order, across reconnections */
  onEvent?: (event: SharedEvent) => void;
  onPresence?: (presence: Presence) => void;
  /** dropped, reconnecting, reconnected: worth a line on the joined terminal */
  onNotice?: (text: string) => void;
  /** how long to keep trying to reconnect before giving up (default 30 s) */
  giveUpAfterMs?: number;
}

/** How a joined session ended: the drill's outcome, or why the client could not follow it. */
export type JoinEnd = { kind: "ended"; end: EndMessage } | { kind: "failed"; error: string };

export interface JoinedDrill {
  /** Sends an action as this role; the engine's answer (refusals included) comes back. */
  act(action: ResponderAction): Promise<ActionResult>;
  /** The sequence number of the last event received. */
  lastSeq(): number;
  /** Stops following the drill. */
  close(): void;
  readonly done: Promise<JoinEnd>;
}

class Fatal extends Error {}
/** The server is there but its drill has not started (the responder is still on the briefing). */
class NotYet extends Error {}

/**
 * Follows a shared drill: one event stream, resumed after a drop from the last event seen (the
 * server repeats nothing the client has), until the drill ends or the server is gone for good.
 */
export function joinDrill(options: JoinOptions): JoinedDrill {
  const base = options.url.replace(/\/+$/, "");
  const auth = { authorization: `Bearer ${options.token}` };
  const giveUpAfter = options.giveUpAfterMs ?? 30_000;
  const abort = new AbortController();
  let seq = 0;
  let closed = false;

  const follow = async (): Promise<JoinEnd> => {
    let failingSince: number | null = null;
    let delay = 100;
    let connectedOnce = false;
    let waiting = false;
    for (;;) {
      if (closed) return { kind: "failed", error: "closed" };
      try {
        const end = await connect(() => {
          connectedOnce = true;
        });
        if (end) return { kind: "ended", end };
        failingSince = null;
        delay = 100;
      } catch (error) {
        if (closed) return { kind: "failed", error: "closed" };
        if (error instanceof Fatal) return { kind: "failed", error: error.message };
        if (error instanceof NotYet) {
          // Waiting for a drill to start is not losing it: no give-up, a steady 1 s pace.
          if (!waiting) options.onNotice?.("waiting for the responder to start the drill…");
          waiting = true;
          failingSince = null;
          await new Promise((resolve) => setTimeout(resolve, 1000));
          continue;
        }
        failingSince ??= performance.now();
        // Never reached at all: most likely a wrong URL, not a network blip; say so sooner.
        const patience = connectedOnce ? giveUpAfter : Math.min(giveUpAfter, 5000);
        if (performance.now() - failingSince > patience) {
          // fetch says "fetch failed"; the cause says what: ECONNREFUSED, ENOTFOUND…
          const why = messageOf((error as { cause?: unknown }).cause ?? error);
          return { kind: "failed", error: `lost the drill at ${base}: ${why}` };
        }
      }
      if (connectedOnce) options.onNotice?.(`reconnecting from event ${seq}…`);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(2000, delay * 2);
    }
  };

  /** One connection; resolves with the end message, or undefined when the stream just stopped. */
  const connect = async (connected: () => void): Promise<EndMessage | undefined> => {
    const response = await fetch(`${base}${EVENTS_PATH}`, {
      headers: { ...auth, accept: "text/event-stream", "last-event-id": String(seq) },
      signal: abort.signal,
    });
    if (response.status === 401 || response.status === 403) {
      throw new Fatal(`the drill refused the token (${response.status}): check --token and --role`);
    }
    if (response.status === 503 && response.headers.get("retry-after") !== null) {
      await response.body?.cancel();
      throw new NotYet("the drill has not started");
    }
    if (!response.ok || !response.body) {
      throw new Error(`${response.status} ${await response.text().catch(() => "")}`.trim());
    }
    connected();
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return undefined;
      buffer += decoder.decode(value, { stream: true });
      for (let cut = buffer.indexOf("\n\n"); cut !== -1; cut = buffer.indexOf("\n\n")) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const end = handle(block);
        if (end) {
          void reader.cancel().catch(() => undefined);
          return end;
        }
      }
    }
  };

  const handle = (block: string): EndMessage | undefined => {
    let type = "message";
    let data = "";
    for (const line of block.split("\n")) {
      if (line.startsWith("event: ")) type = line.slice(7);
      else if (line.startsWith("data: ")) data += line.slice(6);
    }
    if (data === "") return undefined;
    const value: unknown = JSON.parse(data);
    switch (type) {
      case "hello":
        options.onHello?.(value as HelloMessage);
        break;
      case "drill": {
        const event = value as SharedEvent;
        // Already seen (a resend after a reconnect): never delivered twice.
        if (event.seq <= seq) break;
        seq = event.seq;
        options.onEvent?.(event);
        break;
      }
      case "presence":
        options.onPresence?.(value as Presence);
        break;
      case "dropped":
        options.onNotice?.(`the drill dropped this client: ${(value as DroppedMessage).reason}`);
        break;
      case "end":
        return value as EndMessage;
    }
    return undefined;
  };

  const done = follow();
  return {
    async act(action) {
      try {
        const response = await fetch(`${base}${ACTION_PATH}`, {
          method: "POST",
          headers: { ...auth, "content-type": "application/json" },
          body: JSON.stringify(action),
          signal: AbortSignal.timeout(10_000),
        });
        const body = (await response.json().catch(() => ({}))) as { ok?: boolean; error?: string };
        if (response.ok && body.ok) return { ok: true };
        return { ok: false, error: body.error ?? `the drill answered ${response.status}` };
      } catch (error) {
        return { ok: false, error: `could not reach the drill: ${messageOf(error)}` };
      }
    },
    lastSeq: () => seq,
    close() {
      closed = true;
      abort.abort();
    },
    done,
  };
}
