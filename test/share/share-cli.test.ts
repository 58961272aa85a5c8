import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, firedrill } from "../support/cli.js";
import { until } from "../support/until.js";

let dir: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "firedrill-share-cli-"));
  cpSync("runbooks", join(dir, "runbooks"), { recursive: true });
  // The fault is due in 10 minutes: only the facilitator's inject can bring it in time.
  const scenario = readFileSync("scenarios/checkout-db-latency.yaml", "utf8").replace(
    "at: 5s",
    "at: 10m",
  );
  cpSync("scenarios", join(dir, "scenarios"), { recursive: true });
  writeFileSync(join(dir, "scenarios/checkout-db-latency.yaml"), scenario);
  writeFileSync(
    join(dir, "answers.yaml"),
    [
      "responder: ana",
      "actions:",
      "  - do: acknowledge",
      "    waitFor: fault.applied",
      "  - do: select",
      "    procedure: db-latency",
      "  - do: complete",
      "    step: failover",
      "    waitFor: note",
      "",
    ].join("\n"),
  );
});

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function start(args: string[]): Running {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: "1" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  children.push(child);
  let out = "";
  let err = "";
  child.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

describe("firedrill run --share and firedrill join (plain)", () => {
  it("the facilitator reveals and injects, the responder's drill takes it, the observer sees who did what, the scribe's action item reaches the report", async () => {
    const run = start([
      "run",
      "checkout-db-latency",
      "--mode",
      "tabletop",
      "--script",
      "answers.yaml",
      "--share",
    ]);
    await until(() => /--role scribe --token \S+\n/.test(run.stderr()), "the join lines", 15_000);
    const joinLines = run.stderr().match(/firedrill join \S+ --role \w+ --token \S+/g) ?? [];
    expect(joinLines).toHaveLength(3);
    const [url, tokens] = [
      joinLines[0]?.split(" ")[2] ?? "",
      Object.fromEntries(
        joinLines.map((l) => {
          const parts = l.split(" ");
          return [parts[4], parts[6]];
        }),
      ) as Record<string, string>,
    ];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const observer = start(["join", url, "--role", "observer", "--token", tokens.observer ?? ""]);
    await until(() => observer.stdout().includes("drill started"), "the observer joined", 15_000);
    const facilitator = start([
      "join",
      url,
      "--role",
      "facilitator",
      "--token",
      tokens.facilitator ?? "",
    ]);
    facilitator.child.stdin?.write("reveal\ninject\n");
    await until(() => facilitator.stderr().includes("inject: done"), "the inject", 15_000);
    const scribe = start(["join", url, "--role", "scribe", "--token", tokens.scribe ?? ""]);
    scribe.child.stdin?.write("action: the alert should name the pool\n");

    expect(await run.exit).toBe(0);
    for (const c of [observer, facilitator, scribe]) expect(await c.exit).toBe(0);
    const timeline = observer.stdout();
    expect(timeline).toMatch(/facilitator: alert: CheckoutHealthFailing/);
    expect(timeline).toMatch(/facilitator: fault applied: primary disk saturated/);
    expect(timeline).toMatch(/responder: acknowledged by ana/);
    expect(timeline).toMatch(/scribe: action item: the alert should name the pool/);
    expect(timeline).toMatch(/drill over: recovered within target/);
    // The responder's own log shows the facilitator's moves as they happened.
    expect(run.stdout()).toMatch(/alert: CheckoutHealthFailing[\s\S]*fault applied: primary/);

    const report = await firedrill(["report", "--latest", "--format", "md"], { cwd: dir });
    expect(report.code).toBe(0);
    expect(report.stdout).toMatch(
      /- \[ \] the alert should name the pool \(scribe, at \+[\d.]+m?s\)/,
    );
    expect(report.stdout).toMatch(/\| facilitator \| fault applied: primary disk saturated/);
  }, 60_000);

  it("a wrong token is refused with exit 2; --share-port needs --share; --share refuses --facilitator", async () => {
    const run = start([
      "run",
      "checkout-db-latency",
      "--mode",
      "tabletop",
      "--script",
      "answers.yaml",
      "--share",
    ]);
    await until(() => /--role scribe --token \S+\n/.test(run.stderr()), "the join lines", 15_000);
    const url = run.stderr().match(/http:\/\/127\.0\.0\.1:\d+/)?.[0] ?? "";
    const wrong = await firedrill(["join", url, "--role", "observer", "--token", "nope"], {
      cwd: dir,
    });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("the drill refused the token (401): check --token and --role");
    run.child.kill("SIGTERM");
    expect(await run.exit).toBe(143);
    const usage = await firedrill(["run", "checkout-db-latency", "--auto", "--share-port", "9"], {
      cwd: dir,
    });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--share-port and --share-host need --share");
    const both = await firedrill(["run", "checkout-db-latency", "--share", "--facilitator"], {
      cwd: dir,
    });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain(
      "with --share the facilitator joins with the facilitator's join line",
    );
  }, 60_000);
});
