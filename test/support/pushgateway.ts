import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../drill/harness.js";
import { until } from "./until.js";

export const PUSHGATEWAY_BIN = [
  "/usr/bin/prometheus-pushgateway",
  "/usr/local/bin/pushgateway",
].find((path) => existsSync(path));

/** For `it.skipIf(!PUSHGATEWAY_BIN)(…)` titles: what to install to run the test. */
export const PUSHGATEWAY_MISSING =
  "skipped without a Pushgateway: apt-get install prometheus-pushgateway";

export interface Pushgateway {
  url: string;
  /** the group-by-group JSON of `GET /api/v1/metrics` */
  groups(): Promise<PushgatewayGroup[]>;
  stop(): Promise<void>;
}

export interface PushgatewayMetric {
  labels: Record<string, string>;
  value: string;
}

export interface PushgatewayGroup {
  labels: Record<string, string>;
  [metric: string]: unknown;
}

/** The series of one metric across every group, as the Pushgateway holds them. */
export function seriesOf(groups: readonly PushgatewayGroup[], name: string): PushgatewayMetric[] {
  return groups.flatMap((group) => {
    const family = group[name] as { metrics?: PushgatewayMetric[] } | undefined;
    return family?.metrics ?? [];
  });
}

/** A real Pushgateway on 127.0.0.1, on a free port, kept in memory only; stop() kills it. */
export async function startPushgateway(): Promise<Pushgateway> {
  if (!PUSHGATEWAY_BIN) throw new Error(PUSHGATEWAY_MISSING);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), "firedrill-pushgateway-"));
  const child: ChildProcess = spawn(
    PUSHGATEWAY_BIN,
    [
      `--web.listen-address=127.0.0.1:${port}`,
      // Debian's default persists to /var/lib/prometheus/pushgateway.data, shared by every
      // Pushgateway on the machine: a test's must start empty and leave nothing behind.
      "--persistence.file=",
    ],
    {
      cwd: dir,
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let log = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    log += chunk.toString();
  });
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  const ready = async () => {
    if (exited) throw new Error(`the Pushgateway exited: ${log.slice(-500)}`);
    return fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
  };
  await until(ready, "the Pushgateway to answer", 10_000, 50);
  return {
    url,
    async groups() {
      const response = await fetch(`${url}/api/v1/metrics`);
      const body = (await response.json()) as { data: PushgatewayGroup[] };
      return body.data;
    },
    async stop() {
      if (!exited) {
        const gone = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
