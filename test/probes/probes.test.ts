import { createServer, type Server } from "node:http";
import { type AddressInfo, createServer as createTcpServer } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Probe, type ScenarioInput } from "../../src/model/scenario.js";
import { runCommand } from "../../src/platform/command-runner.js";
import { runProbe } from "../../src/probes/index.js";

type ProbeInput = NonNullable<ScenarioInput["probes"]>[number];
const probe = (input: Omit<ProbeInput, "name">) => Probe.parse({ name: "p", ...input });

let server: Server;
let base: string;

beforeEach(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/health") {
      res.end("status: healthy");
    } else if (url.pathname === "/evil") {
      res.end(`${"a".repeat(40)}!`);
    } else if (url.pathname === "/down") {
      res.writeHead(503).end("no");
    } else if (url.pathname === "/slow") {
      setTimeout(() => res.end("late but fine"), Number(url.searchParams.get("ms") ?? 300));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("http probe", () => {
  it("passes on the expected status and records the latency", async () => {
    const result = await runProbe(probe({ http: { url: `${base}/health` } }));
    expect(result).toMatchObject({ ok: true, detail: "200 OK" });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(result.latencyMs).toBeLessThan(1000);
    console.log(`http probe latency against a local server: ${result.latencyMs}ms`);
  });

  it("fails on a wrong status with the status line", async () => {
    const result = await runProbe(probe({ http: { url: `${base}/down` } }));
    expect(result).toMatchObject({ ok: false, detail: "503 Service Unavailable" });
  });

  it("accepts any of several expected statuses", async () => {
    const result = await runProbe(
      probe({ http: { url: `${base}/down`, expectStatus: [200, 503] } }),
    );
    expect(result.ok).toBe(true);
  });

  it("checks the body against a regular expression", async () => {
    const good = await runProbe(
      probe({ http: { url: `${base}/health`, bodyMatches: "heal+thy" } }),
    );
    expect(good.ok).toBe(true);
    const bad = await runProbe(probe({ http: { url: `${base}/health`, bodyMatches: "^down" } }));
    expect(bad).toMatchObject({ ok: false, detail: "body does not match /^down/" });
  });

  it("matches a catastrophic pattern in linear time: the drill never freezes on a probe", async () => {
    // JavaScript's backtracking engine needs ~2^40 steps for this (hours, main thread blocked).
    const started = performance.now();
    const result = await runProbe(
      probe({ http: { url: `${base}/evil`, bodyMatches: "^(a+)+$" }, timeout: "1s" }),
    );
    const elapsed = performance.now() - started;
    expect(result).toMatchObject({ ok: false, detail: "body does not match /^(a+)+$/" });
    expect(elapsed).toBeLessThan(1000);
    const matching = await runProbe(
      probe({ http: { url: `${base}/evil`, bodyMatches: "^(a+)+!$" }, timeout: "1s" }),
    );
    expect(matching.ok).toBe(true);
  });

  it("refuses a pattern RE2 cannot run at load time, where the scenario is written", () => {
    const parsed = Probe.safeParse({ name: "p", http: { url: base, bodyMatches: "(a)\\1" } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain("invalid escape sequence");
  });

  it("fails a slow answer over maxLatency and says by how much", async () => {
    const result = await runProbe(
      probe({ http: { url: `${base}/slow?ms=300`, maxLatency: "100ms" }, timeout: "5s" }),
    );
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(/^latency \d+ms > 100ms$/);
    expect(result.latencyMs).toBeGreaterThanOrEqual(280);
  });

  it("gives up at the probe's timeout", async () => {
    const started = Date.now();
    const result = await runProbe(
      probe({ http: { url: `${base}/slow?ms=3000` }, timeout: "200ms" }),
    );
    expect(result).toMatchObject({ ok: false, detail: "timed out after 200ms" });
    expect(result.latencyMs).toBeGreaterThanOrEqual(190);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("says ECONNREFUSED when nothing listens", async () => {
    const port = await closedPort();
    const result = await runProbe(probe({ http: { url: `http://127.0.0.1:${port}/` } }));
    expect(result).toMatchObject({ ok: false, detail: "ECONNREFUSED" });
  });

  it("stops early when the caller aborts", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = await runProbe(probe({ http: { url: `${base}/slow?ms=3000` }, timeout: "5s" }), {
      signal: controller.signal,
    });
    expect(result).toMatchObject({ ok: false, detail: "cancelled" });
    expect(result.latencyMs).toBeLessThan(2000);
  });
});

describe("tcp probe", () => {
  it("connects to an open port", async () => {
    const port = (server.address() as AddressInfo).port;
    const result = await runProbe(probe({ tcp: { address: `127.0.0.1:${port}` } }));
    expect(result).toMatchObject({ ok: true, detail: "connected" });
    console.log(`tcp probe latency against a local port: ${result.latencyMs}ms`);
  });

  it("fails on a closed port with ECONNREFUSED", async () => {
    const port = await closedPort();
    const result = await runProbe(probe({ tcp: { address: `127.0.0.1:${port}` } }));
    expect(result).toMatchObject({ ok: false, detail: "ECONNREFUSED" });
  });
});

describe("command probe", () => {
  it("matches output in linear time too", async () => {
    const started = performance.now();
    const result = await runProbe(
      probe({
        command: {
          run: [process.execPath, "-e", "console.log('a'.repeat(40) + '!')"],
          outputMatches: "^(a+)+$",
        },
      }),
    );
    expect(result).toMatchObject({ ok: false, detail: "output does not match /^(a+)+$/" });
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it("passes on the expected exit code and output", async () => {
    const result = await runProbe(
      probe({
        command: {
          run: [process.execPath, "-e", "console.log('replicas: 3')"],
          outputMatches: "replicas: 3",
        },
      }),
    );
    expect(result).toMatchObject({ ok: true, detail: "exit 0" });
    console.log(`command probe latency (node -e): ${result.latencyMs}ms`);
  });

  it("fails with the exit code and the last line of stderr", async () => {
    const result = await runProbe(
      probe({
        command: {
          run: [process.execPath, "-e", "console.error('db unreachable'); process.exit(1)"],
        },
      }),
    );
    expect(result).toMatchObject({ ok: false, detail: "exit 1: db unreachable" });
  });

  it("fails when the output does not match", async () => {
    const result = await runProbe(
      probe({
        command: {
          run: [process.execPath, "-e", "console.log('replicas: 1')"],
          outputMatches: "replicas: 3",
        },
      }),
    );
    expect(result).toMatchObject({ ok: false, detail: "output does not match /replicas: 3/" });
  });

  it("kills a hung command at the timeout", async () => {
    const result = await runProbe(
      probe({
        command: { run: [process.execPath, "-e", "setTimeout(() => {}, 60000)"] },
        timeout: "500ms",
      }),
    );
    expect(result).toMatchObject({ ok: false, detail: "timed out after 500ms" });
  });

  it("runs a command line through the shell when asked", async () => {
    const result = await runProbe(
      probe({ command: { run: "echo one && echo two", shell: true, outputMatches: "one\\ntwo" } }),
    );
    expect(result.ok).toBe(true);
  });

  it("says so when the command does not exist", async () => {
    const result = await runProbe(probe({ command: { run: ["firedrill-no-such-command-xyz"] } }));
    expect(result.ok).toBe(false);
    expect(result.detail).toContain("command not found");
  });
});

describe("running a command", () => {
  it("matches an anchored pattern against output that ends in a newline", async () => {
    const result = await runProbe(
      probe({
        command: { run: "echo 'replicas: 3'", shell: true, outputMatches: "^replicas: 3$" },
      }),
    );
    expect(result).toMatchObject({ ok: true, detail: "exit 0" });
  });

  it("streams stdout and stderr as they arrive and keeps only the tail it is asked to", async () => {
    const chunks: { text: string; stream: string }[] = [];
    const script = "console.log('a'.repeat(5000)); console.error('err'); console.log('last')";
    const run = await runCommand([process.execPath, "-e", script], {
      timeoutMs: 10_000,
      keepChars: 100,
      onOutput: (text, stream) => chunks.push({ text, stream }),
    });
    expect(run).toMatchObject({ exitCode: 0, timedOut: false, cancelled: false });
    expect(chunks.some((c) => c.stream === "stderr" && c.text.startsWith("err"))).toBe(true);
    // Two pipes: which of `err` and `last` is read first is up to the scheduler. The combined
    // output is the tail of the chunks in the order they arrived, whichever that was.
    const arrived = chunks.map((c) => c.text).join("");
    expect(arrived.length).toBeGreaterThan(5000);
    expect(run.output).toBe(arrived.slice(-100));
    expect(run.output).toContain("last\n");
    expect(run.stdout.endsWith("aaa\nlast")).toBe(true);
    expect(run.stderr).toBe("err");
  });
});

async function closedPort(): Promise<number> {
  const probeServer = createTcpServer();
  await new Promise<void>((resolve) => probeServer.listen(0, "127.0.0.1", resolve));
  const port = (probeServer.address() as AddressInfo).port;
  await new Promise((resolve) => probeServer.close(resolve));
  return port;
}
