import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * npm run from `npm test` exports npm_config_* (local prefix, user agent…) that would point the
 * inner npm back at this repository: a user's shell has none of them. `--offline` proves the
 * install needs nothing but the tarball.
 */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key)) env[key] = value;
  }
  return { ...env, NO_COLOR: "1", npm_config_offline: "true", npm_config_update_notifier: "false" };
}

function sh(file: string, args: readonly string[], cwd: string, timeoutMs = 60_000) {
  return new Promise<Result>((done) => {
    execFile(file, args, { cwd, env: userEnv(), timeout: timeoutMs }, (error, stdout, stderr) => {
      done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const pkg = JSON.parse(await readFile("package.json", "utf8")) as {
  version: string;
  scripts: Record<string, string>;
  dependencies?: Record<string, string>;
};

describe("installing firedrill from a packed tarball", () => {
  let root: string;
  let tarball: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "firedrill-install-"));
    // --ignore-scripts: the global setup already built dist/, and prepack's rebuild would empty it
    // under the other test files running meanwhile. That prepack builds is checked below.
    const packed = await sh(
      "npm",
      ["pack", "--ignore-scripts", "--json", "--pack-destination", root],
      process.cwd(),
    );
    expect(packed.stderr).not.toMatch(/npm error/);
    const [entry] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    tarball = join(root, entry!.filename);
    expect(entry!.filename).toBe(`firedrill-${pkg.version}.tgz`);
    const files = entry!.files.map((file) => file.path);
    expect(files).toContain("dist/firedrill.js");
    expect(files).toContain("dist/watchdog.js");
    expect(files).toContain("schemas/scenario.schema.json");
    expect(files).toContain("demo/prometheus/rules.yml");
  }, 120_000);

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("builds dist/ when packed, and nothing on the user's machine", () => {
    expect(pkg.scripts.prepack).toContain("scripts/build.mjs");
    for (const hook of ["prepare", "preinstall", "install", "postinstall"]) {
      expect(pkg.scripts[hook], hook).toBeUndefined();
    }
    // Every library is bundled into dist/: an install has nothing else to fetch.
    expect(pkg.dependencies ?? {}).toEqual({});
  });

  it("npm install -D ./firedrill-<v>.tgz, then npx firedrill init, lint and a tabletop run", async () => {
    const project = join(root, "project");
    await mkdir(project);
    const install = await sh(
      "npm",
      ["install", "-D", tarball, "--no-audit", "--no-fund"],
      project,
      120_000,
    );
    expect(install.stderr + install.stdout).not.toMatch(/allowScripts|npm error/);
    expect(install.code).toBe(0);

    const version = await sh("npx", ["firedrill", "--version"], project);
    expect(version.stdout.trim()).toBe(pkg.version);

    const init = await sh("npx", ["firedrill", "init", "--service", "shop"], project);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain("wrote   scenarios/shop-dependency-latency.yaml");
    // The schema link points into the installed package, so editors find it.
    expect(await readFile(join(project, "scenarios/shop-dependency-latency.yaml"), "utf8")).toMatch(
      /\$schema=\.\.\/node_modules\/firedrill\/schemas\/scenario\.schema\.json/,
    );
    expect(await readFile(join(project, ".gitignore"), "utf8")).toContain(".firedrill/\n");

    const lint = await sh("npx", ["firedrill", "lint", "--strict"], project);
    expect(lint.stdout + lint.stderr).toContain("0 errors, 0 warnings");
    expect(lint.code).toBe(0);

    const run = await sh(
      "npx",
      ["firedrill", "run", "shop-dependency-latency", "--mode", "tabletop", "--auto", "--json"],
      project,
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as {
      type: string;
      outcome: string;
      journal: string;
    };
    expect(summary).toMatchObject({ type: "summary", outcome: "recovered" });
    expect(summary.journal.startsWith(join(project, ".firedrill", "drills"))).toBe(true);
  }, 120_000);

  it("npm install -g ./firedrill-<v>.tgz, then firedrill init in an empty directory", async () => {
    const prefix = join(root, "global");
    const empty = join(root, "empty");
    await mkdir(empty);
    const install = await sh(
      "npm",
      ["install", "-g", "--prefix", prefix, tarball, "--no-audit", "--no-fund"],
      root,
      120_000,
    );
    expect(install.code).toBe(0);
    const bin = join(prefix, "bin", "firedrill");
    expect((await sh(bin, ["--version"], empty)).stdout.trim()).toBe(pkg.version);
    const init = await sh(bin, ["init", "--service", "shop"], empty);
    expect(init.code).toBe(0);
    const lint = await sh(bin, ["lint", "--strict"], empty);
    expect(lint.code).toBe(0);
  }, 120_000);
});
