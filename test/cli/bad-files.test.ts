import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { firedrill } from "../support/cli.js";

// A workspace with one good scenario and bad files beside it: each bad file gets a located
// error, and none of them stops the good scenario from being listed, linted or run.
const dir = mkdtempSync(join(tmpdir(), "firedrill-bad-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RUNBOOK = `service: svc
owner: team-svc
procedures:
  - id: fix
    title: Fix
    steps:
      - { id: look, kind: check, title: Look }
`;

function scenario(id: string, extra = ""): string {
  return `id: ${id}
title: Scenario ${id}
service: svc
modes: [tabletop]
targets: { ttr: 1m }
briefing: b
faults:
  - command: { inject: "true", revert: "true", shell: true }
${extra}`;
}

function write(path: string, text: string): void {
  writeFileSync(join(dir, path), text);
}

beforeAll(() => {
  mkdirSync(join(dir, "scenarios"));
  mkdirSync(join(dir, "runbooks"));
  write("runbooks/svc.yaml", RUNBOOK);
  write("scenarios/good.yaml", scenario("good"));
  write("abort.yaml", "actions:\n  - do: abort\n");
});

const run = (args: string[]) => firedrill(args, { cwd: dir });

describe("deeply nested files", () => {
  beforeAll(() => {
    write(
      "scenarios/deep-flow.yaml",
      scenario("deep-flow", `tags: ${"[".repeat(5000)}${"]".repeat(5000)}\n`),
    );
    let block = "tabletop:\n";
    for (let i = 1; i <= 2000; i++) block += `${" ".repeat(i)}k:\n`;
    write("scenarios/deep-block.yaml", scenario("deep-block", block));
  });
  afterAll(() => {
    rmSync(join(dir, "scenarios/deep-flow.yaml"));
    rmSync(join(dir, "scenarios/deep-block.yaml"));
  });

  const NESTING = /nesting deeper than 64 levels/;

  it("lint names each at file:line:col and exits 1, not 70", async () => {
    const { code, stdout, stderr } = await run(["lint"]);
    expect(stderr).not.toContain("internal error");
    expect(code).toBe(1);
    expect(stdout).toMatch(/scenarios\/deep-flow\.yaml:9:\d+: nesting deeper than 64 levels/);
    expect(stdout).toMatch(/scenarios\/deep-block\.yaml:\d+:\d+: nesting deeper than 64/);
  });

  it("list still lists the good scenario", async () => {
    const { stdout, stderr } = await run(["list"]);
    expect(stdout).toMatch(/^good\s+Scenario good/m);
    expect(stderr).toMatch(NESTING);
    expect(stderr).not.toContain("internal error");
  });

  it("run of another scenario works", async () => {
    const { code, stdout, stderr } = await run([
      ...["run", "good", "--mode", "tabletop", "--script", "abort.yaml"],
      ...["--journal-dir", join(dir, "journals")],
    ]);
    expect(stderr).not.toContain("internal error");
    expect(stdout).toContain("outcome: aborted");
    expect(code).toBe(1);
  });
});
