import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import {
  jsonSchema,
  SCHEMA_NAMES,
  type SchemaName,
  schemaFileName,
} from "../../model/json-schema.js";
import { messageOf } from "../../model/message.js";
import { UsageError } from "../exit.js";

interface SchemaOptions {
  out?: string;
}

export function registerSchema(program: Command): void {
  program
    .command("schema")
    .description("Print or write JSON Schemas for scenarios, runbooks and firedrill.config.yaml")
    .argument("[name]", `one of ${SCHEMA_NAMES.join(", ")} (default: all)`)
    .option("--out <dir>", "write <name>.schema.json files into this directory")
    .addHelpText(
      "after",
      `
Editors with the YAML language server pick a schema from the first line of a file:
  # yaml-language-server: $schema=../schemas/scenario.schema.json

Examples:
  $ firedrill schema scenario > scenario.schema.json
  $ firedrill schema --out schemas
`,
    )
    .action(async (name: string | undefined, options: SchemaOptions) => {
      if (name !== undefined && !(SCHEMA_NAMES as readonly string[]).includes(name)) {
        throw new UsageError(`unknown schema "${name}"; use one of ${SCHEMA_NAMES.join(", ")}`);
      }
      const names: readonly SchemaName[] = name ? [name as SchemaName] : SCHEMA_NAMES;
      if (options.out === undefined) {
        const value =
          names.length === 1
            ? jsonSchema(names[0]!)
            : Object.fromEntries(names.map((n) => [n, jsonSchema(n)]));
        process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
        return;
      }
      try {
        await mkdir(options.out, { recursive: true });
        for (const n of names) {
          const file = join(options.out, schemaFileName(n));
          await writeFile(file, `${JSON.stringify(jsonSchema(n), null, 2)}\n`);
          process.stdout.write(`wrote ${file}\n`);
        }
      } catch (error) {
        const reason = messageOf(error);
        throw new UsageError(`cannot write schemas to ${options.out}: ${reason}`);
      }
    });
}
