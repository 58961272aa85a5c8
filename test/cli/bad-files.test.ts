import { execFile, execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLI, type CliResult, firedrill } from "../support/cli.js";

// Workspaces with one good scenario and bad files beside it: each bad file gets a located error,
// and none of them stops the good scenario from being listed, linted or run.
const roots: string[] = [];
afterAll(() => {
  for (const root of roots) {
    chmodSync(root, 0o700);
    rmSync(root, { recursive: true, force: true });
  }
});

const RUNBOOK = `service: svc
owner: team-svc
procedures:
  - id: fix
    title: Fix
    steps:
      - { id: look, kind: check, title: Look }
`;

function scenario(id: string, extra = "", service = "svc"): string {
  return `id: ${id}
title: Scenario ${id}
service: ${service}
modes: [tabletop]
targets: { ttr: 1m }
briefing: b
faults:
  - command: { inject: "true", revert: "true", shell: true }
${extra}`;
}

/** A fresh workspace: runbooks/svc.yaml, scenarios/good.yaml, abort.yaml, and `files`. */
function workspace(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "firedrill-bad-files-"));
  roots.push(dir);
  const all = {
    "runbooks/svc.yaml": RUNBOOK,
    "scenarios/good.yaml": scenario("good"),
    "abort.yaml": "actions:\n  - do: abort\n",
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const runGood = (dir: string) =>
  firedrill(
    ["run", "good", "--mode", "tabletop", "--script", "abort.yaml", "--journal-dir", "journals"],
    { cwd: dir },
  );

/** No raw control character reaches the terminal, whatever the files say. */
function expectNoControls(result: CliResult): void {
  const control = (char: string) => {
    const c = char.codePointAt(0) ?? 0;
    return (
      (c < 0x20 && c !== 0x09 && c !== 0x0a) ||
      (c >= 0x7f && c <= 0x9f) ||
      (c >= 0x202a && c <= 0x202e) ||
      (c >= 0x2066 && c <= 0x2069)
    );
  };
  expect([...result.stdout].filter(control)).toEqual([]);
  expect([...result.stderr].filter(control)).toEqual([]);
}

describe("deeply nested files", () => {
  // 2,000 levels of block mappings indented one space each are 2 MB, over the 1 MiB file cap
  // (test/model/nesting.test.ts parses those); compact block sequences are 4 KB.
  const block = `tags:\n${"- ".repeat(2000)}x\n`;
  const dir = workspace({
    "scenarios/deep-flow.yaml": scenario(
      "deep-flow",
      `tags: ${"[".repeat(5000)}${"]".repeat(5000)}\n`,
    ),
    "scenarios/deep-block.yaml": scenario("deep-block", block),
  });

  it("lint names each at file:line:col and exits 1, not 70", async () => {
    const { code, stdout, stderr } = await firedrill(["lint"], { cwd: dir });
    expect(stderr).not.toContain("internal error");
    expect(code).toBe(1);
    expect(stdout).toMatch(/scenarios\/deep-flow\.yaml:9:\d+: nesting deeper than 64 levels/);
    expect(stdout).toMatch(/scenarios\/deep-block\.yaml:\d+:\d+: nesting deeper than 64/);
  });

  it("list still lists the good scenario", async () => {
    const { stdout, stderr } = await firedrill(["list"], { cwd: dir });
    expect(stdout).toMatch(/^good\s+Scenario good/m);
    expect(stderr).toMatch(/nesting deeper than 64 levels/);
    expect(stderr).not.toContain("internal error");
  });

  it("run of another scenario works", async () => {
    const { code, stdout, stderr } = await runGood(dir);
    expect(stderr).not.toContain("internal error");
    expect(stdout).toContain("outcome: aborted");
    expect(code).toBe(1);
  });
});

describe("two scenario files with the same id", () => {
  const dir = workspace({
    "scenarios/a/twin.yaml": scenario("twin"),
    "scenarios/b/twin.yaml": scenario("twin"),
  });

  it("run <id> refuses with exit 2 and names both files", async () => {
    const { code, stdout, stderr } = await firedrill(
      ["run", "twin", "--mode", "tabletop", "--script", "abort.yaml", "--journal-dir", "j"],
      { cwd: dir },
    );
    expect(code).toBe(2);
    expect(stdout).not.toContain("drill started");
    expect(stderr).toContain('scenario id "twin" is declared by 2 files');
    expect(stderr).toContain("scenarios/a/twin.yaml");
    expect(stderr).toContain("scenarios/b/twin.yaml");
    expect(existsSync(join(dir, "j"))).toBe(false);
  });

  it("also when one of them has errors of its own", async () => {
    const other = workspace({
      "scenarios/a/twin.yaml": scenario("twin"),
      "scenarios/b/twin.yaml": scenario("twin", "severity: sev9\n"),
    });
    const { code, stderr } = await firedrill(
      ["run", "twin", "--mode", "tabletop", "--script", "abort.yaml"],
      { cwd: other },
    );
    expect(code).toBe(2);
    expect(stderr).toContain("scenarios/a/twin.yaml, scenarios/b/twin.yaml");
  });
});

describe("ids", () => {
  const long = `x${"y".repeat(299)}`;
  const dir = workspace({ "scenarios/long.yaml": scenario(long) });

  it("a 300-character id is a located lint error", async () => {
    const { code, stdout } = await firedrill(["lint"], { cwd: dir });
    expect(code).toBe(1);
    expect(stdout).toContain("scenarios/long.yaml:1:5: id: must be at most 64 characters");
  });

  it("run refuses it with exit 2 before anything is written", async () => {
    const { code, stderr } = await firedrill(
      ["run", long, "--mode", "tabletop", "--script", "abort.yaml", "--journal-dir", "j"],
      { cwd: dir },
    );
    expect(code).toBe(2);
    expect(stderr).toContain("id: must be at most 64 characters");
    expect(stderr).not.toContain("ENAMETOOLONG");
  });
});

describe("terminal control characters in text", () => {
  const dir = workspace({
    // ESC from a YAML escape, BEL, and a raw right-to-left override
    "scenarios/controls.yaml": scenario("controls").replace(
      "title: Scenario controls",
      'title: "\\e[2J\\e]0;pwned\\a evil \u202e gnp.exe"',
    ),
    "runbooks/bidi.yaml": RUNBOOK.replace("service: svc", "service: bidi").replace(
      "owner: team-svc",
      "owner: team\u2066x",
    ),
  });

  it("are refused at load with a located error naming the character", async () => {
    const result = await firedrill(["lint"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "scenarios/controls.yaml:2:8: title: contains the control character U+001B (ESC); terminal control characters are not allowed",
    );
    expect(result.stdout).toContain(
      "runbooks/bidi.yaml:2:8: owner: contains the control character U+2066 (LRI)",
    );
    expectNoControls(result);
  });

  it("never reach the terminal through list or run", async () => {
    const list = await firedrill(["list"], { cwd: dir });
    expect(list.stdout).toMatch(/^good\s/m);
    expectNoControls(list);
    const run = await firedrill(
      ["run", "controls", "--mode", "tabletop", "--script", "abort.yaml"],
      { cwd: dir },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("U+001B (ESC)");
    expectNoControls(run);
    expectNoControls(await runGood(dir));
  });
});

describe("unreadable things under scenarios/", () => {
  it("a FIFO named like a scenario is reported, not waited on", async () => {
    const dir = workspace();
    execFileSync("mkfifo", [join(dir, "scenarios/pipe.yaml")]);
    const { code, stdout } = await firedrill(["lint"], { cwd: dir, timeoutMs: 10_000 });
    expect(stdout).toContain("scenarios/pipe.yaml:1:1: cannot read: not a regular file (a FIFO)");
    expect(code).toBe(2);
  });

  // Root reads any directory: drop the capabilities that let it, as an ordinary user has none.
  const root = process.getuid?.() === 0;
  const setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].find((path) => existsSync(path));
  it.skipIf(root && setpriv === undefined)(
    "a directory that cannot be read is reported, and the rest still loads",
    async () => {
      const dir = workspace({ "scenarios/locked/hidden.yaml": scenario("hidden") });
      chmodSync(join(dir, "scenarios/locked"), 0);
      const asUser = (args: string[]) =>
        new Promise<CliResult>((done) => {
          const caps = "-dac_override,-dac_read_search";
          const [file, ...prefix] =
            root && setpriv
              ? [setpriv, `--bounding-set=${caps}`, `--inh-caps=${caps}`, process.execPath]
              : [process.execPath];
          execFile(
            file!,
            [...prefix, CLI, ...args],
            { cwd: dir, env: { ...process.env, NO_COLOR: "1" }, timeout: 20_000 },
            (error, stdout, stderr) =>
              done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
          );
        });
      const list = await asUser(["list"]);
      expect(list.stdout).toMatch(/^good\s/m);
      expect(list.stderr).toContain(
        "scenarios/locked:1:1: cannot read directory: permission denied; the files in it were not loaded",
      );
      expect(list.code).toBe(2);
      const lint = await asUser(["lint"]);
      expect(lint.stdout).toContain("scenarios/locked:1:1: cannot read directory");
      expect(lint.code).toBe(2);
    },
  );
});

describe("a scenario whose runbook is invalid", () => {
  const dir = workspace({
    "runbooks/svc.yaml": RUNBOOK.replace("owner: team-svc", "owner: team-svc\nownr: typo"),
  });

  it("run says the runbook is invalid and where, not that there is none", async () => {
    const { code, stderr } = await runGood(dir);
    expect(code).toBe(2);
    expect(stderr).not.toContain("no runbook for service");
    expect(stderr).toContain(
      'scenarios/good.yaml:3:10: service: the runbook of service "svc" (runbooks/svc.yaml) is invalid; fix the problems reported for it',
    );
    expect(stderr).toContain('runbooks/svc.yaml:3:1: ownr: unknown key "ownr"');
  });
});

describe("report --out", () => {
  it("refuses to write over a journal it reads, however the path is written", async () => {
    const dir = workspace();
    expect((await runGood(dir)).code).toBe(1);
    const journal = execFileSync("ls", [join(dir, "journals")], { encoding: "utf8" }).trim();
    const path = join("journals", journal);
    const before = readFileSync(join(dir, path), "utf8");
    symlinkSync(join(dir, path), join(dir, "link.jsonl"));
    for (const out of [path, `./${path}`, "link.jsonl"]) {
      const { code, stderr } = await firedrill(
        ["report", path, "--journal-dir", "journals", "-o", out],
        { cwd: dir },
      );
      expect(code).toBe(2);
      expect(stderr).toContain(`--out ${out} is a journal this report reads`);
    }
    expect(readFileSync(join(dir, path), "utf8")).toBe(before);
    const ok = await firedrill(["report", path, "--journal-dir", "journals", "-o", "r.md"], {
      cwd: dir,
    });
    expect(ok.code).toBe(0);
    expect(readFileSync(join(dir, "r.md"), "utf8")).toContain("good");
  });
});

describe("history over journal directories with things that are not journals", () => {
  it("skips a FIFO and a link to /dev/zero with a warning, without hanging", async () => {
    const dir = workspace();
    expect((await runGood(dir)).code).toBe(1);
    execFileSync("mkfifo", [join(dir, "journals/2026-01-01T00-00-00.000Z_fifo_00000000.jsonl")]);
    symlinkSync("/dev/zero", join(dir, "journals/2026-01-02T00-00-00.000Z_zero_00000000.jsonl"));
    const started = performance.now();
    // The good drill is a scripted run: history shows it only with --include-automated.
    const { code, stdout, stderr } = await firedrill(
      ["history", "--journal-dir", "journals", "--include-automated"],
      { cwd: dir, timeoutMs: 15_000 },
    );
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(code).toBe(0);
    expect(stdout).toContain("good");
    expect(stderr).toContain("fifo_00000000.jsonl");
    expect(stderr).toContain("skipped: not a regular file (a FIFO)");
    expect(stderr).toContain("skipped: not a regular file (a character device)");
  });
});
