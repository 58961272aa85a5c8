/**
 * Many live connections while toxics come and go: the API stays responsive and every connection
 * keeps echoing its own bytes. The proxy runs as `firedrill proxy` in its own process, as in use,
 * so the clients and the echo server in this one do not compete with its event loop.
 */
import { spawn } from "node:child_process";
import type { Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { afterEach, describe, expect, it } from "vitest";
import { dial, Resources, readBytes, startEcho } from "./helpers.js";

const resources = new Resources();
afterEach(() => resources.closeAll());

const CONNECTIONS = 2_000;
const ROUNDS = 20;

/** `firedrill proxy --port 0` from the bundle; answers its API URL. */
async function startCliProxy(): Promise<string> {
  const child = spawn(process.execPath, ["dist/firedrill.js", "proxy", "--port", "0"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  resources.add(() => {
    child.kill("SIGKILL");
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start line in: ${output}`)), 10_000);
    child.stdout.on("data", (data: Buffer) => {
      output += data.toString();
      const url = /API listening url=(\S+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    });
    child.once("exit", (code) => reject(new Error(`exited ${code}: ${output}`)));
  });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

describe("under load", () => {
  it("keeps 2,000 connections intact and the API responsive while toxics are added and removed in a loop", async () => {
    const url = await startCliProxy();
    const echo = await startEcho(resources);
    const created = await fetch(`${url}/proxies`, {
      method: "POST",
      body: JSON.stringify({ name: "load", listen: "127.0.0.1:0", upstream: echo.address }),
    });
    const port = Number(((await created.json()) as { listen: string }).listen.split(":").at(-1));
    const sockets: Socket[] = [];
    for (let i = 0; i < CONNECTIONS; i += 200) {
      sockets.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(200, CONNECTIONS - i) }, () => dial(resources, port)),
        )),
      );
    }

    // Every connection sends its own number and expects it back, wave after wave.
    let stop = false;
    let waves = 0;
    const traffic = (async () => {
      while (!stop) {
        await Promise.all(
          sockets.map(async (socket, i) => {
            const message = `${i}`.padStart(6, "0");
            const echoed = readBytes(socket, message.length, 20_000);
            socket.write(message);
            expect((await echoed).toString()).toBe(message);
          }),
        );
        waves++;
      }
    })();

    const apiTimes: number[] = [];
    const call = async (method: string, path: string, body?: unknown) => {
      const started = performance.now();
      const response = await fetch(url + path, {
        method,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      await response.arrayBuffer();
      apiTimes.push(performance.now() - started);
      return response.status;
    };
    for (let round = 0; round < ROUNDS; round++) {
      expect(
        await call("POST", "/proxies/load/toxics", {
          name: "lag",
          type: "latency",
          attributes: { latency: 1, jitter: 1 },
        }),
      ).toBe(200);
      expect(
        await call("POST", "/proxies/load/toxics", {
          name: "slice",
          type: "slicer",
          stream: "upstream",
          attributes: { average_size: 2, size_variation: 1 },
        }),
      ).toBe(200);
      expect(await call("GET", "/proxies/load")).toBe(200);
      expect(await call("DELETE", "/proxies/load/toxics/lag")).toBe(204);
      expect(await call("DELETE", "/proxies/load/toxics/slice")).toBe(204);
    }
    stop = true;
    await traffic;

    expect(waves).toBeGreaterThan(0);
    process.stderr.write(
      `${CONNECTIONS} connections: ${waves} waves, API p50 ${percentile(apiTimes, 50).toFixed(0)} ms, p99 ${percentile(apiTimes, 99).toFixed(0)} ms\n`,
    );
    // A drill's revert gives up after 5 s. Quiet, this is tens of ms; the bound leaves room for a
    // 2-core machine shared with other test runs (seen up to 1.8 s at load average 12).
    expect(percentile(apiTimes, 99)).toBeLessThan(3_000);
    const left = await fetch(`${url}/proxies/load/toxics`);
    expect(await left.json()).toEqual([]);
  }, 120_000);
});
