import type { Command } from "../model/common.js";
import { type CommandRun, type OutputStream, runCommand } from "../probes/exec.js";

export type { OutputStream } from "../probes/exec.js";

export interface CommandSpec {
  command: Command;
  /** run a command line through the shell; argv commands never use one */
  shell: boolean;
  timeoutMs: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

/** What became of a responder's command; `output` is stdout and stderr interleaved. */
export type CommandOutcome = Pick<
  CommandRun,
  "exitCode" | "timedOut" | "cancelled" | "output" | "durationMs" | "failure"
>;

/** Runs a responder's command, streaming its output; never rejects. */
export type CommandRunner = (
  spec: CommandSpec,
  onOutput: (text: string, stream: OutputStream) => void,
) => Promise<CommandOutcome>;

/** Output kept per command, from the end: enough for a screen, bounded for a long-running tail -f. */
const MAX_OUTPUT_CHARS = 64 * 1024;

export const runResponderCommand: CommandRunner = (spec, onOutput) =>
  runCommand(spec.command, {
    shell: spec.shell,
    timeoutMs: spec.timeoutMs,
    onOutput,
    keepChars: MAX_OUTPUT_CHARS,
    ...(spec.cwd ? { cwd: spec.cwd } : {}),
    ...(spec.env ? { env: spec.env } : {}),
    ...(spec.signal ? { signal: spec.signal } : {}),
  });

/** The last lines of some output, for the journal. */
export function outputTail(text: string, lines = 20, maxChars = 2000): string {
  const kept = text.replace(/\s+$/, "").split(/\r?\n/).slice(-lines).join("\n");
  return kept.length > maxChars ? `…${kept.slice(-maxChars)}` : kept;
}
