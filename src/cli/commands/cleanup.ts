import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import type { Command } from "commander";
import {
  checkToxiproxyUrl,
  findLeftovers,
  isAlive,
  type LedgerFile,
  type LeftoverProxy,
  type LeftoverToxic,
  readLedger,
  revertLedgerFile,
  ToxiproxyApi,
  ToxiproxyApiError,
  toxiproxyUrl,
} from "../../faults/index.js";
import { loadConfig } from "../../model/load.js";
import { messageOf } from "../../model/message.js";
import { formatProblem } from "../../model/problem.js";
import { CONFIG_FILE } from "../../model/workspace.js";
import { EXIT_FINDING, EXIT_USAGE, ExitWith, UsageError } from "../exit.js";

interface CleanupOptions {
  url?: string;
  json?: boolean;
  dryRun?: boolean;
  ledgerDir: string;
}

interface LedgerOutcome {
  path: string;
  drillId: string;
  pid: number;
  reverted: string[];
  failed: { label: string; error: string }[];
}

interface CleanupReport {
  url: string;
  /** every server looked at: `url`, then the others dead drills' ledgers name */
  urls: string[];
  dryRun: boolean;
  ledgers: LedgerOutcome[];
  toxics: (LeftoverToxic & { url: string })[];
  proxies: (LeftoverProxy & { url: string })[];
  /** drills still running: their faults are left alone */
  running: { drillId: string; pid: number }[];
  errors: string[];
  /** Toxiproxy did not answer at `url` */
  unreachable?: boolean;
}

export function registerCleanup(program: Command): void {
  program
    .command("cleanup")
    .description(
      "Remove what drills left behind: every firedrill.* toxic, the proxies firedrill created, and the faults in ledgers of drills that died",
    )
    .option(
      "--url <url>",
      "Toxiproxy API (default: $TOXIPROXY_URL, else the config's toxiproxyUrl); must pass the config's allow-list",
    )
    .option("--json", "print a JSON report")
    .option("--dry-run", "only list what would be removed")
    .option("--ledger-dir <dir>", "where drills keep their ledgers", join(".firedrill", "run"))
    .addHelpText(
      "after",
      `
Drills name every toxic they add firedrill.<drill-id>.<n> and mark the proxies they create with a
firedrill-created.<drill-id> toxic, so cleanup finds them on any Toxiproxy. Faults of drills that are
still running (their ledger names a live process) are left alone. Besides --url, every other
Toxiproxy server a dead drill's ledger names (a scenario's proxies may span several) is cleaned too.

Examples:
  $ firedrill cleanup
  $ firedrill cleanup --dry-run
  $ firedrill cleanup --url http://toxiproxy.staging:8474 --json`,
    )
    .action(async (options: CleanupOptions) => {
      const report = await cleanup(options);
      if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else {
        process.stdout.write(render(report));
        for (const error of report.errors) process.stderr.write(`firedrill: ${error}\n`);
      }
      if (report.unreachable) throw new ExitWith(EXIT_USAGE);
      if (report.errors.length > 0) throw new ExitWith(EXIT_FINDING);
    });
}

/** The URL to clean, as `run` picks it (flag, environment, config), checked as `run` checks it. */
async function cleanupUrl(options: CleanupOptions) {
  const loaded = await loadConfig(join(process.cwd(), CONFIG_FILE));
  if (!loaded.ok) {
    throw new UsageError(loaded.problems.map((p) => formatProblem(p)).join("\n"));
  }
  const config = loaded.loaded.value;
  const url = toxiproxyUrl(options.url ?? (process.env.TOXIPROXY_URL || config.toxiproxyUrl));
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new UsageError(`--url "${url}" is not an http URL (e.g. http://127.0.0.1:8474)`);
  }
  const refusals = checkToxiproxyUrl(url, config);
  if (refusals.length > 0) {
    const reasons = refusals.map((r) => r.reason).join("; ");
    throw new UsageError(`refusing to clean up at ${url}: ${reasons}`);
  }
  return { url, config };
}

async function cleanup(options: CleanupOptions): Promise<CleanupReport> {
  const { url, config } = await cleanupUrl(options);
  const report: CleanupReport = {
    url,
    urls: [url],
    dryRun: options.dryRun === true,
    ledgers: [],
    toxics: [],
    proxies: [],
    running: [],
    errors: [],
  };

  // dead drills' ledgers first: they also hold command reverts and disabled proxies
  for (const path of ledgerFiles(options.ledgerDir)) {
    let ledger: ReturnType<typeof readLedger>;
    try {
      ledger = readLedger(path);
    } catch (error) {
      report.errors.push(messageOf(error));
      continue;
    }
    if (!ledger) continue;
    if (ledger.pid !== process.pid && isAlive(ledger.pid)) {
      report.running.push({ drillId: ledger.drillId, pid: ledger.pid });
      continue;
    }
    for (const server of serversIn(ledger)) {
      if (report.urls.includes(server)) continue;
      const refusals = checkToxiproxyUrl(server, config);
      if (refusals.length === 0) report.urls.push(server);
      else
        report.errors.push(`not looking at ${server}: ${refusals.map((r) => r.reason).join("; ")}`);
    }
    const outcome: LedgerOutcome = {
      path: relative(process.cwd(), path) || path,
      drillId: ledger.drillId,
      pid: ledger.pid,
      reverted: [],
      failed: [],
    };
    if (report.dryRun) {
      outcome.reverted = [...ledger.faults].reverse().map((f) => f.label);
      outcome.reverted.push(...ledger.createdProxies.map((p) => `proxy ${p.name}`));
    } else {
      const result = await revertLedgerFile(path);
      outcome.reverted = result.reverted.map((f) => f.label);
      outcome.failed = result.failed.map(({ label, error }) => ({ label, error }));
      for (const failure of result.failed) report.errors.push(`${failure.label}: ${failure.error}`);
    }
    report.ledgers.push(outcome);
  }

  const running = new Set(report.running.map((r) => r.drillId));
  for (const server of report.urls) await cleanServer(server, running, report);
  return report;
}

/** Removes the firedrill toxics and proxies left on one server, except running drills'. */
async function cleanServer(
  url: string,
  running: ReadonlySet<string>,
  report: CleanupReport,
): Promise<void> {
  let leftovers: Awaited<ReturnType<typeof findLeftovers>>;
  try {
    leftovers = await findLeftovers(url);
  } catch (error) {
    report.errors.push(messageOf(error));
    const unreachable = error instanceof ToxiproxyApiError && error.status === undefined;
    if (unreachable && url === report.url) report.unreachable = true;
    return;
  }
  const api = new ToxiproxyApi(url);
  for (const proxy of leftovers.proxies) {
    if (proxy.drillId !== undefined && running.has(proxy.drillId)) continue;
    try {
      if (!report.dryRun) await api.deleteProxy(proxy.proxy);
      report.proxies.push({ ...proxy, url });
    } catch (error) {
      report.errors.push(`proxy ${proxy.proxy}: ${messageOf(error)}`);
    }
  }
  for (const toxic of leftovers.toxics) {
    if (toxic.drillId !== undefined && running.has(toxic.drillId)) continue;
    try {
      if (!report.dryRun) await api.removeToxic(toxic.proxy, toxic.toxic);
      report.toxics.push({ ...toxic, url });
    } catch (error) {
      report.errors.push(`toxic ${toxic.toxic} on ${toxic.proxy}: ${messageOf(error)}`);
    }
  }
}

/** The Toxiproxy servers a ledger has changes on. */
function serversIn(ledger: LedgerFile): string[] {
  const urls = ledger.faults.flatMap((f) => ("url" in f.revert ? [f.revert.url] : []));
  urls.push(...ledger.createdProxies.map((p) => p.url));
  return [...new Set(urls.map((url) => toxiproxyUrl(url)))];
}

function ledgerFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith(".ledger.json"))
      .sort()
      .map((name) => join(dir, name));
  } catch {
    return [];
  }
}

function render(report: CleanupReport): string {
  const lines: string[] = [];
  const verb = report.dryRun ? "would remove" : "removed";
  for (const ledger of report.ledgers) {
    const did = report.dryRun ? "would revert" : "reverted";
    for (const label of ledger.reverted) {
      lines.push(`${did} ${label} (drill ${ledger.drillId}, ${ledger.path})`);
    }
    for (const failure of ledger.failed) {
      lines.push(`could not revert ${failure.label} (drill ${ledger.drillId}): ${failure.error}`);
    }
  }
  const at = (url: string) => (report.urls.length > 1 ? ` on ${url}` : "");
  for (const proxy of report.proxies) {
    lines.push(
      `${verb} proxy ${proxy.proxy}${at(proxy.url)} (${proxy.listen} → ${proxy.upstream}, created by drill ${proxy.drillId ?? "?"})`,
    );
  }
  for (const toxic of report.toxics) {
    lines.push(`${verb} toxic ${toxic.toxic} (${toxic.type}) from ${toxic.proxy}${at(toxic.url)}`);
  }
  for (const drill of report.running) {
    lines.push(`left drill ${drill.drillId} alone: it is still running (pid ${drill.pid})`);
  }
  const acted = report.ledgers.length + report.proxies.length + report.toxics.length;
  if (acted === 0 && report.errors.length === 0) {
    lines.push(`nothing to clean up at ${report.urls.join(", ")}`);
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}
