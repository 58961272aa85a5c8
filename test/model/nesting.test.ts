import { describe, expect, it } from "vitest";
import { parseRunbook, parseScenario } from "../../src/model/load.js";
import { formatProblem } from "../../src/model/problem.js";
import { parseYaml } from "../../src/model/source.js";

const HEAD = "id: deep\ntitle: t\nservice: svc\ntargets: { ttr: 1m }\nbriefing: b\n";

function blockMappings(levels: number): string {
  let text = "faults:\n";
  for (let i = 1; i <= levels; i++) text += `${" ".repeat(i)}k:\n`;
  return text;
}

// Each shape of deep nesting the parser builds differently: flow and block collections, compact
// block sequences, quoted brackets that must not count.
const DEEP: Record<string, string> = {
  "flow, 5,000 levels (10 KB)": `faults: ${"[".repeat(5000)}${"]".repeat(5000)}\n`,
  "block mappings, 2,000 levels": blockMappings(2000),
  "compact block sequences, 2,000 levels": `faults:\n${"- ".repeat(2000)}x\n`,
  "flow with quoted brackets, 3,000 levels": `faults: ${'["]", '.repeat(3000)}1${"]".repeat(3000)}\n`,
};

describe("nesting depth is capped before anything recurses", () => {
  for (const [shape, body] of Object.entries(DEEP)) {
    it(`a scenario nested in ${shape} is one located problem`, () => {
      const started = performance.now();
      const result = parseScenario(HEAD + body, "deep.yaml", { env: {} });
      expect(result.ok).toBe(false);
      const problems = result.ok ? [] : result.problems.map(formatProblem);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(
        /^deep\.yaml:\d+:\d+: nesting deeper than 64 levels; scenarios and runbooks need fewer than 10/,
      );
      // the position is on a line of the nested value, not the file's start
      expect(problems[0]).not.toMatch(/^deep\.yaml:[1-5]:/);
      expect(performance.now() - started).toBeLessThan(2000);
    });
  }

  it("a runbook nested too deep is refused the same way", () => {
    const text = `service: svc\nowner: o\nprocedures: ${"[".repeat(3000)}${"]".repeat(3000)}\n`;
    const result = parseRunbook(text, "deep.yaml", { env: {} });
    expect(result.ok ? [] : result.problems.map((p) => p.message)).toEqual([
      expect.stringContaining("nesting deeper than 64 levels"),
    ]);
  });

  it("aliases that stack anchored lists deeper than the cap are refused too", () => {
    let text = `a0: &a0 ${"[".repeat(30)}1${"]".repeat(30)}\n`;
    for (let i = 1; i <= 5; i++) {
      text += `a${i}: &a${i} ${"[".repeat(30)}*a${i - 1}${"]".repeat(30)}\n`;
    }
    const parsed = parseYaml(text, "alias.yaml");
    expect(parsed.source).toBeUndefined();
    expect(parsed.problems.map((p) => p.message)).toEqual([
      expect.stringContaining("nesting deeper than 64 levels"),
    ]);
  });

  it("64 levels still load", () => {
    const parsed = parseYaml(`a: ${"[".repeat(63)}1${"]".repeat(63)}\n`, "ok.yaml");
    expect(parsed.problems).toEqual([]);
  });
});
