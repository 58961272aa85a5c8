import type { Command } from "../model/common.js";
import { type CommandRun, type OutputStream, runCommand } from "../platform/command-runner.js";
import { secretRedactor } from "./redact.js";

export type { OutputStream } from "../platform/command-runner.js";

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

/**
 * Runs the command with the output streamed as it comes (for the screen) and returns it redacted
 * with the command's own environment: whatever shortens it afterwards (`outputTail`) then cuts
 * `[redacted NAME]`, never the middle of a secret whose other half would survive.
 */
export const runResponderCommand: CommandRunner = async (spec, onOutput) => {
  const run = await runCommand(spec.command, {
    shell: spec.shell,
    timeoutMs: spec.timeoutMs,
    onOutput,
    keepChars: MAX_OUTPUT_CHARS,
    ...(spec.cwd ? { cwd: spec.cwd } : {}),
    ...(spec.env ? { env: spec.env } : {}),
    ...(spec.signal ? { signal: spec.signal } : {}),
  });
  return { ...run, output: secretRedactor(spec.env ?? process.env)(run.output) };
};

/** The last lines of some output (already redacted: see `runResponderCommand`), for the journal. */
export function outputTail(text: string, lines = 20, maxChars = 2000): string {
  const kept = text.replace(/\s+$/, "").split(/\r?\n/).slice(-lines).join("\n");
  return kept.length > maxChars ? `…${kept.slice(-maxChars)}` : kept;
}
