import { z } from "zod";
import { Config } from "./project-config.js";
import { Runbook } from "./runbook.js";
import { Scenario } from "./scenario.js";

export const SCHEMA_NAMES = ["scenario", "runbook", "config"] as const;
export type SchemaName = (typeof SCHEMA_NAMES)[number];

const SOURCES: Record<SchemaName, { schema: z.ZodType; title: string }> = {
  scenario: { schema: Scenario, title: "firedrill scenario" },
  runbook: { schema: Runbook, title: "firedrill runbook" },
  config: { schema: Config, title: "firedrill.config.yaml" },
};

/** Matches a string that is (or holds) an environment reference, valid before interpolation. */
const ENV_REFERENCE = { type: "string", pattern: "\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}" };

type Json = Record<string, unknown>;

/**
 * A constrained string (pattern or format) may be written as `${VAR:-default}` and is checked
 * after interpolation, so editors must accept the reference form too.
 */
function allowEnvReferences(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(allowEnvReferences);
  if (node === null || typeof node !== "object") return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) out[key] = allowEnvReferences(value);
  if (out.type === "string" && (out.pattern !== undefined || out.format !== undefined)) {
    const { description, default: fallback, examples, ...constraint } = out;
    return {
      ...(description !== undefined ? { description } : {}),
      ...(fallback !== undefined ? { default: fallback } : {}),
      ...(examples !== undefined ? { examples } : {}),
      anyOf: [constraint, ENV_REFERENCE],
    };
  }
  return out;
}

/** JSON Schema (draft 2020-12) of what a user may write, for editors and other tools. */
export function jsonSchema(name: SchemaName): Json {
  const { schema, title } = SOURCES[name];
  const generated = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Json;
  const { $schema, ...rest } = allowEnvReferences(generated) as Json;
  return { $schema, title, ...rest };
}

export function schemaFileName(name: SchemaName): string {
  return `${name}.schema.json`;
}
