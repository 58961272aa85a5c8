import { userPattern } from "../model/pattern.js";
import type { Probe } from "../model/scenario.js";
import { redactSecrets } from "../model/secrets.js";
import { runCommand, tail } from "../platform/command-runner.js";
import type { ProbeOptions, ProbeResult } from "./probe-types.js";
import { finish } from "./result.js";

type CommandSpec = NonNullable<Probe["command"]>;

export async function commandProbe(
  spec: CommandSpec,
  timeoutMs: number,
  options: ProbeOptions = {},
): Promise<ProbeResult> {
  const run = await runCommand(spec.run, {
    shell: spec.shell,
    timeoutMs,
    signal: options.signal,
  });
  if (run.failure) return finish(false, run.durationMs, run.failure);
  if (run.exitCode !== spec.expectExit) {
    const why = tail(redactSecrets(run.stderr || run.stdout), 1, 80);
    return finish(false, run.durationMs, `exit ${run.exitCode}${why ? `: ${why}` : ""}`);
  }
  if (spec.outputMatches !== undefined && !userPattern(spec.outputMatches).test(run.stdout)) {
    return finish(false, run.durationMs, `output does not match /${spec.outputMatches}/`);
  }
  return finish(true, run.durationMs, `exit ${run.exitCode}`);
}
