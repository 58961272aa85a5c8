import type { Command } from "commander";
import { UsageError } from "../exit.js";

export function registerLint(program: Command): void {
  program
    .command("lint")
    .description("(not implemented yet)")
    .action(() => {
      throw new UsageError("'lint' is not implemented yet");
    });
}
