// `npx tsx bench/share/run.ts [events]`: event latency from a live drill's session to joined
// observers, each in its own process over loopback, with 1 and with 20 observers. The session
// emits an event every 5 ms; latency is the event's arrival at an observer minus the moment the
// session emitted it (both on the wall clock, sub-millisecond). Prints median and p99.
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { systemClock, systemScheduler } from "../../src/drill/clock.js";
import { percentile } from "../../src/drill/percentiles.js";
import { createSession } from "../../src/drill/session.js";
import { startShareServer } from "../../src/share/share-server.js";
import { setup } from "../../test/drill/builders.js";
import { RecordingBackend } from "../../test/drill/fake-backend.js";

const EVENTS = Number(process.argv[2] ?? 500);
const OBSERVER = resolve("bench/share/observer.ts");
const now = () => performance.timeOrigin + performance.now();

async function measure(observers: number): Promise<{ latencies: number[]; sent: number }> {
  const session = createSession(setup("tabletop"), "bench000", {
    clock: systemClock,
    scheduler: systemScheduler,
    backend: new RecordingBackend(),
  });
  const share = await startShareServer();
  share.attach(session);
  const emitted = new Map<number, number>();
  let seq = 0;
  session.onEvent(() => {
    seq++;
    emitted.set(seq, now());
  });
  await session.start();
  const children = Array.from({ length: observers }, () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", OBSERVER, share.url, share.tokens.observer],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    return new Promise<[number, number][]>((done) =>
      child.on("exit", () =>
        done((JSON.parse(out || '{"arrivals":[]}') as { arrivals: [number, number][] }).arrivals),
      ),
    );
  });
  const deadline = Date.now() + 60_000;
  while (share.presence().observer < observers) {
    if (Date.now() > deadline)
      throw new Error(`only ${share.presence().observer} of ${observers} observers joined`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const first = seq + 1;
  for (let i = 0; i < EVENTS; i++) {
    await session.dispatch({ type: "note", text: `bench event ${i}` }, "scribe");
    await new Promise((r) => setTimeout(r, 5));
  }
  // Let the last events arrive before the end closes the streams.
  await new Promise((r) => setTimeout(r, 200));
  await share.close({ lines: ["bench over"], exitCode: 0 });
  await session.shutdown("bench over");
  const latencies: number[] = [];
  for (const arrivals of await Promise.all(children)) {
    for (const [s, at] of arrivals) {
      const sent = emitted.get(s);
      if (s >= first && sent !== undefined) latencies.push(at - sent);
    }
  }
  // The scenario's own timers (a fault at 10 s, signals) may land meanwhile: they count too.
  return { latencies, sent: seq - first + 1 };
}

for (const observers of [1, 20]) {
  const { latencies, sent } = await measure(observers);
  const expected = observers * sent;
  console.log(
    `${String(observers).padStart(2)} observer${observers === 1 ? " " : "s"}: ${latencies.length}/${expected} events received, ` +
      `latency median ${(percentile(latencies, 50) ?? Number.NaN).toFixed(2)} ms, p99 ${(percentile(latencies, 99) ?? Number.NaN).toFixed(2)} ms`,
  );
}
