import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { firedrill } from "../support/cli.js";

const out = mkdtempSync(join(tmpdir(), "firedrill-schema-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("firedrill schema", () => {
  it("--out writes one file per format, identical to the committed schemas/", async () => {
    const { code, stdout } = await firedrill(["schema", "--out", out]);
    expect(code).toBe(0);
    expect(stdout).toContain("scenario.schema.json");
    for (const name of ["scenario", "runbook", "config"]) {
      const file = `${name}.schema.json`;
      expect(
        readFileSync(join(out, file), "utf8"),
        `schemas/${file} is stale: run firedrill schema --out schemas`,
      ).toBe(readFileSync(join("schemas", file), "utf8"));
    }
  });

  it("prints one schema for editors, accepting $VAR references where a pattern applies", async () => {
    const { code, stdout } = await firedrill(["schema", "scenario"]);
    expect(code).toBe(0);
    const schema = JSON.parse(stdout) as {
      properties: Record<string, unknown>;
      additionalProperties: boolean;
    };
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toContain("faults");
    expect(JSON.stringify(schema.properties.proxies)).toContain('"file"');
    expect(stdout).toContain("\\\\$\\\\{[A-Za-z_]");
  });

  it("rejects an unknown schema name with exit 2", async () => {
    const { code, stderr } = await firedrill(["schema", "scenarios"]);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown schema "scenarios"; use one of scenario, runbook, config');
  });

  it("every YAML sample names its schema on the first line", () => {
    for (const [dir, name] of [
      ["scenarios", "scenario"],
      ["runbooks", "runbook"],
    ] as const) {
      for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml"))) {
        const first = readFileSync(join(dir, file), "utf8").split("\n")[0];
        expect(first, `${dir}/${file}`).toBe(
          `# yaml-language-server: $schema=../schemas/${name}.schema.json`,
        );
      }
    }
  });
});
