import type { Command } from "commander";
import { UsageError } from "../exit.js";

export function registerHistory(program: Command): void {
  program
    .command("history")
    .description("(not implemented yet)")
    .action(() => {
      throw new UsageError("'history' is not implemented yet");
    });
}
