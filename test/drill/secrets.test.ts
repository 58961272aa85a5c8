// biome-ignore-all lint/suspicious/noTemplateCurlyInString: scenarios and runbooks with ${VAR} references
import { randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ProxyServer } from "../../src/proxy/index.js";
import {
  type DepRig,
  firedrill,
  NODE,
  type Service,
  startDepRig,
  until,
  writeDrill,
} from "./harness.js";

// A secret in every field a drill can write or print: a step command's argv and output (long
// enough that the journal's 2,000-character tail cuts through the token), a script note, a command
// fault's label and its failing stderr, a command probe's detail, a probe URL's token= query, the
// scenario title, the ledger and the watchdog log. None of it may reach a file or a stream.

const TOKEN = `ghp_${randomBytes(18).toString("hex")}`;
const DB_PASSWORD = `hunter2-${randomBytes(4).toString("hex")}`;
const DATABASE_URL = `postgres://drill:${DB_PASSWORD}@db.internal:5432/app`;
const LITERAL_PASSWORD = "s3cr3t-literal-pw";
const LITERAL_QUERY = "qs-literal-5ecret";
const SECRET_ENV = { GITHUB_TOKEN: TOKEN, DATABASE_URL };

/** What must never be seen: each secret whole, and the pieces a truncation could leave. */
const FORBIDDEN = [
  TOKEN,
  TOKEN.slice(-8),
  TOKEN.slice(0, 12),
  DB_PASSWORD,
  LITERAL_PASSWORD,
  LITERAL_QUERY,
];

let dir: string;
let proxy: ProxyServer;
let service: Service;
let rig: DepRig;
let api: Server;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "firedrill-secrets-"));
  rig = await startDepRig();
  ({ proxy, service } = rig);
  const { proxyPort } = rig;
  api = createServer((_req, res) => res.end("ok"));
  await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
  const apiPort = (api.address() as { port: number }).port;
  writeSecretDrill(
    writeDrill(dir, { servicePort: service.port, proxyPort, depPort: service.dep }),
    apiPort,
  );
});

afterEach(async () => {
  await rig.stop();
  await new Promise((resolve) => api.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** The harness's drill, with `${GITHUB_TOKEN}` and `${DATABASE_URL}` wherever a value can go. */
function writeSecretDrill(scenarioFile: string, apiPort: number): void {
  const scenario = JSON.parse(readFileSync(scenarioFile, "utf8"));
  scenario.title = "Service dependency answers slowly (db ${DATABASE_URL})";
  // preflight must not refuse the drill because a loaded machine answered late
  scenario.probes[0].timeout = "5s";
  scenario.faults.push(
    {
      // fails, printing the secrets on stderr; its label is shortened right through the token
      at: "200ms",
      command: {
        shell: true,
        inject: 'echo "token for the drill: ${GITHUB_TOKEN} db ${DATABASE_URL}" >&2; exit 4',
        revert: "true",
      },
    },
    {
      // applied (the ledger holds it); its revert needs the token back from the environment
      at: "300ms",
      name: "flag ${GITHUB_TOKEN}",
      command: {
        inject: [NODE, "-e", "require('fs').writeFileSync('fault-on', '')", "${GITHUB_TOKEN}"],
        revert: [
          NODE,
          "-e",
          "const fs = require('fs'); fs.writeFileSync('reverted', process.argv[1] === process.env.GITHUB_TOKEN ? 'ok' : 'wrong'); fs.rmSync('fault-on', { force: true })",
          "${GITHUB_TOKEN}",
        ],
      },
    },
  );
  scenario.probes.push(
    {
      name: "vault",
      every: "200ms",
      // node's start-up alone can take a second on a loaded machine
      timeout: "5s",
      command: {
        run: [
          NODE,
          "-e",
          "if (require('fs').existsSync('fault-on')) { console.error('vault ' + process.env.DATABASE_URL + ' ' + process.argv[1]); process.exit(3) }",
          "${GITHUB_TOKEN}",
        ],
      },
    },
    {
      name: "api",
      every: "500ms",
      timeout: "5s",
      http: {
        url: `http://127.0.0.1:${apiPort}/ok?token=\${GITHUB_TOKEN}&access_token=${LITERAL_QUERY}`,
      },
    },
  );
  writeFileSync(scenarioFile, JSON.stringify(scenario, null, 2));

  const runbookFile = join(dir, "runbooks", "svc.yaml");
  const runbook = JSON.parse(readFileSync(runbookFile, "utf8"));
  const status = runbook.procedures[0].steps[0];
  status.run = [
    NODE,
    "-e",
    // the token ends 10 characters into the journal's 2,000-character tail
    "console.log('db ' + process.env.DATABASE_URL); console.log(process.argv[1] + 'y'.repeat(1990))",
    "${GITHUB_TOKEN}",
  ];
  writeFileSync(runbookFile, JSON.stringify(runbook, null, 2));

  writeFileSync(
    join(dir, "script.yaml"),
    JSON.stringify({
      actions: [
        { do: "acknowledge", waitFor: "fault.failed" },
        {
          do: "note",
          text: `pasted ${TOKEN}, ${DATABASE_URL} and https://ana:${LITERAL_PASSWORD}@example.internal/`,
        },
        { do: "select", procedure: "dep-slow" },
        { do: "run", step: "status", complete: true },
        { do: "wait", at: "1500ms" },
        { do: "abort", reason: `done with ${TOKEN}` },
      ],
    }),
  );
}

const run = (...extra: string[]) =>
  firedrill(
    [
      "run",
      "svc-dep-latency",
      "--mode",
      "gameday",
      "--url",
      proxy.url,
      "--responder",
      "ci",
      "--script",
      "script.yaml",
      ...extra,
    ],
    dir,
    SECRET_ENV,
  ).done;

/** Every file the drills wrote: all of the work dir but the inputs the test wrote. */
function writtenFiles(): string[] {
  const inputs = new Set(["scenarios", "runbooks", "script.yaml", "hold.yaml"]);
  const walk = (at: string): string[] =>
    readdirSync(at, { withFileTypes: true }).flatMap((entry) => {
      const path = join(at, entry.name);
      if (at === dir && inputs.has(entry.name)) return [];
      return entry.isDirectory() ? walk(path) : [path];
    });
  return walk(dir);
}

function expectNoSecret(where: string, text: string): void {
  for (const secret of FORBIDDEN) {
    expect(text.includes(secret), `${where} shows ${JSON.stringify(secret)}`).toBe(false);
  }
}

function expectOwnerOnly(): void {
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      const mode = statSync(path).mode & 0o777;
      expect(mode, `mode of ${relative(dir, path)}`).toBe(entry.isDirectory() ? 0o700 : 0o600);
      if (entry.isDirectory()) walk(path);
    }
  };
  expect(statSync(join(dir, ".firedrill")).mode & 0o777).toBe(0o700);
  walk(join(dir, ".firedrill"));
}

describe("a secret in every field", () => {
  it("is in no file written and on no stream: run, run --json, every report", async () => {
    const plain = await run();
    expect(plain.stderr).not.toContain("internal error");
    expect(plain.code, `${plain.stdout}\n${plain.stderr}`).toBe(1);
    expect(plain.stdout).toContain("probe api");
    expect(plain.stdout).toContain("token=[redacted GITHUB_TOKEN]");
    expect(readFileSync(join(dir, "reverted"), "utf8")).toBe("ok");
    const json = await run("--json");
    expect(json.code, `${json.stdout}\n${json.stderr}`).toBe(1);

    const journals = readdirSync(join(dir, ".firedrill", "drills"));
    expect(journals).toHaveLength(2);
    const events = json.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { type: string; event?: { type: string } });
    // The fields the secrets went through are there, redacted, not missing.
    const seen = new Set(events.map((e) => e.event?.type));
    for (const type of ["fault.failed", "fault.applied", "probe.result", "note", "command.ran"]) {
      expect(seen, type).toContain(type);
    }
    expect(json.stdout).toContain("[redacted GITHUB_TOKEN]");
    expect(json.stdout).toContain("[redacted DATABASE_URL]");

    const reports = join(dir, "reports");
    const journal = join(dir, ".firedrill", "drills", journals[0] ?? "");
    const streams: [string, string][] = [
      ["run stdout", plain.stdout],
      ["run stderr", plain.stderr],
      ["run --json stdout", json.stdout],
      ["run --json stderr", json.stderr],
    ];
    for (const format of ["md", "html", "json", "csv", "junit"]) {
      const target = format === "md" || format === "html" ? [journal] : [];
      const out = join(reports, `report.${format}`);
      const report = await firedrill(
        ["report", ...target, "--format", format, "--out", out],
        dir,
        SECRET_ENV,
      ).done;
      expect(report.code, report.stderr).toBe(0);
      streams.push([`report ${format} stderr`, report.stderr]);
    }
    const latest = await firedrill(["report", "--latest"], dir, SECRET_ENV).done;
    expect(latest.code, latest.stderr).toBe(0);
    streams.push(["report --latest stdout", latest.stdout]);

    for (const [where, text] of streams) expectNoSecret(where, text);
    const files = writtenFiles();
    expect(files.map((f) => relative(dir, f))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\.firedrill\/drills\/.*\.jsonl$/),
        "reports/report.md",
        "reports/report.html",
        "reports/report.json",
        "reports/report.csv",
        "reports/report.junit",
      ]),
    );
    for (const file of files) expectNoSecret(relative(dir, file), readFileSync(file, "utf8"));
    expectOwnerOnly();
  }, 60_000);

  it("is not in the ledger nor the watchdog log after kill -9, and the revert still gets it", async () => {
    // a responder who only acknowledges: the drill runs until it is killed
    writeFileSync(join(dir, "hold.yaml"), JSON.stringify({ actions: [{ do: "acknowledge" }] }));
    const drill = firedrill(
      [
        "run",
        "svc-dep-latency",
        "--mode",
        "gameday",
        "--url",
        proxy.url,
        "--responder",
        "ci",
        "--script",
        "hold.yaml",
        "--json",
      ],
      dir,
      SECRET_ENV,
    );
    const run = join(dir, ".firedrill", "run");
    const ledgerFile = () =>
      existsSync(run) ? readdirSync(run).find((name) => name.endsWith(".ledger.json")) : undefined;
    // fault 2 (the flag) landed: it is in the ledger (written ahead), with its revert command
    const landed = () => existsSync(join(dir, "fault-on")) && ledgerFile() !== undefined;
    let exited = false;
    void drill.done.then(() => {
      exited = true;
    });
    await until(() => landed() || exited, "the flag fault to be applied", 15_000);
    expect(exited, `the drill ended first:\n${drill.stdout.join("")}`).toBe(false);
    const ledger = readFileSync(join(run, ledgerFile() ?? ""), "utf8");
    expectNoSecret("ledger", ledger);
    expect(ledger).toContain("${GITHUB_TOKEN}");
    drill.child.kill("SIGKILL");
    await drill.done;

    const logText = () => {
      const log = readdirSync(run).find((name) => name.endsWith(".watchdog.log"));
      return log ? readFileSync(join(run, log), "utf8") : "";
    };
    // the watchdog removes the emptied ledger, then logs what it reverted
    await until(
      () => ledgerFile() === undefined && logText().includes("reverted flag"),
      "the watchdog to revert the flag",
      10_000,
    );
    expect(readFileSync(join(dir, "reverted"), "utf8")).toBe("ok");
    expect(existsSync(join(dir, "fault-on"))).toBe(false);
    const text = logText();
    expect(text).toContain("reverted flag [redacted GITHUB_TOKEN]");
    expectNoSecret("watchdog log", text);
    expectOwnerOnly();
  }, 45_000);

  it("is not in a report of a journal an older firedrill wrote unredacted", async () => {
    const drills = join(dir, ".firedrill", "drills");
    mkdirSync(drills, { recursive: true });
    const lines = [
      {
        type: "header",
        schema: 1,
        drillId: "0ld0ld00",
        startedAt: "2026-11-25T01:02:03.123Z",
        firedrillVersion: "0.0.9",
        mode: "gameday",
        responder: "ci",
        scenario: { id: "svc-dep-latency", title: `db ${DATABASE_URL}`, service: "svc" },
        targets: { ttr: 30_000 },
      },
      {
        type: "event",
        t: 0,
        at: "2026-11-25T01:02:03.123Z",
        event: { type: "drill.started", mode: "gameday", responder: "ci" },
      },
      {
        type: "event",
        t: 10,
        at: "2026-11-25T01:02:03.133Z",
        event: { type: "note", text: `token ${TOKEN} pw ${DB_PASSWORD}` },
      },
      {
        type: "event",
        t: 20,
        at: "2026-11-25T01:02:03.143Z",
        event: {
          type: "command.ran",
          command: ["psql", DATABASE_URL],
          exitCode: 0,
          durationMs: 5,
          offRunbook: true,
          outputTail: `…${TOKEN.slice(-9)}`,
        },
      },
      {
        type: "event",
        t: 30,
        at: "2026-11-25T01:02:03.153Z",
        event: { type: "aborted", by: "ci", reason: `by ${TOKEN}` },
      },
      {
        type: "summary",
        endedAt: "2026-11-25T01:02:04.000Z",
        outcome: "aborted",
        timings: { ttd: null, tta: null, ttm: null, ttr: null },
        withinTarget: false,
        score: 0,
        grade: "F",
        breakdown: [],
      },
    ];
    const journal = join(drills, "2026-11-25T01-02-03.123Z_svc-dep-latency_0ld0ld00.jsonl");
    writeFileSync(journal, lines.map((line) => `${JSON.stringify(line)}\n`).join(""));
    for (const format of ["md", "html", "json", "csv", "junit"]) {
      const target = format === "md" || format === "html" ? [journal] : [];
      const out = join(dir, "reports", `old.${format}`);
      const report = await firedrill(
        ["report", ...target, "--format", format, "--out", out],
        dir,
        SECRET_ENV,
      ).done;
      expect(report.code, report.stderr).toBe(0);
      expectNoSecret(`report ${format} stderr`, report.stderr);
      const text = readFileSync(out, "utf8");
      // junit carries only the scenario id and timings
      if (format !== "junit") expect(text, format).toContain("[redacted");
      expectNoSecret(`report ${format}`, text);
    }
    const stdout = await firedrill(["report", journal], dir, SECRET_ENV).done;
    expect(stdout.stdout).toContain("[redacted GITHUB_TOKEN]");
    expectNoSecret("report stdout", stdout.stdout);
  }, 30_000);

  it("is not in an error message", async () => {
    const missing = await firedrill(["run", `scenarios/${TOKEN}.yaml`, "--auto"], dir, SECRET_ENV)
      .done;
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("[redacted GITHUB_TOKEN]");
    expectNoSecret("stderr", missing.stderr);
  });
});
