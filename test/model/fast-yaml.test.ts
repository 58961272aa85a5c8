// biome-ignore-all lint/suspicious/noTemplateCurlyInString: YAML text with ${VAR} references
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fastParse } from "../../src/model/fast-yaml.js";
import type { PathSegment } from "../../src/model/problem.js";
import { type ParseResult, parseYaml, parseYamlFully } from "../../src/model/source.js";

function paths(value: unknown, prefix: PathSegment[] = [], out: PathSegment[][] = []) {
  out.push(prefix);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) paths(value[i], [...prefix, i], out);
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) paths(item, [...prefix, key], out);
  }
  return out;
}

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files(path, out);
    else if (/\.(ya?ml|json)$/.test(name)) out.push(path);
  }
  return out;
}

/** The fast reader must agree with the full parser on value, positions and problems. */
function agree(text: string, name: string): boolean {
  const accepted = fastParse(text) !== undefined;
  const env = { SET: "value" };
  const full: ParseResult = parseYamlFully(text, name, { env });
  const fast: ParseResult = parseYaml(text, name, { env });
  expect(fast.problems, name).toEqual(full.problems);
  expect(fast.source?.value, name).toEqual(full.source?.value);
  if (full.source && fast.source) {
    for (const path of paths(full.source.value)) {
      for (const part of ["value", "key"] as const) {
        expect(fast.source.locate(path, part), `${name} ${JSON.stringify(path)} ${part}`).toEqual(
          full.source.locate(path, part),
        );
      }
    }
    // Paths that do not exist fall back to the deepest existing node the same way.
    for (const path of [["nope"], ["faults", 99, "x"], ["a", "b", "c", "d"]]) {
      expect(fast.source.locate(path)).toEqual(full.source.locate(path));
    }
  }
  return accepted;
}

const SNIPPETS = [
  "a: 1\nb: [1, 2, {c: d}]\n",
  "a: |\n  x\n  y\n\nb: >-\n  p\n  q\n\n  r\n",
  "a: |+\n  x\n\n\nb: 1\n",
  "a: |-\n  x\n\nb: 1\n",
  "a: |\n\n  x\n",
  "a: >\n  x\n\n  y\n  z\n",
  "a: >\n  x\n\n\n  y\n",
  "- a\n- - b\n  - c\n- d: 1\n  e: 2\n",
  "a:\n- x\n- y\nb: 2\n",
  "a: 'it''s'\nb: \"q\\\"\\n\\u00e9\\x41\"\n",
  "n: ~\nm: null\nt: True\nf: FALSE\ni: -12\no: 0o17\nh: 0x1F\nx: 1.5e3\ny: .5\nz: .inf\nw: -.Inf\nv: .NaN\ns: 1.0\np: +3\nq: 1_000\n",
  "url: http://x:8/y # c\nk: a#b\nl: b:c\nm: 12:30\n",
  "a:\n  b:\n    c: 1\n  d: 2\ne: 3\n",
  "a: \nb:\n",
  "key: value\n  bad: indent\n",
  "a: b: c\n",
  "a: 1\na: 2\n",
  "- x\n y: 1\n",
  "a:\n  - b\n c: 1\n",
  "a: [1, 2\n",
  "\"quoted key\": 1\n'k2': 2\n",
  'a: { x: 1, y: [a, b], z: "s, t" }\n',
  "a: [ ]\nb: {}\nc: [a, b, ]\n",
  "a: -1\nb: - 1\n",
  "a: |\n  x\n b: 1\n",
  "- |\n  lit\n- >\n  fold\n",
  "a:\n  # comment\n  b: 1\n# top\nc: 2\n",
  "a: x\n  y\n",
  "---\na: 1\n",
  "--- # doc\na: 1\n",
  "a: 1\n---\nb: 2\n",
  "a: 'unterminated\n",
  'a: "x" y\n',
  "- a: 1\n  b:\n    - c\n",
  "a: &x 1\nb: *x\n",
  "a: !!str 1\n",
  "[1, 2]\n",
  "a:\n\tb: 1\n",
  "x: 1 # c\ny: 'a' # c\nz: [1] # c\n",
  "a: -\n",
  "- -\n",
  "a:\n  -\n  - x\n",
  "? a\n: b\n",
  "a: 'x':\n",
  "k: [a, b]: c\n",
  "a:    \n  - x\n",
  "a:   b  \n",
  "",
  "# only a comment\n",
  "a: ${SET}\nb: '${NOT_SET}'\nc: [x, '${SET:-d}']\n",
  "- '${MISSING}'\n",
  "a: { b: }\n",
  "a: [a: b]\n",
  "1: one\ntrue: yes\nnull: nothing\n",
  "a: 'x'\n  b\n",
  "a:\n  - x\n  - y\n c: 1\n",
  "a: |\n  x\n  # not a comment\nb: 1\n",
  "- a\n-b\n",
  "a:\n  b: 1\n c: 2\n",
  'a: "tab\\there"\n',
  'a: "\\q"\n',
  "key with spaces: v\n",
  "a : 1\n",
  "a:b: 1\n",
  "a: x # c\n  # indented comment\nb: 2\n",
  "list:\n  - name: a\n    val: 1\n  - name: b\n",
  "deep:\n  - - - x\n",
  "e: ''\nf: \"\"\n",
  "- [a, {b: c}]\n- {d: [e]}\n",
];

describe("fast YAML reader", () => {
  it("agrees with the full parser on tricky snippets (or leaves them to it)", () => {
    let accepted = 0;
    SNIPPETS.forEach((text, i) => {
      if (agree(text, `snippet-${i}.yaml`)) accepted++;
    });
    expect(accepted).toBeGreaterThan(SNIPPETS.length / 2);
  });

  it("agrees on every YAML and JSON file in the repository's samples and fixtures", () => {
    for (const file of [...files("scenarios"), ...files("runbooks"), ...files("fixtures")]) {
      agree(readFileSync(file, "utf8"), file);
    }
  });

  it("agrees on thousands of mutated samples (a fixed-seed fuzz)", () => {
    const corpus = [...files("scenarios"), ...files("runbooks"), ...files("fixtures")]
      .filter((file) => /\.ya?ml$/.test(file))
      .map((file) => readFileSync(file, "utf8"));
    const pieces = [
      " ",
      "  ",
      "-",
      ":",
      "#",
      "'",
      '"',
      "\n",
      "[",
      "]",
      "{",
      "}",
      ",",
      "|",
      ">",
      "x",
      "- ",
      ": ",
      "\n  ",
      "\n- ",
    ];
    let seed = 20261125;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let accepted = 0;
    for (let n = 0; n < 1000; n++) {
      let text = corpus[random(corpus.length)]!;
      for (let m = 1 + random(3); m > 0; m--) {
        const at = random(text.length + 1);
        const kind = random(3);
        if (kind === 0) text = text.slice(0, at) + text.slice(at + 1 + random(3));
        else if (kind === 1)
          text = text.slice(0, at) + pieces[random(pieces.length)] + text.slice(at);
        else {
          const lines = text.split("\n");
          lines.splice(random(lines.length), 0, lines[random(lines.length)]!);
          text = lines.join("\n");
        }
      }
      if (agree(text, `mutant-${n}.yaml`)) accepted++;
    }
    expect(accepted).toBeGreaterThan(150);
  });

  it("reads the samples itself: that is where lint's time goes", () => {
    for (const file of [...files("scenarios"), ...files("runbooks")]) {
      expect(fastParse(readFileSync(file, "utf8")), file).toBeDefined();
    }
  });
});
