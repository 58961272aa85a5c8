import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { dial, isListening, Resources, roundTrip, startEcho } from "./helpers.js";

const CLI = "dist/firedrill.js";
const resources = new Resources();
afterEach(() => resources.closeAll());

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "firedrill-proxy-"));
  resources.add(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** Starts `firedrill proxy` and waits for its "API listening" line. */
async function startCli(
  args: string[],
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [CLI, "proxy", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  resources.add(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  let output = "";
  child.stderr?.on("data", (data: Buffer) => {
    output += data.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start line in: ${output}`)), 10_000);
    child.stdout?.on("data", (data: Buffer) => {
      output += data.toString();
      const match = /API listening(?: url=|","url":")(http:\/\/[^\s"]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once("exit", (code) => reject(new Error(`exited ${code}: ${output}`)));
  });
  return { child, url, output: () => output };
}

describe("firedrill proxy", () => {
  it("serves the API and the --config proxies, then exits cleanly on SIGTERM", async () => {
    const echo = await startEcho(resources);
    const config = tempFile(
      "toxiproxy.json",
      JSON.stringify([{ name: "echo", listen: "127.0.0.1:0", upstream: echo.address }]),
    );
    const { child, url, output } = await startCli(["--port", "0", "--config", config]);
    const proxies = (await (await fetch(`${url}/proxies`)).json()) as Record<
      string,
      { listen: string }
    >;
    const port = Number(proxies.echo!.listen.split(":").at(-1));
    const socket = await dial(resources, port);
    expect(await roundTrip(socket, "hello")).toBeLessThan(1_000);

    const toxic = await fetch(`${url}/proxies/echo/toxics`, {
      method: "POST",
      body: JSON.stringify({ type: "latency", attributes: { latency: 10 } }),
    });
    expect(toxic.status).toBe(200);

    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(output()).toContain("toxic added");
    expect(output()).toContain("shutting down signal=SIGTERM");
    expect(await isListening(Number(new URL(url).port))).toBe(false);
    expect(await isListening(port)).toBe(false);
  });

  it("stops on SIGINT too", async () => {
    const { child } = await startCli(["--port", "0", "--json"]);
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGINT");
    expect(await exited).toBe(0);
  });

  it("exits 2 with the address when the API port is taken", async () => {
    const echo = await startEcho(resources);
    const run = promisify(execFile);
    const failure = await run(process.execPath, [CLI, "proxy", "--port", String(echo.port)]).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toBe(
      `firedrill: cannot listen on 127.0.0.1:${echo.port}: address already in use\n`,
    );
  });

  it("rejects a broken config with file:line:col and exit 2", async () => {
    const config = tempFile(
      "bad.json",
      '[\n  {"name": "x", "upstream": "127.0.0.1:1"},\n  {"name": 5}\n]\n',
    );
    const run = promisify(execFile);
    const failure = await run(process.execPath, [
      CLI,
      "proxy",
      "--port",
      "0",
      "--config",
      config,
    ]).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain(
      `${config}:3:3: proxy 2: field name must be a string`,
    );
    expect((failure as { stderr: string }).stderr).not.toContain("    at ");
  });
});

describe("firedrill proxy's command line", () => {
  it("takes --flag=value forms, and leaves help and mistakes to the usual parser", async () => {
    const started = await startCli(["--port=0", "--host=127.0.0.1", "--json"]);
    expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(started.output()).toMatch(/^\{"time":/);

    const run = promisify(execFile);
    const help = await run(process.execPath, [CLI, "proxy", "--help"]);
    expect(help.stdout).toContain("Usage: firedrill proxy [options]");
    const typo = await run(process.execPath, [CLI, "proxy", "--prot", "0"]).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(typo).toMatchObject({ code: 2 });
    expect((typo as { stderr: string }).stderr).toContain("unknown option '--prot'");
    const missing = await run(process.execPath, [CLI, "proxy", "--port"]).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(missing).toMatchObject({ code: 2 });
    expect((missing as { stderr: string }).stderr).toContain("argument missing");
  });
});

describe("firedrill proxy --config", () => {
  it("names the proxy whose listen address is taken", async () => {
    const taken = await startEcho(resources);
    const config = tempFile(
      "toxiproxy.json",
      JSON.stringify([{ name: "redis", listen: taken.address, upstream: "127.0.0.1:6379" }]),
    );
    const run = promisify(execFile);
    const failure = await run(process.execPath, [
      CLI,
      "proxy",
      "--port",
      "0",
      "--config",
      config,
    ]).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toBe(
      `firedrill: proxy redis: listen tcp ${taken.address}: bind: address already in use\n`,
    );
  });
});
