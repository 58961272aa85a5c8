import { execFile } from "node:child_process";
import { resolve } from "node:path";

export const CLI = resolve("dist/firedrill.js");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Runs the bundled CLI as a user would: no TTY, NO_COLOR set; resolves with the exit code. */
export function firedrill(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise<CliResult>((done) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        cwd: options.cwd ?? process.cwd(),
        env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, ...options.env },
        timeout: options.timeoutMs ?? 20_000,
      },
      (error, stdout, stderr) => {
        const code = error ? Number((error as { code?: number }).code ?? 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}
