import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const CLI = "dist/firedrill.js";

async function firedrill(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("firedrill CLI", () => {
  it("prints help with every command and exits 0", async () => {
    const { code, stdout } = await firedrill("--help");
    expect(code).toBe(0);
    for (const name of ["list", "lint", "run", "proxy", "history", "report"]) {
      expect(stdout).toContain(name);
    }
  });

  it("exits 2 with a one-line reason on an unknown command", async () => {
    const { code, stderr } = await firedrill("bogus");
    expect(code).toBe(2);
    expect(stderr).toContain("unknown command 'bogus'");
    expect(stderr).not.toContain("    at ");
  });
});
