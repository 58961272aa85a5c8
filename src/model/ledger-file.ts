import { z } from "zod";

/**
 * The ledger file (`.firedrill/run/<drillId>.ledger.json`): everything a drill has changed and
 * how to undo it, read back by the watchdog and `firedrill cleanup` after the drill process died.
 * Plain JSON written by firedrill itself; this is the one schema it is read through.
 */
export const LEDGER_VERSION = 1;

const IsoTime = z.string().min(1);

/** What it takes to undo one applied fault without the process that applied it. */
export const RevertRecipe = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("toxiproxy.removeToxic"),
    url: z.string(),
    proxy: z.string(),
    toxic: z.string(),
  }),
  z.object({ kind: z.literal("toxiproxy.enableProxy"), url: z.string(), proxy: z.string() }),
  z.object({
    kind: z.literal("command"),
    command: z.union([z.array(z.string()), z.string()]),
    shell: z.boolean(),
    timeoutMs: z.number(),
    cwd: z.string(),
  }),
  /** tabletop: nothing was touched, so there is nothing to undo */
  z.object({ kind: z.literal("none") }),
]);
export type RevertRecipe = z.infer<typeof RevertRecipe>;

export const FAULT_BACKENDS = ["toxiproxy", "simulated", "command"] as const;
export type FaultBackendKind = (typeof FAULT_BACKENDS)[number];

export const AppliedFault = z.object({
  /** the fault's position in `scenario.faults` */
  index: z.number().int().nonnegative(),
  label: z.string(),
  backend: z.enum(FAULT_BACKENDS),
  /** wall-clock time of the apply, ISO 8601 */
  appliedAt: IsoTime,
  revert: RevertRecipe,
});
export type AppliedFault = z.infer<typeof AppliedFault>;

/** A proxy firedrill created for the drill and must remove at the end. */
export const CreatedProxy = z.object({
  url: z.string(),
  name: z.string(),
  /** when the create request was about to be sent, ISO 8601 (recorded before it, like a fault) */
  at: IsoTime.optional(),
});
export type CreatedProxy = z.infer<typeof CreatedProxy>;

/**
 * Faults are in the order they were applied; undo runs newest first. Keys this version does not
 * know are kept (looseObject), so a field added by a newer firedrill survives a rewrite.
 */
export const LedgerFile = z.looseObject({
  version: z.literal(LEDGER_VERSION, {
    error: (issue) =>
      `this firedrill reads ledger version ${LEDGER_VERSION}, not ${JSON.stringify(issue.input)}; undo its changes with the firedrill that wrote it`,
  }),
  drillId: z.string().min(1),
  /** the drill process */
  pid: z.number().int().positive(),
  faults: z.array(AppliedFault),
  /** absent in ledgers written before proxies were created by firedrill */
  createdProxies: z.array(CreatedProxy).default([]),
  /** Set when secrets in revert recipes are stored as `${NAME}` (older ledgers hold them as is). */
  secretReferences: z.literal(true).optional(),
});
export type LedgerFile = z.output<typeof LedgerFile>;
