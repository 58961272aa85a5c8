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
