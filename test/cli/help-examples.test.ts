import { execFile, execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ProxyServer, startProxyServer } from "../../src/proxy/index.js";
import { journalLines } from "../history/journals.js";
import { firedrill } from "../support/cli.js";

/**
 * Every `$ firedrill …` line under "Examples:" in every command's --help, run as written in a
 * repository holding the sample scenarios and runbooks, a few journals and an answers.yaml.
 * The examples left out need what a test cannot have; each says why.
 */
const NOT_HERE: Record<string, string> = {
  "firedrill demo": "opens the TUI: needs a terminal (test/tui/e2e.test.ts)",
  "firedrill demo --scenario checkout-db-latency": "opens the TUI: needs a terminal",
  "firedrill demo --headless":
    "drills every sample for ~1 min: test/demo/demo-command.test.ts runs exactly that",
  "firedrill demo --headless --json | jq 'select(.type == \"drill\") | {scenario, ttr: .timings.ttr}'":
    "drills every sample for ~1 min: test/demo/demo-command.test.ts checks the drill lines' scenario and timings.ttr",
  "firedrill run checkout-db-latency": "opens the TUI: needs a terminal",
  "firedrill run checkout-db-latency --mode gameday --auto --url http://127.0.0.1:8474":
    "needs the scenario's services behind a Toxiproxy (the demo shop: test/demo)",
  "firedrill run checkout-db-latency --mode gameday --auto --json":
    "needs the scenario's services behind a Toxiproxy (the demo shop: test/demo)",
  "TOXIPROXY_URL=http://toxiproxy.staging:8474 firedrill run payments-provider-timeout":
    "a staging Toxiproxy and a terminal",
  "firedrill cleanup --url http://toxiproxy.staging:8474 --json": "a staging Toxiproxy",
  "firedrill join http://127.0.0.1:41234 --role facilitator --token 3q…":
    "a drill served with --share: test/share/share-cli.test.ts joins one",
  "firedrill join http://127.0.0.1:41234 --role observer --token Xk… | tee timeline.txt":
    "a drill served with --share: test/share/share-cli.test.ts joins one",
  'echo "action: page the DBA sooner" | firedrill join http://127.0.0.1:41234 --role scribe --token …':
    "a drill served with --share: test/share/share-cli.test.ts joins one",
};

/** Examples whose point is a failing exit: 1 is a finding, as documented. */
const FINDING: Record<string, string> = {
  "firedrill lint --review-max-age 90 --strict":
    "--strict fails on warnings, and the samples have some (scenarios not drilled lately)",
};

const COMMANDS = [
  "",
  "list",
  "lint",
  "schema",
  "run",
  "cleanup",
  "history",
  "report",
  "demo",
  "init",
  "join",
];

function examples(help: string): string[] {
  const at = help.indexOf("\nExamples:\n");
  if (at === -1) return [];
  return help
    .slice(at)
    .split("\n")
    .filter((line) => line.startsWith("  $ "))
    .map((line) =>
      line
        .slice(4)
        .split(/\s{2,}/)[0]!
        .trim(),
    );
}

let repo: string;
let bin: string;
let proxy: ProxyServer;
const all: string[] = [];

beforeAll(async () => {
  for (const command of COMMANDS) {
    const { stdout } = await firedrill(command ? [command, "--help"] : ["--help"]);
    all.push(...examples(stdout));
  }
  repo = mkdtempSync(join(tmpdir(), "firedrill-examples-"));
  bin = join(repo, ".bin");
  mkdirSync(bin);
  writeFileSync(
    join(bin, "firedrill"),
    `#!/bin/sh\nexec "${process.execPath}" "${resolve("dist/firedrill.js")}" "$@"\n`,
    {
      mode: 0o755,
    },
  );
  cpSync("scenarios", join(repo, "scenarios"), { recursive: true });
  cpSync("runbooks", join(repo, "runbooks"), { recursive: true });
  // `firedrill list ./drills`: "a directory holding scenarios/ and runbooks/"
  cpSync("scenarios", join(repo, "drills", "scenarios"), { recursive: true });
  cpSync("runbooks", join(repo, "drills", "runbooks"), { recursive: true });
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, stdio: "ignore" });
  git("init", "-q");
  git("-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false", "add", "-A");
  git(
    "-c",
    "user.name=t",
    "-c",
    "user.email=t@t",
    "-c",
    "commit.gpgsign=false",
    "commit",
    "-qm",
    "samples",
  );
  // A person's drill with commands typed off the runbook, then a later --auto run without any:
  // the drift example must still find the procedure's patch.
  const drills = join(repo, ".firedrill", "drills");
  mkdirSync(drills, { recursive: true });
  const common = {
    scenario: "checkout-db-latency",
    service: "checkout-api",
    owner: "team-checkout",
    procedure: "db-latency",
    targetTtr: 240_000,
  };
  writeFileSync(
    join(drills, "2026-03-01T10-00-00.000Z_checkout-db-latency_4cd0d23b.jsonl"),
    `${journalLines({
      ...common,
      drillId: "4cd0d23b",
      startedAt: "2026-03-01T10:00:00.000Z",
      responder: "alice",
      responderKind: "person",
      offRunbook: [
        { command: "curl -s http://127.0.0.1:18080/health | python3 -m json.tool", exitCode: 0 },
        { command: ["kubectl", "rollout", "restart", "deploy/checkout"], exitCode: 0 },
      ],
    }).join("\n")}\n`,
  );
  writeFileSync(
    join(drills, "2026-03-02T10-00-00.000Z_checkout-db-latency_77aa11bb.jsonl"),
    `${journalLines({
      ...common,
      drillId: "77aa11bb",
      startedAt: "2026-03-02T10:00:00.000Z",
      responder: "ci",
      responderKind: "auto",
      tta: 2,
      ttd: 1,
    }).join("\n")}\n`,
  );
  writeFileSync(
    join(repo, "answers.yaml"),
    [
      "actions:",
      "  - do: acknowledge",
      "    waitFor: fault.applied",
      "  - do: select",
      "    procedure: db-latency",
      "  - do: complete",
      "    step: check-status",
      "  - do: complete",
      "    step: failover",
      "",
    ].join("\n"),
  );
  proxy = await startProxyServer({ port: 0 });
});

afterAll(async () => {
  await proxy?.stop();
  rmSync(repo, { recursive: true, force: true });
});

function sh(command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      "bash",
      ["-o", "pipefail", "-c", command],
      {
        cwd: repo,
        timeout: 90_000,
        env: {
          ...process.env,
          PATH: `${bin}:${process.env.PATH}`,
          NO_COLOR: "1",
          FORCE_COLOR: undefined,
          TOXIPROXY_URL: proxy.url,
        },
      },
      (error, stdout, stderr) =>
        done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("--help examples work as written", () => {
  it("every command has examples, and each one left out says why", () => {
    expect(all.length).toBeGreaterThan(25);
    for (const example of Object.keys(NOT_HERE)) expect(all, example).toContain(example);
  });

  it("runs each of the others: exit 0, no error, no stack trace", {
    timeout: 240_000,
  }, async () => {
    // .ci/run installs jq; elsewhere the examples piping into it are left out, and say so.
    const jq = spawnSync("jq", ["--version"]).status === 0;
    if (!jq) console.warn("jq is not installed: the --help examples piping into jq are not run");
    const ran = [...new Set(all)].filter(
      (example) => !(example in NOT_HERE) && (jq || !example.includes("| jq")),
    );
    const failed: string[] = [];
    const check = async (example: string) => {
      const { code, stdout, stderr } = await sh(example);
      if (code !== (example in FINDING ? 1 : 0) || /firedrill: error| {4}at |^error:/m.test(stderr))
        failed.push(
          `${example}\n  exit ${code}\n  ${stdout.slice(0, 300)}\n  ${stderr.slice(0, 600)}`,
        );
    };
    // Those that only read, or write apart, three at a time; then those that change the
    // repository (the patch, init) and the demo shop, one by one.
    const last = (e: string) => /git apply|firedrill init|firedrill demo/.test(e);
    const queue = ran.filter((e) => !last(e));
    await Promise.all(
      [1, 2, 3].map(async () => {
        for (let e = queue.shift(); e !== undefined; e = queue.shift()) await check(e);
      }),
    );
    for (const example of ran.filter(last)) {
      await check(example);
      if (example.includes("git apply")) {
        const diff = execFileSync("git", ["diff", "--", "runbooks"], {
          cwd: repo,
          encoding: "utf8",
        });
        expect(diff).toContain("+        kind: check");
        expect(diff).toContain(
          '+        run: "curl -s http://127.0.0.1:18080/health | python3 -m json.tool"',
        );
        expect(diff).toContain("+        kind: action");
        expect(diff).toContain(
          '+        run: ["kubectl", "rollout", "restart", "deploy/checkout"]',
        );
      }
    }
    expect(failed).toEqual([]);
    expect(ran.length).toBeGreaterThan(15);
    if (jq)
      expect(ran).toContain(
        "firedrill report --latest --format json | jq '.drift[0].patch' -r | git apply",
      );
  });
});
