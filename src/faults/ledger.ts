import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { interpolate } from "../model/env.js";
import { redactDeep, secretReferencer, textRedactor } from "../model/secrets.js";
import type { AppliedFault, CreatedProxy, RevertRecipe } from "./fault-types.js";

export const LEDGER_VERSION = 1;

/**
 * The ledger file: everything a drill has changed and how to undo it, kept current on disk so the
 * watchdog (or `firedrill cleanup`) can undo it after the drill process died. Faults are in the
 * order they were applied; undo runs newest first.
 */
export interface LedgerFile {
  version: typeof LEDGER_VERSION;
  drillId: string;
  /** the drill process */
  pid: number;
  faults: AppliedFault[];
  createdProxies: CreatedProxy[];
  /** Set when secrets in revert recipes are stored as `${NAME}` (older ledgers hold them as is). */
  secretReferences?: true;
}

/** `.firedrill/run/<drillId>.ledger.json` under `cwd`. */
export function defaultLedgerPath(drillId: string, cwd = process.cwd()): string {
  return join(cwd, ".firedrill", "run", `${drillId}.ledger.json`);
}

/**
 * Writes the ledger durably: a temporary file is written and fsynced, then renamed over the old
 * one, so a reader (or a crash) only ever sees a whole ledger. No secret is written: labels are
 * redacted, and in what undoes a change (a revert command) secrets from the environment become
 * `${NAME}` references that `readLedger` fills in again from the environment.
 */
export function writeLedger(path: string, ledger: LedgerFile): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, "w", 0o600);
  try {
    writeSync(fd, `${JSON.stringify(withoutSecrets(ledger), null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  syncDirectory(dirname(path));
}

function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // some platforms cannot fsync a directory; the file itself is synced
  }
}

/** The ledger at `path`, or undefined when there is none (the drill ended normally). */
export function readLedger(path: string): LedgerFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<LedgerFile>;
  if (parsed.version !== LEDGER_VERSION || !Array.isArray(parsed.faults)) {
    throw new Error(`${path} is not a firedrill ledger (version ${String(parsed.version)})`);
  }
  const ledger = { createdProxies: [], ...parsed } as LedgerFile;
  return ledger.secretReferences ? withSecrets(ledger) : ledger;
}

/** A recipe with `change` applied to its strings, except `kind`, which says how to read the rest. */
function recipeStrings(recipe: RevertRecipe, change: (text: string) => string): RevertRecipe {
  return { ...redactDeep(recipe, change), kind: recipe.kind } as RevertRecipe;
}

function withoutSecrets(ledger: LedgerFile): LedgerFile {
  const redact = textRedactor(process.env);
  const reference = secretReferencer(process.env);
  return {
    ...ledger,
    faults: ledger.faults.map((fault) => ({
      ...fault,
      label: redact(fault.label),
      revert: recipeStrings(fault.revert, reference),
    })),
    createdProxies: redactDeep(ledger.createdProxies, reference),
    secretReferences: true,
  };
}

/** The ledger as written by `withoutSecrets`, with its `${NAME}` references filled in again. */
function withSecrets(ledger: LedgerFile): LedgerFile {
  const fill = (text: string) => interpolate(text, process.env).value;
  return {
    ...ledger,
    faults: ledger.faults.map((fault) => ({
      ...fault,
      revert: recipeStrings(fault.revert, fill),
    })),
    createdProxies: redactDeep(ledger.createdProxies, fill),
  };
}

export function removeLedger(path: string): void {
  rmSync(path, { force: true });
}
