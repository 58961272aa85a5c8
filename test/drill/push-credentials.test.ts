import { createServer, type IncomingMessage, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import type { DrillFigures } from "../../src/drill/drill-metrics.js";
import { pushDrillFigures } from "../../src/drill/pushgateway-push.js";

const figures: DrillFigures = {
  drillId: "d1",
  scenario: "checkout-db-latency",
  service: "checkout-api",
  team: "team-checkout",
  mode: "gameday",
  responderKind: "person",
  timings: { ttd: 1000, tta: 2000, ttm: 3000, ttr: 4000 },
  targetTtrMs: 240_000,
  score: 100,
  recovered: true,
  withinTarget: true,
  detectionGaps: 0,
  finishedAt: Date.now(),
};

let server: Server | undefined;
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

/** A stand-in Pushgateway behind basic auth: it records what each request carried. */
async function gateway(): Promise<{ base: string; seen: IncomingMessage[] }> {
  const seen: IncomingMessage[] = [];
  server = createServer((req, res) => {
    seen.push(req);
    req.resume();
    req.on("end", () => res.writeHead(req.headers.authorization ? 200 : 401).end());
  });
  await new Promise<void>((done) => server?.listen(0, "127.0.0.1", done));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { base: `127.0.0.1:${port}`, seen };
}

describe("--push to a Pushgateway behind basic auth", () => {
  it("sends the URL's user and password as an Authorization header, and never shows the password", async () => {
    const { base, seen } = await gateway();
    const report = await pushDrillFigures(`http://ops:p%40ss@${base}/`, figures);
    expect(report.ok, report.error).toBe(true);
    expect(seen[0]?.method).toBe("PUT");
    expect(seen[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from("ops:p@ss").toString("base64")}`,
    );
    expect(report.url).not.toContain("p%40ss");
    expect(report.url).toMatch(new RegExp(`^http://${base}/metrics/job/firedrill/`));
  });

  it("does not echo a malformed URL that may hold a password", async () => {
    const report = await pushDrillFigures("http://ops:hunter2@[bad/", figures);
    expect(report.ok).toBe(false);
    expect(JSON.stringify(report)).not.toContain("hunter2");
  });
});
