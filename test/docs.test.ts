import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { firedrill } from "./support/cli.js";

const DOCS = ["README.md", ...readdirSync("docs").map((name) => join("docs", name))].filter((f) =>
  f.endsWith(".md"),
);

interface Block {
  file: string;
  line: number;
  lines: string[];
}

function codeBlocks(file: string): Block[] {
  const blocks: Block[] = [];
  let open: Block | null = null;
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((text, i) => {
      if (/^\s*```/.test(text)) {
        if (open) {
          blocks.push(open);
          open = null;
        } else open = { file, line: i + 1, lines: [] };
      } else open?.lines.push(text);
    });
  return blocks;
}

describe("docs say what the CLI does", () => {
  it("--allow-production is always shown with the scenario id it needs", async () => {
    for (const file of DOCS) {
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(
        /--allow-production(?!\s+(<scenario-id>|[a-z0-9][a-z0-9._-]*))/g,
      )) {
        const line = text.slice(0, match.index).split("\n").length;
        expect.fail(`${file}:${line}: --allow-production without the scenario id`);
      }
    }
    const bare = await firedrill([
      "run",
      "checkout-db-latency",
      "--mode",
      "gameday",
      "--allow-production",
    ]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain("--allow-production <scenario-id>");
  });

  it("no code block is empty, and captured output keeps one line per line", () => {
    for (const file of DOCS) {
      for (const block of codeBlocks(file)) {
        const where = `${block.file}:${block.line}`;
        expect(
          block.lines.some((l) => l.trim() !== ""),
          `${where}: empty code block`,
        ).toBe(true);
        for (const text of block.lines) {
          // one progress line per service, as the demo prints them
          expect((text.match(/✓ \S+\s+\d+ ms/g) ?? []).length, `${where}: ${text}`).toBeLessThan(2);
          expect(text, where).not.toMatch(
            /.(demo shop ready in|demo shop stopped in|firedrill: recovered ·)/,
          );
          expect(text, where).not.toContain("[exit 0]");
        }
      }
    }
  });
});
