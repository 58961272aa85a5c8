import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export type ServiceKind = "db" | "cache" | "payments" | "checkout";

export interface ServiceProcess {
  /** e.g. "db", "db-replica", "checkout" */
  name: string;
  pid: number;
  port: number;
  stop(): Promise<void>;
}

/**
 * Where dist/demo-service.js is: beside this code when running from the bundle, or in the repo's
 * dist/ when running from source (tests); `npm run build` creates it.
 */
export function defaultServiceEntry(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    join(here, "demo-service.js"),
    join(here, "..", "..", "dist", "demo-service.js"),
  ];
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      `demo-service.js not found (looked in ${candidates.join(", ")}); run npm run build`,
    );
  }
  return found;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Ends a child politely (stdin EOF and SIGTERM), then by SIGKILL if it lingers. */
async function terminate(child: ChildProcess, graceMs: number): Promise<void> {
  const done = exited(child);
  child.stdin?.end();
  child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), graceMs);
  });
  if ((await Promise.race([done, late])) === "late") {
    child.kill("SIGKILL");
    await done;
  }
  clearTimeout(timer);
}

/**
 * Starts one demo service as a child process and resolves once it printed its READY line. The
 * child watches its stdin pipe, so it exits even when this process is killed without cleanup.
 */
export function startServiceProcess(options: {
  kind: ServiceKind;
  name: string;
  args?: string[];
  entry?: string;
  log?: (line: string) => void;
  readyTimeoutMs?: number;
}): Promise<ServiceProcess> {
  const log = options.log ?? (() => {});
  const entry = options.entry ?? defaultServiceEntry();
  const child = spawn(
    process.execPath,
    [entry, options.kind, "--role", options.name, "--watch-parent", ...(options.args ?? [])],
    { stdio: ["pipe", "pipe", "pipe"] },
  );
  const stderrTail: string[] = [];
  createInterface({ input: child.stderr! }).on("line", (line) => {
    stderrTail.push(line);
    if (stderrTail.length > 20) stderrTail.shift();
    log(`[${options.name}] ${line}`);
  });
  // A broken stdin pipe (the child died) must not crash the launcher.
  child.stdin!.on("error", () => {});

  return new Promise<ServiceProcess>((resolve, reject) => {
    const timeoutMs = options.readyTimeoutMs ?? 15_000;
    const fail = (why: string) => {
      clearTimeout(timer);
      const tail = stderrTail.length > 0 ? `: ${stderrTail.join(" | ")}` : "";
      terminate(child, 1000).finally(() => reject(new Error(`${options.name} ${why}${tail}`)));
    };
    const timer = setTimeout(() => fail(`not ready within ${timeoutMs}ms`), timeoutMs);
    child.once("error", (error) => fail(`could not start (${error.message})`));
    const early = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(`exited before ready (${signal ?? `code ${code}`})`);
    child.once("exit", early);
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      if (!line.startsWith("READY ")) {
        log(`[${options.name}] ${line}`);
        return;
      }
      const ready = JSON.parse(line.slice("READY ".length)) as { port: number };
      clearTimeout(timer);
      child.off("exit", early);
      child.on("error", () => {});
      child.on("exit", (code, signal) =>
        log(`[${options.name}] exited (${signal ?? `code ${code}`})`),
      );
      resolve({
        name: options.name,
        pid: child.pid!,
        port: ready.port,
        stop: () => terminate(child, 2000),
      });
    });
  });
}
