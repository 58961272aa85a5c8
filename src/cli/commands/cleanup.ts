import type { Command } from "commander";
import { UsageError } from "../exit.js";

export function registerCleanup(program: Command): void {
  program
    .command("cleanup")
    .description("(not implemented yet)")
    .action(() => {
      throw new UsageError("'cleanup' is not implemented yet");
    });
}
