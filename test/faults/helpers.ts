import { type ChildProcess, spawn } from "node:child_process";
import { isAlive } from "../../src/faults/index.js";
import type { ScenarioInput } from "../../src/model/scenario.js";

const children: ChildProcess[] = [];
/** watchdog pids to kill after each test, in case one outlived it */
export const watchdogs: number[] = [];

export function killStarted(): void {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  for (const pid of watchdogs.splice(0)) if (isAlive(pid)) process.kill(pid, "SIGKILL");
}

/** Starts the stand-in drill process and resolves with its watchdog's pid once faults are applied. */
export async function startDrillParent(
  scenario: Partial<ScenarioInput>,
  ledgerPath: string,
  toxiproxyUrl?: string,
): Promise<{ child: ChildProcess; watchdogPid: number }> {
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
  if (toxiproxyUrl) args.push(toxiproxyUrl);
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const watchdogPid = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk) => {
      out += chunk;
      const match = /APPLIED (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once("exit", (code) => reject(new Error(`drill parent exited ${code}: ${stderr}`)));
  });
  watchdogs.push(watchdogPid);
  return { child, watchdogPid };
}

export { until } from "../support/until.js";
