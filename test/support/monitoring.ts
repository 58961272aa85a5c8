import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../drill/harness.js";
import { until } from "./until.js";

export const PROMETHEUS = "/usr/bin/prometheus";
export const ALERTMANAGER = "/usr/bin/prometheus-alertmanager";

/** Why the monitoring tests cannot run here, naming the Debian packages; undefined when they can. */
export function monitoringMissing(): string | undefined {
  const missing = [
    [PROMETHEUS, "prometheus"],
    [ALERTMANAGER, "prometheus-alertmanager"],
  ].filter(([binary]) => !existsSync(binary ?? ""));
  if (missing.length === 0) return undefined;
  return `skipped without ${missing.map(([b]) => b).join(" and ")}: apt-get install ${missing.map(([, p]) => p).join(" ")}`;
}

export interface AlertRule {
  alert: string;
  expr: string;
  /** default 2s */
  for?: string;
  labels?: Record<string, string>;
}

export interface MonitoringOptions {
  /** host:port targets Prometheus scrapes at /metrics, every second */
  targets: string[];
  rules: AlertRule[];
}

export interface Monitoring {
  prometheusUrl: string;
  alertmanagerUrl: string;
  stop(): Promise<void>;
}

function startProcess(binary: string, args: string[], log: string[]): ChildProcess {
  const child = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"] });
  child.stderr?.on("data", (chunk: Buffer) => {
    log.push(chunk.toString());
    if (log.length > 50) log.shift();
  });
  return child;
}

function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

async function ready(url: string, child: ChildProcess, log: string[], what: string) {
  await until(
    async () => {
      if (child.exitCode !== null) {
        throw new Error(`${what} exited (${child.exitCode}): ${log.join("").slice(-800)}`);
      }
      try {
        return (await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) })).ok;
      } catch {
        return false;
      }
    },
    `${what} to be ready at ${url}`,
    30_000,
    100,
  );
}

const yamlList = (items: string[]) => `[${items.map((i) => JSON.stringify(i)).join(", ")}]`;

/**
 * Real Prometheus and Alertmanager on 127.0.0.1, for tests: scrape and rule evaluation every
 * second, Alertmanager with a receiver that sends nothing and no clustering, both with their own
 * storage in a temporary directory. Resolves once both answer `/-/ready`.
 */
export async function startMonitoring(options: MonitoringOptions): Promise<Monitoring> {
  const dir = mkdtempSync(join(tmpdir(), "firedrill-monitoring-"));
  const [promPort, amPort] = [await freePort(), await freePort()];
  const rules = options.rules
    .map((r) =>
      [
        `      - alert: ${r.alert}`,
        `        expr: ${JSON.stringify(r.expr)}`,
        `        for: ${r.for ?? "2s"}`,
        `        labels: ${JSON.stringify(r.labels ?? {})}`,
      ].join("\n"),
    )
    .join("\n");
  writeFileSync(join(dir, "rules.yml"), `groups:\n  - name: test\n    rules:\n${rules}\n`);
  writeFileSync(
    join(dir, "prometheus.yml"),
    [
      "global: { scrape_interval: 1s, evaluation_interval: 1s }",
      "rule_files: [rules.yml]",
      "alerting:",
      `  alertmanagers: [{ static_configs: [{ targets: ["127.0.0.1:${amPort}"] }] }]`,
      "scrape_configs:",
      `  - { job_name: svc, static_configs: [{ targets: ${yamlList(options.targets)} }] }`,
      "",
    ].join("\n"),
  );
  writeFileSync(
    join(dir, "alertmanager.yml"),
    [
      "route: { receiver: 'null', group_wait: 0s, group_interval: 1s, repeat_interval: 1h }",
      "receivers: [{ name: 'null' }]",
      "",
    ].join("\n"),
  );
  const amLog: string[] = [];
  const promLog: string[] = [];
  const alertmanager = startProcess(
    ALERTMANAGER,
    [
      `--config.file=${join(dir, "alertmanager.yml")}`,
      `--storage.path=${join(dir, "am-data")}`,
      `--web.listen-address=127.0.0.1:${amPort}`,
      "--cluster.listen-address=",
    ],
    amLog,
  );
  const prometheus = startProcess(
    PROMETHEUS,
    [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "prom-data")}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ],
    promLog,
  );
  const monitoring: Monitoring = {
    prometheusUrl: `http://127.0.0.1:${promPort}`,
    alertmanagerUrl: `http://127.0.0.1:${amPort}`,
    async stop() {
      await Promise.all([stopProcess(prometheus), stopProcess(alertmanager)]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await ready(monitoring.alertmanagerUrl, alertmanager, amLog, "alertmanager");
    await ready(monitoring.prometheusUrl, prometheus, promLog, "prometheus");
  } catch (error) {
    await monitoring.stop();
    throw error;
  }
  return monitoring;
}

/** Waits until Prometheus has scraped every target at least once (`up == 1`). */
export async function scraped(prometheusUrl: string, limitMs = 20_000): Promise<void> {
  await until(
    async () => {
      const url = `${prometheusUrl}/api/v1/query?query=${encodeURIComponent("min(up)")}`;
      const body = (await (await fetch(url)).json()) as {
        data?: { result?: { value: [number, string] }[] };
      };
      return body.data?.result?.[0]?.value[1] === "1";
    },
    "Prometheus to scrape its targets",
    limitMs,
    100,
  );
}
