import type { Command } from "commander";
import { UsageError } from "../exit.js";

export function registerList(program: Command): void {
  program
    .command("list")
    .description("(not implemented yet)")
    .action(() => {
      throw new UsageError("'list' is not implemented yet");
    });
}
