import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../drill/harness.js";
import { until } from "./until.js";

export const PROMETHEUS_BIN = ["/usr/bin/prometheus", "/usr/local/bin/prometheus"].find((path) =>
  existsSync(path),
);

export const PROMETHEUS_MISSING = "skipped without Prometheus: apt-get install prometheus";

export interface PrometheusServer {
  url: string;
  /** `GET /api/v1/query`: the result vector of an instant query */
  query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  /** `GET /api/v1/targets`: the active targets with their health and last scrape error */
  targets(): Promise<{ labels: Record<string, string>; health: string; lastError: string }[]>;
  stop(): Promise<void>;
}

/**
 * A real Prometheus on 127.0.0.1 (free port, temporary storage) running `config` (YAML text, in
 * which `{{dir}}` names the directory the config is written to, for rule files put there).
 */
export async function startPrometheus(
  config: string,
  files: Record<string, string> = {},
): Promise<PrometheusServer> {
  if (!PROMETHEUS_BIN) throw new Error(PROMETHEUS_MISSING);
  const dir = mkdtempSync(join(tmpdir(), "firedrill-prometheus-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  writeFileSync(join(dir, "prometheus.yml"), config.replaceAll("{{dir}}", dir));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { cwd: dir, stdio: ["ignore", "ignore", "pipe"] },
  );
  let log = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  await until(
    async () => {
      if (exited) throw new Error(`Prometheus exited: ${log.slice(-1000)}`);
      return fetch(`${url}/-/ready`).then(
        (r) => r.ok,
        () => false,
      );
    },
    "Prometheus to be ready",
    30_000,
    100,
  );
  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url}${path}`);
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== "success") throw new Error(`${path}: ${body.error ?? response.status}`);
    return body.data;
  };
  return {
    url,
    async query(promql) {
      const data = await api<{
        result: { metric: Record<string, string>; value: [number, string] }[];
      }>(`/api/v1/query?query=${encodeURIComponent(promql)}`);
      return data.result;
    },
    async targets() {
      const data = await api<{
        activeTargets: { labels: Record<string, string>; health: string; lastError: string }[];
      }>("/api/v1/targets");
      return data.activeTargets;
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
