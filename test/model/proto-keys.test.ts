import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/model/load.js";
import { formatProblem } from "../../src/model/problem.js";

const base = `id: proto
title: A file that tries to set a prototype
service: checkout-api
targets: { ttr: 1m }
briefing: x
faults:
  - { at: 0s, proxy: db, toxic: latency, attributes: { latency: 10 } }
proxies:
  - { name: db, upstream: "127.0.0.1:5432" }
`;

describe("a __proto__ key in a file", () => {
  // Block and flow mappings are composed by different parts of the parser: both must hold.
  for (const [form, text] of [
    ["block", `${base}__proto__:\n  polluted: true\n`],
    ["flow", `${base}__proto__: { polluted: true }\n`],
  ] as const) {
    it(`is an unknown key at its position, not a prototype (${form})`, () => {
      const result = parseScenario(text, "proto.yaml");
      expect(result.ok).toBe(false);
      const messages = result.ok ? [] : result.problems.map(formatProblem);
      expect(messages.join("\n")).toMatch(/^proto\.yaml:10:1: .*__proto__/m);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }
});
