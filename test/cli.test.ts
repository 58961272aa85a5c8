import { describe, expect, it } from "vitest";
import { firedrill } from "./support/cli.js";

describe("firedrill CLI", () => {
  it("prints help with every command and exits 0", async () => {
    const { code, stdout } = await firedrill(["--help"]);
    expect(code).toBe(0);
    for (const name of ["list", "lint", "run", "proxy", "history", "report"]) {
      expect(stdout).toContain(name);
    }
  });

  it("exits 2 with a one-line reason on an unknown command", async () => {
    const { code, stderr } = await firedrill(["bogus"]);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown command 'bogus'");
    expect(stderr).not.toContain("    at ");
  });
});

describe("firedrill CLI output to a pipe", () => {
  it("stops quietly when the reader goes away (| head), without a stack trace", async () => {
    const { spawn } = await import("node:child_process");
    const child = spawn(process.execPath, ["dist/firedrill.js", "help", "run"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.destroy();
    const code = await new Promise<number | null>((done) => child.on("close", done));
    expect(stderr).not.toContain("EPIPE");
    expect(stderr).not.toContain("    at ");
    expect(code).toBe(0);
  });
});
