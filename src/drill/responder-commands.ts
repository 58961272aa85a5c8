import type { Command } from "../model/common.js";
import type { Mode } from "../model/scenario.js";
import type { ActionResult } from "./actions.js";
import { type CommandRunner, type OutputStream, outputTail } from "./command-spec.js";
import type { DrillEvent } from "./events.js";

/** A command the responder started, while it runs. */
export interface RunningCommand {
  command: Command;
  offRunbook: boolean;
  procedure?: string;
  step?: string;
  startedT: number;
}

export interface OutputChunk {
  text: string;
  stream: OutputStream;
  procedure?: string;
  step?: string;
}

export interface CommandRequest {
  command: Command;
  shell: boolean;
  timeoutMs: number;
  /** set for a runbook step's command; an ad-hoc command has neither */
  procedure?: string;
  step?: string;
}

/** What the responder's commands need from the session they run in. */
export interface CommandHost {
  readonly mode: Mode;
  /** the scenario's `tabletop.outcomes` text for a step, if any */
  tabletopOutcome(step: string | undefined): string | undefined;
  now(): number;
  emit(event: DrillEvent): void;
  /** the command on screen (null once it ended) and its output so far */
  show(running: RunningCommand | null, output?: readonly string[]): void;
  /** lines to add to the output on screen */
  append(lines: readonly string[]): void;
  /** each chunk of output as it arrives */
  stream(chunk: OutputChunk): void;
  /** keeps the session's clean-up waiting until the command settled */
  track<T>(promise: Promise<T>): Promise<T>;
  runCommand: CommandRunner;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs the responder's commands, one at a time, streaming their output and journaling each as
 * `command.ran`. A tabletop drill touches nothing: its commands are recorded as not run, with the
 * scenario's outcome for the step when it has one.
 */
export class ResponderCommands {
  private abort: AbortController | null = null;

  constructor(private readonly host: CommandHost) {}

  get running(): boolean {
    return this.abort !== null;
  }

  /** Cancels the running command; false when none is running. */
  cancel(): boolean {
    if (!this.abort) return false;
    this.abort.abort();
    return true;
  }

  async run(request: CommandRequest): Promise<ActionResult> {
    const { host } = this;
    const { command, procedure, step } = request;
    const where = procedure && step ? { procedure, step } : {};
    if (host.mode === "tabletop") {
      const outcome = host.tabletopOutcome(step);
      host.emit({
        type: "command.ran",
        command,
        exitCode: null,
        durationMs: 0,
        offRunbook: !step,
        ...where,
        notRun: "tabletop",
        ...(outcome ? { outcome } : {}),
      });
      return {
        ok: true,
        command: {
          exitCode: null,
          cancelled: false,
          timedOut: false,
          durationMs: 0,
          notRun: "tabletop",
        },
      };
    }
    if (procedure && step) host.emit({ type: "step.started", procedure, step });
    const abort = new AbortController();
    this.abort = abort;
    host.show({ command, offRunbook: !step, ...where, startedT: host.now() }, []);
    let partial = "";
    const ran = await host.track(
      host.runCommand(
        {
          command,
          shell: request.shell,
          timeoutMs: request.timeoutMs,
          signal: abort.signal,
          ...(host.cwd ? { cwd: host.cwd } : {}),
          ...(host.env ? { env: host.env } : {}),
        },
        (text, stream) => {
          host.stream({ text, stream, ...where });
          const lines = (partial + text).split(/\r?\n/);
          partial = lines.pop() ?? "";
          if (lines.length > 0) host.append(lines);
        },
      ),
    );
    if (partial) host.append([partial]);
    this.abort = null;
    host.show(null);
    const tail = outputTail(ran.output);
    host.emit({
      type: "command.ran",
      command,
      exitCode: ran.exitCode,
      durationMs: ran.durationMs,
      offRunbook: !step,
      ...where,
      ...(ran.cancelled ? { cancelled: true } : {}),
      ...(tail ? { outputTail: tail } : {}),
    });
    return {
      ok: true,
      command: {
        exitCode: ran.exitCode,
        cancelled: ran.cancelled,
        timedOut: ran.timedOut,
        durationMs: ran.durationMs,
        ...(ran.failure ? { failure: ran.failure } : {}),
      },
    };
  }
}
