import type { Command } from "commander";
import { UsageError } from "../exit.js";

export function registerInit(program: Command): void {
  program
    .command("init")
    .description("(not implemented yet)")
    .action(() => {
      throw new UsageError("'init' is not implemented yet");
    });
}
