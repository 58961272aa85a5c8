import { execFileSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const interactive = pathToFileURL("src/tui/interactive.ts").href;

describe("loading the TUI", () => {
  // In a fresh process: this one has long since loaded whatever vitest needed.
  it("loads ink without loading Node's fetch (undici), and leaves fetch in place", () => {
    const script = `
      const { preloadTui } = await import(${JSON.stringify(interactive)});
      await preloadTui();
      const undici = process.moduleLoadList.some((m) => m.includes("undici"));
      process.stdout.write(JSON.stringify({ undici, fetch: typeof fetch }));`;
    const out = execFileSync(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      { encoding: "utf8", timeout: 60_000 },
    );
    expect(JSON.parse(out)).toEqual({ undici: false, fetch: "function" });
  });
});
