import { type ChildProcess, spawn } from "node:child_process";
import { isAlive } from "../../src/faults/index.js";
import type { ScenarioInput } from "../../src/model/scenario.js";

const children: ChildProcess[] = [];
/** watchdog pids to kill after each test, in case one outlived it */
export const watchdogs: number[] = [];
const drills: number[] = [];

export function killStarted(): void {
  for (const pid of drills.splice(0)) if (isAlive(pid)) process.kill(pid, "SIGKILL");
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  for (const pid of watchdogs.splice(0)) if (isAlive(pid)) process.kill(pid, "SIGKILL");
}

export interface DrillParentOptions {
  /** resolve once the watchdog runs (before any fault), not once the faults are applied */
  until?: "watchdog" | "applied";
  /**
   * Start the drill under a parent that never reaps it (`sh -c 'drill & exec sleep'`), so a
   * killed drill stays a zombie.
   */
  unreaped?: boolean;
}

/**
 * Starts the stand-in drill process and resolves with its watchdog's pid and its own pid once
 * faults are applied (or the watchdog runs). `child` is the process spawned: the drill itself or
 * its non-reaping parent.
 */
export async function startDrillParent(
  scenario: Partial<ScenarioInput>,
  ledgerPath: string,
  toxiproxyUrl?: string,
  options: DrillParentOptions = {},
): Promise<{ child: ChildProcess; watchdogPid: number; drillPid: number }> {
  const full = {
    id: "wd",
    title: "watchdog",
    service: "svc",
    targets: { ttr: "5m" },
    briefing: "b",
    ...scenario,
  };
  const args = [
    "--import",
    "tsx",
    "test/faults/fixtures/drill-parent.ts",
    JSON.stringify(full),
    ledgerPath,
  ];
  args.push(toxiproxyUrl ?? "");
  const child = options.unreaped
    ? spawn("sh", ["-c", '"$@" & exec sleep 120', "sh", process.execPath, ...args], {
        stdio: ["ignore", "pipe", "pipe"],
      })
    : spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const word = options.until === "watchdog" ? "WATCHDOG" : "APPLIED";
  const [watchdogPid, drillPid] = await new Promise<[number, number]>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk) => {
      out += chunk;
      const match = new RegExp(`${word} (\\d+) (\\d+)`).exec(out);
      if (match) resolve([Number(match[1]), Number(match[2])]);
    });
    child.once("exit", (code) => reject(new Error(`drill parent exited ${code}: ${stderr}`)));
  });
  watchdogs.push(watchdogPid);
  drills.push(drillPid);
  return { child, watchdogPid, drillPid };
}

export { until } from "../support/until.js";
