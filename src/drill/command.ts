import { execa, parseCommandString } from "execa";
import type { Command } from "../model/common.js";

export interface CommandSpec {
  command: Command;
  /** run a command line through the shell; argv commands never use one */
  shell: boolean;
  timeoutMs: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

export interface CommandOutcome {
  /** null when the process did not exit by itself (timed out, cancelled, could not start) */
  exitCode: number | null;
  timedOut: boolean;
  cancelled: boolean;
  /** stdout and stderr interleaved as they arrived */
  output: string;
  durationMs: number;
  /** why there is no exit code, in a few words */
  failure?: string;
}

export type OutputStream = "stdout" | "stderr";

/** Runs a responder's command, streaming its output; never rejects. */
export type CommandRunner = (
  spec: CommandSpec,
  onOutput: (text: string, stream: OutputStream) => void,
) => Promise<CommandOutcome>;

/** Output kept per command, from the end: enough for a screen, bounded for a long-running tail -f. */
const MAX_OUTPUT_CHARS = 64 * 1024;

export const runResponderCommand: CommandRunner = async (spec, onOutput) => {
  const started = performance.now();
  let output = "";
  const options = {
    reject: false,
    timeout: spec.timeoutMs,
    forceKillAfterDelay: 1000,
    stdin: "ignore",
    cleanup: true,
    buffer: false,
    ...(spec.signal ? { cancelSignal: spec.signal } : {}),
    ...(spec.cwd ? { cwd: spec.cwd } : {}),
    ...(spec.env ? { env: spec.env, extendEnv: false } : {}),
  } as const;
  const { command } = spec;
  let child: ReturnType<typeof execa<typeof options>>;
  try {
    if (typeof command === "string" && spec.shell) {
      child = execa(command, { ...options, shell: true });
    } else {
      const [file, ...args] = typeof command === "string" ? parseCommandString(command) : command;
      child = execa(file ?? "", args, options);
    }
  } catch (error) {
    return {
      exitCode: null,
      timedOut: false,
      cancelled: false,
      output: "",
      durationMs: 0,
      failure: error instanceof Error ? error.message : String(error),
    };
  }
  const collect = (stream: OutputStream) => (chunk: Buffer | string) => {
    const text = chunk.toString();
    output += text;
    if (output.length > MAX_OUTPUT_CHARS) output = output.slice(-MAX_OUTPUT_CHARS);
    onOutput(text, stream);
  };
  child.stdout?.on("data", collect("stdout"));
  child.stderr?.on("data", collect("stderr"));
  const result = await child;
  const outcome: CommandOutcome = {
    exitCode: result.exitCode ?? null,
    timedOut: result.timedOut,
    cancelled: result.isCanceled,
    output,
    durationMs: Math.round(performance.now() - started),
  };
  if (result.timedOut) outcome.failure = `timed out after ${spec.timeoutMs}ms`;
  else if (result.isCanceled) outcome.failure = "cancelled";
  else if (result.exitCode === undefined) {
    const code = (result as { code?: string }).code;
    outcome.failure = result.signal
      ? `killed by ${result.signal}`
      : code === "ENOENT"
        ? "command not found"
        : (code ?? result.shortMessage ?? "could not start");
  }
  return outcome;
};

/** The last lines of some output, for the journal. */
export function outputTail(text: string, lines = 20, maxChars = 2000): string {
  const kept = text.replace(/\s+$/, "").split(/\r?\n/).slice(-lines).join("\n");
  return kept.length > maxChars ? `…${kept.slice(-maxChars)}` : kept;
}
