import { readFile } from "node:fs/promises";
import { z } from "zod";
import { Command } from "../model/common.js";
import { Duration } from "../model/duration.js";
import type { Env } from "../model/env.js";
import { issuesToProblems } from "../model/issues.js";
import type { Problem } from "../model/problem.js";
import { parseYaml, problemAt } from "../model/source.js";
import type { DrillEventType } from "./events.js";

const EVENT_TYPES = [
  "drill.started",
  "fault.applied",
  "fault.reverted",
  "fault.failed",
  "signal.shown",
  "probe.result",
  "acknowledged",
  "escalated",
  "procedure.selected",
  "step.started",
  "step.completed",
  "step.skipped",
  "command.ran",
  "hint.taken",
  "mitigated",
  "note",
] as const satisfies readonly DrillEventType[];

/**
 * When an action happens: after `waitFor` (the first event of that type, or `alert` for the first
 * alert signal) if given, then at drill time `at`, or `after` this long once the previous action
 * finished (or once the awaited event came).
 */
const timing = {
  at: Duration.optional().meta({ description: "drill time (from the start) to act at" }),
  after: Duration.optional().meta({
    description: "delay after the previous action finished (default 0)",
  }),
  waitFor: z
    .enum([...EVENT_TYPES, "alert"])
    .optional()
    .meta({ description: "wait for the first event of this type (or the first alert) first" }),
};

const background = z.boolean().default(false).meta({
  description:
    "go on with the next action without waiting for the command (so `cancel` can stop it)",
});

const action = <D extends string, S extends z.ZodRawShape>(name: D, shape: S) =>
  z.strictObject({ do: z.literal(name), ...timing, ...shape });

export const ScriptAction = z.discriminatedUnion("do", [
  action("acknowledge", {}),
  action("escalate", { level: z.number().int().min(1) }),
  action("select", { procedure: z.string().min(1) }),
  action("complete", { step: z.string().optional(), note: z.string().optional() }),
  action("skip", { step: z.string().optional(), reason: z.string().optional() }),
  action("run", {
    step: z.string().optional(),
    complete: z
      .boolean()
      .default(false)
      .meta({ description: "kept for older scripts: an exit 0 always marks the step done" }),
    background,
  }),
  action("command", {
    run: Command,
    shell: z.boolean().default(false),
    timeout: Duration.default(60_000),
    background,
  }),
  action("cancel", {}),
  action("hint", { hint: z.number().int().min(1).optional() }),
  action("mitigate", {}),
  action("abort", { reason: z.string().default("scripted abort") }),
  action("note", { text: z.string().min(1) }),
  action("reveal-signal", {}),
  action("inject-fault", {}),
  action("wait", {}),
]);
export type ScriptAction = z.infer<typeof ScriptAction>;

export const ResponderScript = z.strictObject({
  responder: z.string().min(1).optional(),
  actions: z.array(ScriptAction).min(1),
});
export type ResponderScript = z.infer<typeof ResponderScript>;

export type ScriptLoad = { ok: true; script: ResponderScript } | { ok: false; problems: Problem[] };

export function parseScript(text: string, file: string, env?: Env): ScriptLoad {
  const parsed = parseYaml(text, file, {
    ...(env ? { env } : {}),
    expected: "a responder script: actions with do, at/after",
  });
  if (!parsed.source) return { ok: false, problems: parsed.problems };
  const result = ResponderScript.safeParse(parsed.source.value);
  if (!result.success) {
    const root = ResponderScript as unknown as Parameters<typeof issuesToProblems>[1]["root"];
    return {
      ok: false,
      problems: issuesToProblems(result.error.issues, {
        root,
        data: parsed.source.value,
        locate: parsed.source.locate,
        rule: "script",
      }),
    };
  }
  return { ok: true, script: result.data };
}

export async function loadScript(file: string, env?: Env): Promise<ScriptLoad> {
  try {
    return parseScript(await readFile(file, "utf8"), file, env);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "file not found" : String(error);
    return {
      ok: false,
      problems: [problemAt({ file, line: 1, col: 1 }, [], `cannot read: ${reason}`, "read")],
    };
  }
}
