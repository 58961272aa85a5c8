import { execa, parseCommandString } from "execa";
import { commandText } from "../model/common.js";

export interface CommandRun {
  /** null when the process did not exit normally (killed, timed out, could not start) */
  exitCode: number | null;
  timedOut: boolean;
  canceled: boolean;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** set when the process could not be started or was killed: a short reason */
  failure?: string;
}

export interface RunCommandOptions {
  shell?: boolean;
  timeoutMs: number;
  cwd?: string;
  signal?: AbortSignal;
}

/**
 * Runs a scenario command (argv, or a command line for `shell: true`) and never rejects: probes and
 * fault backends both need the outcome as data, whatever it was.
 */
export async function runCommand(
  command: string[] | string,
  options: RunCommandOptions,
): Promise<CommandRun> {
  const argv = typeof command === "string" && !options.shell ? parseCommandString(command) : null;
  const started = performance.now();
  const common = {
    reject: false,
    timeout: options.timeoutMs,
    cancelSignal: options.signal,
    forceKillAfterDelay: 1000,
    cwd: options.cwd,
    stdin: "ignore",
    // a hung grandchild must not keep the pipes (and us) open past the timeout
    cleanup: true,
  } as const;
  const result =
    typeof command === "string" && options.shell
      ? await execa(command, { ...common, shell: true })
      : await (() => {
          const parts = argv ?? (command as string[]);
          const [file, ...args] = parts;
          return execa(file ?? "", args, common);
        })();
  const durationMs = Math.round(performance.now() - started);
  const stdout = String(result.stdout ?? "");
  const stderr = String(result.stderr ?? "");
  const run: CommandRun = {
    exitCode: result.exitCode ?? null,
    timedOut: result.timedOut,
    canceled: result.isCanceled,
    stdout,
    stderr,
    durationMs,
  };
  if (result.timedOut) run.failure = `timeout after ${options.timeoutMs}ms`;
  else if (result.isCanceled) run.failure = "aborted";
  else if (result.exitCode === undefined) {
    const code = (result as { code?: string }).code;
    run.failure = result.signal
      ? `killed by ${result.signal}`
      : code === "ENOENT"
        ? `command not found: ${commandText(command)}`
        : (code ?? result.shortMessage ?? "could not start");
  }
  return run;
}

/** The last non-empty lines of some output, for error messages. */
export function tail(text: string, lines = 3, maxChars = 300): string {
  const kept = text
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line !== "")
    .slice(-lines)
    .join("\n");
  return kept.length > maxChars ? `…${kept.slice(-maxChars)}` : kept;
}
