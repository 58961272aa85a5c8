import { z } from "zod";
import { Command, Id } from "./common.js";
import { Duration } from "./duration.js";

export const STEP_KINDS = ["check", "action", "verify", "rollback", "escalate"] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export const Step = z.strictObject({
  id: Id,
  kind: z.enum(STEP_KINDS),
  title: z.string().min(1),
  run: Command.optional(),
  shell: z.boolean().default(false),
  timeout: Duration.default(60_000),
  optional: z.boolean().default(false).meta({ description: "not required for full adherence" }),
  notes: z.string().optional(),
});
export type Step = z.infer<typeof Step>;

export const Procedure = z.strictObject({
  id: Id,
  title: z.string().min(1),
  description: z.string().optional(),
  steps: z.array(Step).min(1),
});
export type Procedure = z.infer<typeof Procedure>;

export const EscalationLevel = z.strictObject({
  level: z.number().int().min(1),
  who: z.string().min(1),
  after: Duration.default(0),
  contact: z.string().optional(),
});
export type EscalationLevel = z.infer<typeof EscalationLevel>;

export const Runbook = z.strictObject({
  service: Id,
  title: z.string().optional(),
  owner: z.string().min(1),
  escalation: z.array(EscalationLevel).default([]),
  monitoring: z
    .strictObject({
      alerts: z
        .array(z.strictObject({ name: z.string().min(1), threshold: z.string().min(1) }))
        .default([]),
      dashboards: z.array(z.string()).default([]),
    })
    .default({ alerts: [], dashboards: [] }),
  reviewed: z.iso.date("use an ISO date such as 2026-10-01").optional(),
  procedures: z.array(Procedure).min(1),
});
export type Runbook = z.infer<typeof Runbook>;
export type RunbookInput = z.input<typeof Runbook>;
