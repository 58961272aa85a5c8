import { connect, createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../src/drill/clock.js";
import { percentile } from "../../src/drill/percentiles.js";
import { createSession, type DrillSession } from "../../src/drill/session.js";
import { type JoinedDrill, joinDrill } from "../../src/share/share-client.js";
import type { SharedEvent } from "../../src/share/share-protocol.js";
import { type ShareServer, startShareServer } from "../../src/share/share-server.js";
import { setup } from "../drill/builders.js";
import { RecordingBackend } from "../drill/fake-backend.js";
import { until } from "../support/until.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function sharedDrill(
  options: Parameters<typeof startShareServer>[0] = {},
): Promise<{ session: DrillSession; share: ShareServer; notices: string[] }> {
  const clock = new FakeClock();
  const session = createSession(setup("tabletop"), "5hare000", {
    clock,
    scheduler: clock,
    backend: new RecordingBackend(),
    tickMs: 0,
  });
  const notices: string[] = [];
  const share = await startShareServer({ ...options, onNotice: (n) => notices.push(n) });
  share.attach(session);
  await session.start();
  cleanups.push(() => session.shutdown("test over"));
  cleanups.push(() => share.close({ lines: ["test over"], exitCode: 0 }));
  return { session, share, notices };
}

interface Follower {
  client: JoinedDrill;
  events: SharedEvent[];
  notices: string[];
}

function follow(url: string, token: string): Follower {
  const events: SharedEvent[] = [];
  const notices: string[] = [];
  const client = joinDrill({
    url,
    token,
    onEvent: (e) => events.push(e),
    onNotice: (n) => notices.push(n),
    giveUpAfterMs: 3000,
  });
  cleanups.push(() => client.close());
  return { client, events, notices };
}

const lines = (events: readonly SharedEvent[]) =>
  events.map((e) => `${e.seq} ${e.event.type} by ${e.actor}`);

describe("a shared drill over loopback", () => {
  it("each role joins with its token; the facilitator and scribe act, the responder's session takes it, everyone sees who did it", async () => {
    const { session, share } = await sharedDrill();
    const facilitator = follow(share.url, share.tokens.facilitator);
    const observer = follow(share.url, share.tokens.observer);
    const scribe = follow(share.url, share.tokens.scribe);
    await until(() => share.presence().observer === 1 && share.presence().scribe === 1);

    expect(await facilitator.client.act({ type: "revealNextSignal" })).toEqual({ ok: true });
    expect(await facilitator.client.act({ type: "injectNextFault" })).toEqual({ ok: true });
    expect(
      await scribe.client.act({ type: "note", text: "alert was vague", tag: "action" }),
    ).toEqual({ ok: true });
    // The engine's rules hold for joined roles too.
    expect(await scribe.client.act({ type: "injectNextFault" })).toEqual({
      ok: false,
      error: "the scribe can only write notes",
    });
    expect(await observer.client.act({ type: "note", text: "hi" })).toEqual({
      ok: false,
      error: "an observer cannot act",
    });

    expect(session.getState().faults[0]?.status).toBe("active");
    const expected = [
      "1 drill.started by firedrill",
      "2 signal.shown by facilitator",
      "3 fault.applied by facilitator",
      "4 note by scribe",
    ];
    for (const f of [facilitator, observer, scribe]) {
      await until(() => f.events.length >= 4, "every event at every client");
      expect(lines(f.events)).toEqual(expected);
    }
  });

  it("refuses a wrong token (401), an observer's action (403), other routes (404) and big bodies (413)", async () => {
    const { share } = await sharedDrill();
    const post = (token: string, body: string, path = "/action") =>
      fetch(`${share.url}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body,
      });
    expect((await fetch(`${share.url}/events`)).status).toBe(401);
    expect(
      (await fetch(`${share.url}/events`, { headers: { authorization: "Bearer nope" } })).status,
    ).toBe(401);
    expect((await post("nope", '{"type":"injectNextFault"}')).status).toBe(401);
    expect((await post(share.tokens.observer, '{"type":"injectNextFault"}')).status).toBe(403);
    expect((await post(share.tokens.facilitator, "{}", "/admin")).status).toBe(404);
    expect((await post(share.tokens.scribe, "x".repeat(20_000))).status).toBe(413);
    expect((await post(share.tokens.scribe, "not json")).status).toBe(400);
    const wrong = follow(share.url, "not-a-token");
    expect(await wrong.client.done).toEqual({
      kind: "failed",
      error: "the drill refused the token (401): check --token and --role",
    });
  });

  it("a client that joins before the drill starts waits for it, however long the briefing", async () => {
    const share = await startShareServer();
    cleanups.push(() => share.close({ lines: ["test over"], exitCode: 0 }));
    const early = follow(share.url, share.tokens.observer);
    await until(() => early.notices.includes("waiting for the responder to start the drill…"));
    // Longer than this client would keep trying a server it cannot reach (giveUpAfterMs 3 s):
    // a server that answers "not started yet" is being waited for, not failing.
    await new Promise((resolve) => setTimeout(resolve, 3500));
    const clock = new FakeClock();
    const session = createSession(setup("tabletop"), "1a7e0000", {
      clock,
      scheduler: clock,
      backend: new RecordingBackend(),
      tickMs: 0,
    });
    cleanups.push(() => session.shutdown("test over"));
    share.attach(session);
    await session.start();
    await until(() => early.events.length === 1, "the drill's first event", 5000);
    expect(early.events[0]?.event.type).toBe("drill.started");
  });

  it("a client that joins late gets the whole drill so far, in order", async () => {
    const { session, share } = await sharedDrill();
    await session.dispatch({ type: "injectNextFault" });
    await session.dispatch({ type: "acknowledge" });
    await session.dispatch({ type: "note", text: "late joiners see this" });
    const late = follow(share.url, share.tokens.observer);
    await until(() => late.events.length === session.getState().events.length, "the catch-up");
    expect(late.events.map((e) => e.event)).toEqual(session.getState().events.map((e) => e.event));
  });

  it("a dropped connection reconnects and resumes without a duplicate or a gap", async () => {
    const { session, share } = await sharedDrill();
    // A relay stands for the network between: cutting it drops the client's connection.
    const target = new URL(share.url);
    const sockets = new Set<Socket>();
    const relay: Server = createServer((inbound) => {
      const outbound = connect(Number(target.port), target.hostname);
      sockets.add(inbound).add(outbound);
      inbound.pipe(outbound).pipe(inbound);
      const forget = () => {
        inbound.destroy();
        outbound.destroy();
        sockets.delete(inbound);
        sockets.delete(outbound);
      };
      inbound.on("error", forget).on("close", forget);
      outbound.on("error", forget).on("close", forget);
    });
    await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise((resolve) => relay.close(resolve)));
    cleanups.push(() => {
      for (const s of sockets) s.destroy();
    });
    const port = (relay.address() as { port: number }).port;
    const observer = follow(`http://127.0.0.1:${port}`, share.tokens.observer);
    for (let i = 0; i < 5; i++) await session.dispatch({ type: "note", text: `before ${i}` });
    await until(() => observer.events.length === 6, "the first events");

    for (const s of [...sockets]) s.destroy();
    // Written while the client is away: it must get these once it is back, exactly once.
    for (let i = 0; i < 5; i++) await session.dispatch({ type: "note", text: `during ${i}` });
    await until(() => observer.events.length >= 11, "the events sent while it was away");
    for (let i = 0; i < 3; i++) await session.dispatch({ type: "note", text: `after ${i}` });
    await until(() => observer.events.length >= 14, "the events after the reconnection");

    expect(observer.events.map((e) => e.seq)).toEqual(Array.from({ length: 14 }, (_v, i) => i + 1));
    expect(observer.events.map((e) => e.event)).toEqual(
      session.getState().events.map((e) => e.event),
    );
    expect(observer.notices).toContain("reconnecting from event 6…");
  });

  it("a client that never reads is dropped and never delays the responder's session", async () => {
    const { session, share, notices } = await sharedDrill({ maxBufferBytes: 64 * 1024 });
    // A stalled terminal: it asks for the stream and then reads nothing at all.
    const stalled = connect(Number(new URL(share.url).port), "127.0.0.1");
    cleanups.push(() => stalled.destroy());
    stalled.on("error", () => undefined);
    stalled.write(
      `GET /events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${share.tokens.observer}\r\n\r\n`,
    );
    stalled.pause();
    const healthy = follow(share.url, share.tokens.observer);
    await until(() => share.presence().observer === 2, "both observers connected");

    // The responder's session: how long each action takes to reach the responder's own listener
    // (the TUI's), with the share server writing every event to both observers on the way.
    let arrived = 0;
    session.onEvent(() => {
      arrived = performance.now();
    });
    const latencies: number[] = [];
    const text = "x".repeat(3000);
    for (let i = 0; i < 4000; i++) {
      const sent = performance.now();
      await session.dispatch({ type: "note", text: `${i} ${text}` });
      latencies.push(arrived - sent);
      // A person's drill breathes between events; the readers get their turn.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await until(() => notices.some((n) => n.startsWith("observer dropped: fell behind")), "drop");
    await until(() => healthy.events.length === 4001, "the healthy observer's events", 20_000);
    const p50 = percentile(latencies, 50) ?? 0;
    const p99 = percentile(latencies, 99) ?? 0;
    console.log(
      `responder event latency with a stalled client attached (4000 events of 3 KB): median ${p50.toFixed(3)} ms, p99 ${p99.toFixed(3)} ms`,
    );
    // Honest bound for a noisy 2-core machine: a blocked write would cost seconds, not this.
    expect(p99).toBeLessThan(100);
    // Only the stalled one was dropped.
    expect(notices.filter((n) => n.includes("dropped"))).toHaveLength(1);
    expect(healthy.notices).toEqual([]);
    expect(share.presence().observer).toBe(1);
  });

  it("the drill's end closes every client with the outcome", async () => {
    const { share } = await sharedDrill();
    const clients = [
      follow(share.url, share.tokens.facilitator),
      follow(share.url, share.tokens.observer),
      follow(share.url, share.tokens.scribe),
    ];
    await until(() => Object.values(share.presence()).every((n) => n === 1));
    await share.close({ lines: ["recovered in 2m 10s, within the 5m target"], exitCode: 0 });
    for (const c of clients) {
      expect(await c.client.done).toEqual({
        kind: "ended",
        end: { lines: ["recovered in 2m 10s, within the 5m target"], exitCode: 0 },
      });
    }
  });
});
