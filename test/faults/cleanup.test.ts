import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createFaultBackend,
  findLeftovers,
  ToxiproxyApi,
  writeLedger,
} from "../../src/faults/index.js";
import { Fault, Scenario } from "../../src/model/scenario.js";
import { closedPort, type RunningToxiproxy, startToxiproxy } from "./toxiproxy-server.js";

const run = promisify(execFile);
const CLI = join(process.cwd(), "dist/firedrill.js");

let dir: string;
let ledgerDir: string;
let toxiproxy: RunningToxiproxy;
let api: ToxiproxyApi;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "firedrill-cleanup-"));
  ledgerDir = join(dir, "run");
  mkdirSync(ledgerDir);
  toxiproxy = await startToxiproxy();
  api = new ToxiproxyApi(toxiproxy.url);
});

afterEach(async () => {
  await toxiproxy.close();
  rmSync(dir, { recursive: true, force: true });
});

async function firedrill(...args: string[]) {
  try {
    const env = { ...process.env };
    delete env.TOXIPROXY_URL;
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { cwd: dir, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Leaves what a crashed drill would: a created proxy with a toxic, a toxic on a user's proxy. */
async function leaveLeftovers(): Promise<void> {
  await api.createProxy({
    name: "users",
    listen: "127.0.0.1:0",
    upstream: "127.0.0.1:9",
    enabled: true,
  });
  const scenario = Scenario.parse({
    id: "s",
    title: "t",
    service: "svc",
    targets: { ttr: "5m" },
    briefing: "b",
    proxies: [{ name: "db", upstream: "127.0.0.1:9" }],
    faults: [
      { proxy: "db", toxic: "latency", attributes: { latency: 800 } },
      { proxy: "users", toxic: "timeout", attributes: { timeout: 100 } },
    ],
  });
  const crashed = createFaultBackend({
    drillId: "crashed",
    mode: "gameday",
    toxiproxyUrl: toxiproxy.url,
    // a ledger somewhere else: cleanup must find these by name alone
    ledgerPath: join(dir, "elsewhere", "crashed.ledger.json"),
  });
  await crashed.prepare(scenario);
  for (const [index, fault] of scenario.faults.entries()) await crashed.apply(index, fault);
}

describe("firedrill cleanup", () => {
  it("removes firedrill toxics and the proxies firedrill created, and leaves the rest", async () => {
    await leaveLeftovers();
    await api.addToxic("users", {
      name: "mine",
      type: "latency",
      stream: "downstream",
      toxicity: 1,
      attributes: { latency: 1 },
    });
    const { code, stdout } = await firedrill(
      "cleanup",
      "--url",
      toxiproxy.url,
      "--ledger-dir",
      ledgerDir,
    );
    expect(code).toBe(0);
    expect(stdout).toContain("removed proxy db (");
    expect(stdout).toContain("created by drill crashed)");
    expect(stdout).toContain("removed toxic firedrill.crashed.1 (timeout) from users");
    expect(await api.proxy("db")).toBeUndefined();
    expect((await api.proxy("users"))?.toxics.map((t) => t.name)).toEqual(["mine"]);

    const again = await firedrill("cleanup", "--url", toxiproxy.url, "--ledger-dir", ledgerDir);
    expect(again).toMatchObject({
      stderr: "",
      code: 0,
      stdout: `nothing to clean up at ${toxiproxy.url}\n`,
    });
  });

  it("only lists with --dry-run, and reports JSON with --json", async () => {
    await leaveLeftovers();
    const dry = await firedrill(
      "cleanup",
      "--url",
      toxiproxy.url,
      "--dry-run",
      "--ledger-dir",
      ledgerDir,
    );
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("would remove toxic firedrill.crashed.1");
    expect((await findLeftovers(toxiproxy.url)).toxics).toHaveLength(1);

    const json = await firedrill(
      "cleanup",
      "--url",
      toxiproxy.url,
      "--json",
      "--ledger-dir",
      ledgerDir,
    );
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({
      url: toxiproxy.url,
      dryRun: false,
      proxies: [
        { proxy: "db", drillId: "crashed" },
        { proxy: "firedrill-claim.db", drillId: "crashed" },
        { proxy: "firedrill-claim.users", drillId: "crashed" },
      ],
      toxics: [
        { proxy: "users", toxic: "firedrill.crashed.1", type: "timeout", drillId: "crashed" },
      ],
      errors: [],
    });
  });

  it("reverts what a dead drill's ledger holds, command faults included, but not a running drill's", async () => {
    const marks = join(dir, "marks.txt");
    const revert = [
      process.execPath,
      "-e",
      `require('fs').appendFileSync(${JSON.stringify(marks)}, 'reverted\\n')`,
    ];
    writeLedger(join(ledgerDir, "dead.ledger.json"), {
      version: 1,
      drillId: "dead",
      pid: 2 ** 22 + 12345, // above Linux's pid_max: never alive
      faults: [
        {
          index: 0,
          label: "run: scale down",
          backend: "command",
          appliedAt: new Date().toISOString(),
          revert: { kind: "command", command: revert, shell: false, timeoutMs: 5000, cwd: dir },
        },
      ],
      createdProxies: [],
    });
    const live = createFaultBackend({
      drillId: "live",
      mode: "gameday",
      toxiproxyUrl: toxiproxy.url,
      ledgerPath: join(ledgerDir, "live.ledger.json"),
    });
    await api.createProxy({
      name: "web",
      listen: "127.0.0.1:0",
      upstream: "127.0.0.1:9",
      enabled: true,
    });
    await live.apply(0, Fault.parse({ proxy: "web", toxic: "latency" }));

    const { code, stdout } = await firedrill(
      "cleanup",
      "--url",
      toxiproxy.url,
      "--ledger-dir",
      ledgerDir,
    );
    expect(code).toBe(0);
    expect(stdout).toContain("reverted run: scale down (drill dead");
    expect(stdout).toContain(`left drill live alone: it is still running (pid ${process.pid})`);
    expect(readFileSync(marks, "utf8")).toBe("reverted\n");
    expect(existsSync(join(ledgerDir, "dead.ledger.json"))).toBe(false);
    expect((await api.proxy("web"))?.toxics.map((t) => t.name)).toEqual(["firedrill.live.0"]);
    await live.dispose();
  });

  it("exits 2 with the reason, in run's words, when Toxiproxy cannot be reached", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const { code, stdout, stderr } = await firedrill(
      "cleanup",
      "--url",
      url,
      "--ledger-dir",
      ledgerDir,
    );
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      `firedrill: cannot reach Toxiproxy at ${url}: connection refused (is Toxiproxy or \`firedrill proxy\` running?)\n`,
    );
  });

  it("refuses a --url outside the config's allow-list, touching nothing (exit 2)", async () => {
    await leaveLeftovers();
    writeFileSync(join(dir, "firedrill.config.yaml"), "allowHosts: [localhost]\n");
    const { code, stdout, stderr } = await firedrill(
      "cleanup",
      "--url",
      toxiproxy.url,
      "--ledger-dir",
      ledgerDir,
    );
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(
      `firedrill: refusing to clean up at ${toxiproxy.url}: 127.0.0.1 is not in the config's allowHosts (localhost)`,
    );
    expect((await findLeftovers(toxiproxy.url)).toxics).toHaveLength(1);
  });

  it("cleans the config's toxiproxyUrl when no --url is given", async () => {
    await leaveLeftovers();
    writeFileSync(join(dir, "firedrill.config.yaml"), `toxiproxyUrl: ${toxiproxy.url}\n`);
    const { code, stdout } = await firedrill("cleanup", "--ledger-dir", ledgerDir);
    expect(code, stdout).toBe(0);
    expect(stdout).toContain("removed toxic firedrill.crashed.1 (timeout) from users");
    expect(await findLeftovers(toxiproxy.url)).toMatchObject({ toxics: [], proxies: [] });
  });
});
