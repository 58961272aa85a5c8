import { spawn } from "node:child_process";
import { appendFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { messageOf } from "../model/message.js";
import { textRedactor } from "../model/secrets.js";
import { readLedger, removeLedger, writeLedger } from "./ledger.js";
import type { RevertReport } from "./types.js";
import { undoChanges } from "./undo.js";

export const WATCHDOG_INTERVAL_MS = 200;

export interface WatchdogOptions {
  ledgerPath: string;
  /** the process whose death triggers the revert (default: this one) */
  parentPid?: number;
  intervalMs?: number;
  /** the watchdog entry script; default `watchdog.js` next to the bundle */
  script?: string;
}

export interface WatchdogHandle {
  pid: number;
  /** Stops the watchdog without reverting (removing the ledger file does the same). */
  stop(): void;
}

/**
 * Starts the watchdog: a detached process that outlives us. It polls this process and, when it is
 * gone (crash, kill -9, closed terminal), undoes everything still in the ledger, newest first.
 * It exits quietly once the ledger file is removed, which `FaultBackend.dispose` does at a normal end.
 */
export function startWatchdog(options: WatchdogOptions): WatchdogHandle {
  const script = options.script ?? watchdogScript();
  const child = spawn(
    process.execPath,
    [
      script,
      "--parent",
      String(options.parentPid ?? process.pid),
      "--ledger",
      options.ledgerPath,
      "--interval",
      String(options.intervalMs ?? WATCHDOG_INTERVAL_MS),
    ],
    { detached: true, stdio: "ignore" },
  );
  child.unref();
  const pid = child.pid;
  if (pid === undefined)
    throw new Error(`cannot start the watchdog (${process.execPath} ${script})`);
  return {
    pid,
    stop() {
      try {
        process.kill(pid, "SIGTERM");
      } catch {
        // already gone
      }
    },
  };
}

/** `watchdog.js` next to the running bundle, or in `dist/` when running from the sources. */
export function watchdogScript(): string {
  const candidates = [
    new URL("./watchdog.js", import.meta.url),
    new URL("../../dist/watchdog.js", import.meta.url),
  ];
  for (const candidate of candidates) {
    const path = fileURLToPath(candidate);
    if (existsSync(path)) return path;
  }
  throw new Error("the watchdog script (dist/watchdog.js) is missing: run `npm run build`");
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Undoes everything a ledger file records: faults newest first, then the proxies the drill
 * created. What could not be undone stays in the file (for `firedrill cleanup` to retry); an
 * emptied ledger is removed.
 */
export async function revertLedgerFile(path: string): Promise<RevertReport> {
  const ledger = readLedger(path);
  if (!ledger) return { reverted: [], failed: [] };
  const report = await undoChanges(ledger);
  if (ledger.faults.length === 0 && ledger.createdProxies.length === 0) removeLedger(path);
  else writeLedger(path, ledger);
  return report;
}

/** The watchdog's loop (run by `watchdog-main.ts` in its own process). Resolves when it is done. */
export function watch(options: {
  parentPid: number;
  ledgerPath: string;
  intervalMs: number;
  log?: (line: string) => void;
}): Promise<RevertReport | undefined> {
  const log = options.log ?? (() => {});
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (!existsSync(options.ledgerPath)) {
        clearInterval(timer);
        resolve(undefined);
        return;
      }
      if (isAlive(options.parentPid)) return;
      clearInterval(timer);
      log(`drill process ${options.parentPid} is gone; reverting ${options.ledgerPath}`);
      revertLedgerFile(options.ledgerPath).then(
        (report) => {
          for (const entry of report.reverted) log(`reverted ${entry.label}`);
          for (const failure of report.failed)
            log(`could not revert ${failure.label}: ${failure.error}`);
          resolve(report);
        },
        (error: unknown) => {
          log(`cannot read the ledger: ${messageOf(error)}`);
          resolve({ reverted: [], failed: [] });
        },
      );
    }, options.intervalMs);
  });
}

/**
 * The watchdog writes what it did next to the ledger: `<ledger>.watchdog.log`, owner-only, with
 * secrets redacted (it inherited the drill's environment, so it knows the drill's secrets).
 */
export function watchdogLogger(ledgerPath: string): (line: string) => void {
  const redact = textRedactor(process.env);
  return (line) => {
    try {
      appendFileSync(
        `${ledgerPath}.watchdog.log`,
        `${new Date().toISOString()} ${redact(line)}\n`,
        { mode: 0o600 },
      );
    } catch {
      // nowhere to report to: the watchdog has no terminal
    }
  };
}
