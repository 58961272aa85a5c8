import { spawn } from "node:child_process";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { messageOf } from "../model/message.js";
import { textRedactor } from "../model/secrets.js";
import type { RevertReport } from "./fault-types.js";
import { type LedgerFile, readLedger, removeLedger, writeLedger } from "./ledger.js";
import { REQUEST_TIMEOUT_MS } from "./toxiproxy-api.js";
import { undoAgain, undoChanges } from "./undo.js";

export const WATCHDOG_INTERVAL_MS = 200;
/**
 * How long after its ledger entry a request of the dead drill may still land on Toxiproxy: the
 * drill gives up on a request after REQUEST_TIMEOUT_MS, plus a margin for a slow server.
 */
export const IN_FLIGHT_MS = REQUEST_TIMEOUT_MS + 1000;
const SETTLE_EVERY_MS = 100;

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
 * Starts the watchdog: a detached process that outlives us. It holds the read end of a pipe whose
 * write end only this process has: the kernel closes it when we die, however we die, whether or
 * not anyone reaps us (a zombie still answers `kill(pid, 0)`). It also polls the process. When we
 * are gone (crash, kill -9, closed terminal) it undoes everything still in the ledger, newest first.
 * It exits quietly once the ledger file is removed, which `FaultBackend.dispose` does at a normal end.
 */
export function startWatchdog(options: WatchdogOptions): WatchdogHandle {
  const script = options.script ?? watchdogScript();
  const parentPid = options.parentPid ?? process.pid;
  // Only the parent itself can hold the pipe; watching another process falls back to polling.
  const pipe = parentPid === process.pid;
  const child = spawn(
    process.execPath,
    [
      script,
      "--parent",
      String(parentPid),
      "--ledger",
      options.ledgerPath,
      "--interval",
      String(options.intervalMs ?? WATCHDOG_INTERVAL_MS),
      ...(pipe ? ["--pipe"] : []),
    ],
    { detached: true, stdio: [pipe ? "pipe" : "ignore", "ignore", "ignore"] },
  );
  child.unref();
  // The pipe must neither keep us running nor be closed before we exit.
  child.stdin?.on("error", () => {});
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
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

/** Whether `pid` is a running process: a zombie (dead, not yet reaped by its parent) is not. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  return !isZombie(pid);
}

/** Linux: the state letter after the command name in /proc/<pid>/stat; elsewhere unknown (false). */
function isZombie(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return false;
  }
  // the command name is in parentheses and may itself contain ") "
  const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  return state === "Z" || state === "X";
}

export interface RevertLedgerOptions {
  /** how long after an entry was recorded its request may still land (default IN_FLIGHT_MS) */
  inFlightMs?: number;
  /** the time now, ms since the epoch (tests) */
  now?: () => number;
}

/**
 * Undoes everything a ledger file records: faults newest first, then the proxies the drill
 * created. What could not be undone stays in the file (for `firedrill cleanup` to retry); an
 * emptied ledger is removed.
 *
 * A drill that died may have had a request in flight (an add-toxic, a create-proxy) that lands
 * after the first undo found nothing to remove. So until every such request could have landed,
 * the Toxiproxy undos (idempotent, and only ever touching this drill's names) are repeated, and
 * the ledger stays on disk meanwhile. Command reverts run once: running one twice is not harmless.
 */
export async function revertLedgerFile(
  path: string,
  options: RevertLedgerOptions = {},
): Promise<RevertReport> {
  const ledger = readLedger(path);
  if (!ledger) return { reverted: [], failed: [] };
  const now = options.now ?? Date.now;
  const settleUntil = latestToxiproxyIntent(ledger) + (options.inFlightMs ?? IN_FLIGHT_MS);
  const proxiesBefore = [...ledger.createdProxies];
  const report = await undoChanges(ledger);
  const again = {
    faults: report.reverted.filter((f) => f.revert.kind !== "command"),
    createdProxies: proxiesBefore.filter((p) => !ledger.createdProxies.includes(p)),
  };
  while (now() < settleUntil) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_EVERY_MS));
    await undoAgain(ledger.drillId, again);
    if (ledger.faults.length > 0 || ledger.createdProxies.length > 0) {
      const retry = await undoChanges(ledger);
      report.reverted.push(...retry.reverted);
      report.failed = retry.failed;
    }
  }
  if (ledger.faults.length === 0 && ledger.createdProxies.length === 0) removeLedger(path);
  else writeLedger(path, ledger);
  return report;
}

/** When the newest Toxiproxy change of the ledger was recorded (0 when none is dated). */
function latestToxiproxyIntent(ledger: LedgerFile): number {
  const times = [
    ...ledger.faults.filter((f) => f.revert.kind.startsWith("toxiproxy.")).map((f) => f.appliedAt),
    ...ledger.createdProxies.map((p) => p.at),
  ];
  let latest = 0;
  for (const time of times) {
    const ms = time === undefined ? Number.NaN : Date.parse(time);
    if (Number.isFinite(ms) && ms > latest) latest = ms;
  }
  return latest;
}

/** The watchdog's loop (run by `watchdog-main.ts` in its own process). Resolves when it is done. */
export function watch(options: {
  parentPid: number;
  ledgerPath: string;
  intervalMs: number;
  /** resolves when the pipe from the drill process closes: it died (or exited) */
  parentGone?: Promise<void>;
  log?: (line: string) => void;
}): Promise<RevertReport | undefined> {
  const log = options.log ?? (() => {});
  return new Promise((resolve) => {
    let gone = false;
    let acting = false;
    const check = () => {
      if (acting) return;
      if (!existsSync(options.ledgerPath)) {
        acting = true;
        clearInterval(timer);
        resolve(undefined);
        return;
      }
      if (!gone && isAlive(options.parentPid)) return;
      acting = true;
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
    };
    const timer = setInterval(check, options.intervalMs);
    void options.parentGone?.then(() => {
      gone = true;
      check();
    });
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
