import type { Command } from "commander";
import { UsageError } from "../exit.js";

export function registerReport(program: Command): void {
  program
    .command("report")
    .description("(not implemented yet)")
    .action(() => {
      throw new UsageError("'report' is not implemented yet");
    });
}
