import type { Command } from "commander";
import { UsageError } from "../exit.js";

export function registerProxy(program: Command): void {
  program
    .command("proxy")
    .description("(not implemented yet)")
    .action(() => {
      throw new UsageError("'proxy' is not implemented yet");
    });
}
