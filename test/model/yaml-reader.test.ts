import { describe, expect, it } from "vitest";
import { formatProblem } from "../../src/model/problem.js";
import { parseYaml } from "../../src/model/source.js";

const messages = (text: string) => parseYaml(text, "f.yaml").problems.map(formatProblem);

describe("the yaml package is the one YAML reader", () => {
  it("a second document is refused where it starts", () => {
    expect(messages("id: a\n---\nid: b\n")).toEqual([
      "f.yaml:2:1: more than one YAML document (a second `---`); put one scenario or runbook per file",
    ]);
  });

  it("errors of the first document are kept beside the second document's", () => {
    expect(messages("a: 1\na: 2\n---\nb: 1\n")).toEqual([
      'f.yaml:2:1: duplicate key "a"; each key may appear only once in a mapping',
      "f.yaml:3:1: more than one YAML document (a second `---`); put one scenario or runbook per file",
    ]);
  });

  it("positions asked for after parsing point at the key and the value", () => {
    const parsed = parseYaml("a:\n  b: [1, 2]\n  c:\n", "f.yaml", { lineOffset: 10 });
    const locate = parsed.source!.locate;
    expect(locate(["a", "b", 1])).toEqual({ file: "f.yaml", line: 12, col: 10 });
    expect(locate(["a", "b"], "key")).toEqual({ file: "f.yaml", line: 12, col: 3 });
    expect(locate(["a", "c"])).toEqual({ file: "f.yaml", line: 13, col: 3 });
    expect(locate(["a", "missing"])).toEqual({ file: "f.yaml", line: 12, col: 3 });
  });
});
