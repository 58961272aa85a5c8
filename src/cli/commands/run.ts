import type { Command } from "commander";
import { UsageError } from "../exit.js";

export function registerRun(program: Command): void {
  program
    .command("run")
    .description("(not implemented yet)")
    .action(() => {
      throw new UsageError("'run' is not implemented yet");
    });
}
