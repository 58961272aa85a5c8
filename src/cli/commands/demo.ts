import type { Command } from "commander";
import { UsageError } from "../exit.js";

export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description("(not implemented yet)")
    .action(() => {
      throw new UsageError("'demo' is not implemented yet");
    });
}
