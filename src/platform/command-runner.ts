// The generic command runner (execa with timeouts, cancellation and readable reasons) used by
// probes, fault reverts and the drill's responder commands alike: it lives in src/platform, the
// layer above src/model and below src/proxy, so each of them imports it downward.
import { execa, parseCommandString } from "execa";
import { commandText } from "../model/common.js";
import { messageOf } from "../model/message.js";

export type OutputStream = "stdout" | "stderr";

export interface CommandRun {
  /** null when the process did not exit by itself (timed out, cancelled, killed, could not start) */
  exitCode: number | null;
  timedOut: boolean;
  cancelled: boolean;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they arrived */
  output: string;
  durationMs: number;
  /**
   * Why there is no exit code, in a few words: `timed out after 500ms`, `cancelled`,
   * `killed by SIGKILL`, `command not found: x`.
   */
  failure?: string;
}

export interface RunCommandOptions {
  /** run a command line through the shell; argv commands never use one */
  shell?: boolean;
  timeoutMs: number;
  cwd?: string;
  /** the command's whole environment, instead of ours */
  env?: NodeJS.ProcessEnv;
  /** cancels the command: it is killed and the run says `cancelled` */
  signal?: AbortSignal;
  /** each chunk of output as it arrives */
  onOutput?: (text: string, stream: OutputStream) => void;
  /** keep only this many characters from the end of each output (a long `tail -f`); default all */
  keepChars?: number;
}

/**
 * Runs a command (argv, or a command line for `shell: true`) and never rejects: probes, fault
 * backends and the responder's commands all need the outcome as data, whatever it was.
 */
export async function runCommand(
  command: string[] | string,
  options: RunCommandOptions,
): Promise<CommandRun> {
  const started = performance.now();
  const common = {
    reject: false,
    timeout: options.timeoutMs,
    forceKillAfterDelay: 1000,
    stdin: "ignore",
    // a hung grandchild must not keep the pipes (and us) open past the timeout
    cleanup: true,
    // read through the listeners below, so a long-running command's output stays bounded
    buffer: false,
    ...(options.signal ? { cancelSignal: options.signal } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.env ? { env: options.env, extendEnv: false } : {}),
  } as const;
  let child: ReturnType<typeof execa<typeof common>>;
  try {
    if (typeof command === "string" && options.shell) {
      child = execa(command, { ...common, shell: true });
    } else {
      const [file, ...args] = typeof command === "string" ? parseCommandString(command) : command;
      child = execa(file ?? "", args, common);
    }
  } catch (error) {
    return {
      exitCode: null,
      timedOut: false,
      cancelled: false,
      stdout: "",
      stderr: "",
      output: "",
      durationMs: 0,
      failure: messageOf(error),
    };
  }

  const keep = options.keepChars ?? Number.POSITIVE_INFINITY;
  const kept = (text: string) => (text.length > keep ? text.slice(-keep) : text);
  const outputs = { stdout: "", stderr: "", output: "" };
  const collect = (stream: OutputStream) => (text: string) => {
    outputs[stream] = kept(outputs[stream] + text);
    outputs.output = kept(outputs.output + text);
    options.onOutput?.(text, stream);
  };
  // decoded per stream, so a character split across two chunks stays whole
  child.stdout?.setEncoding("utf8").on("data", collect("stdout"));
  child.stderr?.setEncoding("utf8").on("data", collect("stderr"));
  const result = await child;

  const run: CommandRun = {
    exitCode: result.exitCode ?? null,
    timedOut: result.timedOut,
    cancelled: result.isCanceled,
    // a check's `outputMatches: "ok$"` must match `echo ok`, as when execa buffered the output
    stdout: withoutFinalNewline(outputs.stdout),
    stderr: withoutFinalNewline(outputs.stderr),
    output: outputs.output,
    durationMs: Math.round(performance.now() - started),
  };
  const failure = failureOf(result, command, options.timeoutMs);
  if (failure !== undefined) run.failure = failure;
  return run;
}

function failureOf(
  result: {
    timedOut: boolean;
    isCanceled: boolean;
    exitCode?: number | undefined;
    signal?: string | undefined;
    shortMessage?: string;
  },
  command: string[] | string,
  timeoutMs: number,
): string | undefined {
  if (result.timedOut) return `timed out after ${timeoutMs}ms`;
  if (result.isCanceled) return "cancelled";
  if (result.exitCode !== undefined) return undefined;
  if (result.signal) return `killed by ${result.signal}`;
  const code = (result as { code?: string }).code;
  if (code === "ENOENT") return `command not found: ${commandText(command)}`;
  return code ?? result.shortMessage ?? "could not start";
}

function withoutFinalNewline(text: string): string {
  return text.replace(/\r?\n$/, "");
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
