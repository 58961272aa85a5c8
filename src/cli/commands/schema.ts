import type { Command } from "commander";
import { UsageError } from "../exit.js";

export function registerSchema(program: Command): void {
  program
    .command("schema")
    .description("(not implemented yet)")
    .action(() => {
      throw new UsageError("'schema' is not implemented yet");
    });
}
