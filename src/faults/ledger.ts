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
import { LedgerFile } from "../model/ledger-file.js";
import { messageOf } from "../model/message.js";
import { redactDeep, secretReferencer, textRedactor } from "../model/secrets.js";
import { zodIssueText } from "../model/zod-issue-text.js";
import type { RevertRecipe } from "./fault-types.js";

export { LEDGER_VERSION, LedgerFile } from "../model/ledger-file.js";

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

/**
 * The ledger at `path`, or undefined when there is none (the drill ended normally). Throws an
 * Error naming the file and the field when it is not a ledger this version can undo.
 */
export function readLedger(path: string): LedgerFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: not a firedrill ledger: invalid JSON (${messageOf(error)})`);
  }
  const result = LedgerFile.safeParse(data);
  if (!result.success) {
    throw new Error(`${path}: not a firedrill ledger: ${zodIssueText(result.error.issues[0])}`);
  }
  const ledger = result.data;
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
