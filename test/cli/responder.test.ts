import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { lastResponder, rememberResponder } from "../../src/cli/responder.js";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("the responder's name between drills", () => {
  it("is kept in .firedrill/responder and read back; none kept reads as none", () => {
    dir = mkdtempSync(join(tmpdir(), "firedrill-responder-"));
    expect(lastResponder(dir)).toBeUndefined();
    rememberResponder(dir, "bo");
    expect(readFileSync(join(dir, ".firedrill", "responder"), "utf8")).toBe("bo\n");
    expect(lastResponder(dir)).toBe("bo");
  });
});
