import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig, loadRunbook, loadScenario } from "../../src/model/load.js";
import { checkScenarioAgainstRunbook } from "../../src/model/references.js";

const run = promisify(execFile);
const CLI = join(process.cwd(), "dist/firedrill.js");

async function firedrill(cwd: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const FILES = [
  "firedrill.config.yaml",
  join("runbooks", "checkout-api.yaml"),
  join("scenarios", "checkout-api-dependency-latency.yaml"),
];

describe("firedrill init", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "firedrill-init-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes a config, a runbook and a scenario the schemas accept", async () => {
    const { code, stdout } = await firedrill(dir, "init", "--service", "checkout-api");
    expect(code).toBe(0);
    for (const file of FILES) expect(stdout).toContain(`wrote   ${file}`);

    for (const file of FILES) {
      const text = await readFile(join(dir, file), "utf8");
      const schema = /^# yaml-language-server: \$schema=(\S+\.schema\.json)\n/.exec(text)?.[1];
      expect(schema, file).toBeDefined();
      // The editor resolves the link relative to the file: it must lead to the shipped schema.
      expect(existsSync(resolve(dirname(join(dir, file)), schema!)), schema).toBe(true);
    }
    const config = await loadConfig(join(dir, FILES[0]!));
    const runbook = await loadRunbook(join(dir, FILES[1]!));
    const scenario = await loadScenario(join(dir, FILES[2]!));
    expect(config.problems).toEqual([]);
    expect(runbook.problems).toEqual([]);
    expect(scenario.problems).toEqual([]);
    if (!runbook.ok || !scenario.ok) throw new Error("unreachable");
    expect(scenario.loaded.value.service).toBe("checkout-api");
    expect(runbook.loaded.value.service).toBe("checkout-api");
    expect(checkScenarioAgainstRunbook(scenario.loaded, runbook.loaded.value)).toEqual([]);
  });

  it("writes files firedrill lint --strict accepts", async () => {
    expect((await firedrill(dir, "init", "--service", "checkout-api")).code).toBe(0);
    const lint = await firedrill(dir, "lint", "--strict");
    expect(lint.stdout + lint.stderr).toContain("0 errors, 0 warnings");
    expect(lint.code).toBe(0);
  });

  it("never overwrites: existing files are skipped and named, exit 0", async () => {
    await writeFile(join(dir, "firedrill.config.yaml"), "journalDir: mine\n");
    const first = await firedrill(dir, "init", "--service", "checkout-api");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("skipped firedrill.config.yaml (exists)");
    expect(await readFile(join(dir, "firedrill.config.yaml"), "utf8")).toBe("journalDir: mine\n");

    const again = await firedrill(dir, "init", "--service", "checkout-api", "--json");
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({
      service: "checkout-api",
      written: [],
      skipped: [...FILES, ".gitignore"],
      updated: [],
    });
  });

  it("creates a .gitignore holding .firedrill/ when there is none", async () => {
    const { code, stdout } = await firedrill(dir, "init", "--service", "checkout-api");
    expect(code).toBe(0);
    expect(stdout).toContain("wrote   .gitignore");
    const lines = (await readFile(join(dir, ".gitignore"), "utf8")).split("\n");
    expect(lines).toContain(".firedrill/");
  });

  it("adds .firedrill/ to an existing .gitignore once, keeping what was there", async () => {
    await writeFile(join(dir, ".gitignore"), "node_modules/\ndist"); // no final newline
    const first = await firedrill(dir, "init", "--service", "checkout-api");
    expect(first.stdout).toContain("updated .gitignore (.firedrill/)");
    expect(await readFile(join(dir, ".gitignore"), "utf8")).toBe(
      "node_modules/\ndist\n.firedrill/\n",
    );
    const again = await firedrill(dir, "init", "--service", "search");
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("skipped .gitignore (exists)");
    expect(await readFile(join(dir, ".gitignore"), "utf8")).toBe(
      "node_modules/\ndist\n.firedrill/\n",
    );
  });

  it("leaves a .gitignore that already ignores /.firedrill alone", async () => {
    await writeFile(join(dir, ".gitignore"), "/.firedrill\n");
    const { code } = await firedrill(dir, "init", "--service", "checkout-api");
    expect(code).toBe(0);
    expect(await readFile(join(dir, ".gitignore"), "utf8")).toBe("/.firedrill\n");
  });

  it("writes into --dir, creating it", async () => {
    const { code } = await firedrill(dir, "init", "--service", "search", "--dir", "ops/drills");
    expect(code).toBe(0);
    const scenario = await loadScenario(
      join(dir, "ops/drills/scenarios/search-dependency-latency.yaml"),
    );
    expect(scenario.problems).toEqual([]);
  });

  it("needs --service without a terminal, and a valid one", async () => {
    const missing = await firedrill(dir, "init");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--service is required");
    const bad = await firedrill(dir, "init", "--service", "Checkout API");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("not a valid name");
    expect(bad.stderr).not.toContain("    at ");
  });
});
