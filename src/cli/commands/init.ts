import { existsSync } from "node:fs";
import { appendFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { Id } from "../../model/common.js";
import { isInteractive } from "../../tui/terminal.js";
import { UsageError } from "../exit.js";

interface InitOptions {
  service?: string;
  dir: string;
  json?: boolean;
}

/** What a template needs to know about the service it is written for. */
interface Names {
  service: string;
  /** environment variable prefix, e.g. FIREDRILL_CHECKOUT_API */
  env: string;
  today: string;
}

/** `My Shop_2` → `my-shop_2`: the directory name as a valid id, or undefined when nothing is left. */
export function serviceFromDirectory(dir: string): string | undefined {
  const slug = basename(resolve(dir))
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[^a-z0-9]+/, "")
    .replace(/-+$/, "");
  return Id.safeParse(slug).success ? slug : undefined;
}

/**
 * The JSON Schemas ship in the package's `schemas/`; prefer a local install (stable across
 * machines), else the copy beside the running firedrill.
 */
function schemasDir(target: string): string {
  const local = join(target, "node_modules", "firedrill", "schemas");
  if (existsSync(local)) return local;
  return fileURLToPath(new URL("../schemas", import.meta.url));
}

function schemaComment(file: string, schemas: string, schema: string): string {
  const path = relative(dirname(file), join(schemas, schema)).split(sep).join("/");
  return `# yaml-language-server: $schema=${path.startsWith(".") ? path : `./${path}`}\n`;
}

function configTemplate(): string {
  return `# firedrill settings for this directory. Every field is optional: the values below are
# the defaults, written out so you can see what there is to change.

# The Toxiproxy API gameday faults are injected through.
toxiproxyUrl: http://127.0.0.1:8474

# Hosts a gameday drill may touch (proxy listen and upstream addresses, probe targets).
allowHosts: [127.0.0.1, localhost, "::1"]

# Hosts containing one of these look like production: gameday drills refuse them
# unless run with --allow-production <scenario-id> (the id typed back to confirm).
productionPatterns: [prod, production, prd]

# Where each drill's journal (one JSON line per event) is written, for history and reports.
journalDir: .firedrill/drills

# Where firedrill looks for scenarios and runbooks.
scenarios: scenarios
runbooks: runbooks

# A runbook whose \`reviewed:\` date is older than this many days is flagged.
reviewMaxAgeDays: 180

# A scenario not drilled for this many days is reported as stale.
staleAfterDays: 90
`;
}

function runbookTemplate({ service, env, today }: Names): string {
  return `# How ${service} is operated during an incident. Scenarios for ${service} name one of its
# procedures; a drill scores how closely the responder followed it.

# The service this runbook covers (lower-case letters, digits, '.', '_' or '-').
service: ${service}
title: ${service}
# The team or person accountable for keeping this runbook true.
owner: team-${service}
# When a human last checked it (ISO date); firedrill flags runbooks not reviewed for a long time.
reviewed: ${today}

# Who gets paged, in order; \`after\` counts from the start of the incident.
escalation:
  - level: 1
    who: ${service} on-call
    contact: "pager: ${service}-primary"
  - level: 2
    who: ${service} secondary
    after: 15m
    contact: "pager: ${service}-secondary"

# Alerts and dashboards the responder should look at.
monitoring:
  alerts:
    - name: HealthFailing
      threshold: "GET /health != 200 for 1m"
  dashboards:
    - "${service} / Overview"

procedures:
  # One procedure per kind of incident; \`id\` is what a scenario's \`procedure:\` refers to.
  - id: dependency-slow
    title: A dependency answers slowly
    description: Requests to ${service} are slow or failing because something it calls is slow.
    # Each step has a kind: check (look), action (change something), verify (confirm it worked),
    # rollback (undo an action) or escalate (page someone). \`run\` is the command to run for it
    # (an argv list, or a string with \`shell: true\`); a step without \`run\` is done by hand.
    steps:
      - id: check-health
        kind: check
        title: Read the health endpoint and the reason it gives
        run: [curl, -sS, "http://127.0.0.1:\${${env}_PORT:-8080}/health"]
        timeout: 10s
      - id: mitigate
        kind: action
        title: Route around the slow dependency
        notes: Replace with your real mitigation, e.g. fail over to a replica or turn on a fallback.
      - id: verify-health
        kind: verify
        title: Health answers 200 again
        run: [curl, -fsS, "http://127.0.0.1:\${${env}_PORT:-8080}/health"]
        timeout: 10s
      - id: undo-mitigation
        kind: rollback
        title: Undo the mitigation once the dependency is healthy
        optional: true
      - id: page-dependency-owner
        kind: escalate
        title: Page the dependency's owners if it stays slow
        optional: true
`;
}

function scenarioTemplate({ service, env }: Names): string {
  return `# A drill: a fault injected on purpose, what the responder is told and sees, and how
# recovery is judged. \${VAR:-default} is read from the environment, so the same file works on
# any machine: set ${env}_PORT and friends, or keep the defaults.

# Unique id (lower-case letters, digits, '.', '_' or '-'); \`firedrill run\` accepts it.
id: ${service}-dependency-latency
title: A dependency of ${service} answers slowly
# The service under drill; its runbook is the one with the same \`service\`.
service: ${service}
# sev1 (worst) to sev5.
severity: sev3
# tabletop: faults are simulated and the team talks through the runbook;
# gameday: faults are injected for real through Toxiproxy.
modes: [tabletop, gameday]
tags: [latency]

# Goals, measured from the first fault: time to detect, acknowledge, mitigate and recover.
targets:
  ttd: 1m
  tta: 2m
  ttm: 5m
  ttr: 10m

# Read to the responder when the drill starts: symptoms, not causes.
briefing: |
  Requests to ${service} have become slow and its health check has started failing.
  Nothing was deployed today. You are on call: find the cause and restore service.

# Toxiproxy proxies the faults act on. Point ${service} at \`listen\` instead of its
# dependency, and \`upstream\` at the dependency itself.
proxies:
  - name: ${service}-dependency
    listen: 127.0.0.1:\${${env}_PROXY_PORT:-21000}
    upstream: 127.0.0.1:\${${env}_DEPENDENCY_PORT:-5432}

# What goes wrong, and when (\`at\`, from the drill start; \`duration\` to end it early). A toxic is
# one of latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data; \`down: true\`
# disables the proxy; \`command: {inject, revert}\` runs your own commands.
faults:
  - name: dependency slow
    at: 10s
    proxy: ${service}-dependency
    toxic: latency
    # downstream: responses coming back to ${service}; upstream: requests going out.
    stream: downstream
    attributes:
      latency: 1000 # ms added to every chunk
      jitter: 250 # ± ms

# What monitoring would show the responder, and when: alert, log or metric.
signals:
  - at: 20s
    kind: alert
    text: "HealthFailing: GET /health on ${service} returns 503"
  - at: 40s
    kind: metric
    text: "dependency call p99 = 1.2s (was 5ms)"

# Checks run throughout the drill: http, tcp or command.
probes:
  - name: health
    every: 1s
    timeout: 2s
    http:
      url: http://127.0.0.1:\${${env}_PORT:-8080}/health
      expectStatus: 200
      maxLatency: 500ms

# Recovered once this probe passes \`consecutive\` times in a row after the fault.
recovery:
  probe: health
  consecutive: 3

# The runbook procedure the responder is expected to follow.
procedure: dependency-slow

# Help the responder may take, offered \`after\` a while, costing \`cost\` points.
hints:
  - after: 2m
    cost: 5
    text: The health endpoint's reason names the failing dependency.

# Tabletop mode: what the facilitator reads out when a step is done, and which steps resolve it.
tabletop:
  outcomes:
    check-health: "503: the dependency timed out after 300ms; everything else is fine."
    mitigate: "Traffic avoids the slow dependency; health turns 200 within seconds."
  resolvedBy: [mitigate]

# Guard rails: the drill stops and every fault is reverted after maxDuration, and gameday
# faults may only touch allowHosts.
safety:
  maxDuration: 20m
  allowHosts: [127.0.0.1, localhost]
`;
}

export interface InitResult {
  written: string[];
  skipped: string[];
  /** existing files a line was added to (a .gitignore without `.firedrill/`) */
  updated: string[];
}

/** Journals and drill ledgers are per machine: the default journalDir lives under it. */
const IGNORED = ".firedrill/";

/** True when one of the .gitignore's lines already ignores `.firedrill/` at its root or anywhere. */
function ignoresFiredrill(text: string): boolean {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .some((line) => /^\/?\.firedrill\/?$/.test(line));
}

/**
 * Adds `.firedrill/` to the .gitignore beside the config, creating it if needed and never
 * adding the line twice.
 */
async function ignoreJournals(target: string, result: InitResult): Promise<void> {
  const path = join(target, ".gitignore");
  const shown = relative(process.cwd(), path) || path;
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    await writeFile(
      path,
      `# firedrill: drill journals and fault ledgers of this machine\n${IGNORED}\n`,
      {
        flag: "wx",
      },
    );
    result.written.push(shown);
    return;
  }
  if (ignoresFiredrill(text)) {
    result.skipped.push(shown);
    return;
  }
  await appendFile(path, `${text === "" || text.endsWith("\n") ? "" : "\n"}${IGNORED}\n`);
  result.updated.push(shown);
}

/** Writes the starter files into `dir`, never replacing one that exists. */
export async function initProject(dir: string, service: string): Promise<InitResult> {
  const target = resolve(dir);
  const names: Names = {
    service,
    env: `FIREDRILL_${service.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}`,
    today: new Date().toISOString().slice(0, 10),
  };
  const schemas = schemasDir(target);
  const files = [
    {
      path: join(target, "firedrill.config.yaml"),
      schema: "config.schema.json",
      text: configTemplate(),
    },
    {
      path: join(target, "runbooks", `${service}.yaml`),
      schema: "runbook.schema.json",
      text: runbookTemplate(names),
    },
    {
      path: join(target, "scenarios", `${service}-dependency-latency.yaml`),
      schema: "scenario.schema.json",
      text: scenarioTemplate(names),
    },
  ];
  const result: InitResult = { written: [], skipped: [], updated: [] };
  for (const file of files) {
    const shown = relative(process.cwd(), file.path) || file.path;
    await mkdir(dirname(file.path), { recursive: true });
    try {
      // `wx` fails if the file exists, so a file created meanwhile is never clobbered either.
      await writeFile(file.path, schemaComment(file.path, schemas, file.schema) + file.text, {
        flag: "wx",
      });
      result.written.push(shown);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      result.skipped.push(shown);
    }
  }
  await ignoreJournals(target, result);
  return result;
}

export function registerInit(program: Command): void {
  program
    .command("init")
    .description("Write firedrill.config.yaml, a sample runbook and a scenario for one service")
    .option("-s, --service <name>", "the service to write them for (default: the directory name)")
    .option("-d, --dir <path>", "where to write them", ".")
    .option("--json", "print what was written and skipped as JSON")
    .addHelpText(
      "after",
      `
Existing files are never overwritten: they are listed as skipped. .firedrill/ (this machine's
journals and fault ledgers) is added to the .gitignore beside the config, once.
Without a terminal (CI, scripts) --service is required.

Examples:
  $ firedrill init --service checkout-api
  $ firedrill init --service payments --dir ops/drills
  $ firedrill init --service search --json`,
    )
    .action(async (options: InitOptions) => {
      let service = options.service;
      if (service === undefined) {
        if (!isInteractive()) {
          throw new UsageError(
            "--service is required when not run in a terminal (e.g. firedrill init --service checkout-api)",
          );
        }
        service = serviceFromDirectory(options.dir);
        if (service === undefined) {
          throw new UsageError(
            `cannot make a service name from the directory ${JSON.stringify(resolve(options.dir))}; pass --service <name>`,
          );
        }
      }
      if (!Id.safeParse(service).success) {
        throw new UsageError(
          `--service ${JSON.stringify(service)} is not a valid name: use lower-case letters, digits, '.', '_' or '-' (e.g. checkout-api)`,
        );
      }
      let result: InitResult;
      try {
        result = await initProject(options.dir, service);
      } catch (error) {
        const e = error as NodeJS.ErrnoException;
        throw new UsageError(
          `cannot write into ${options.dir}: ${e.code ?? e.message}${e.path ? ` (${e.path})` : ""}`,
        );
      }
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ service, ...result }, null, 2)}\n`);
        return;
      }
      for (const file of result.written) process.stdout.write(`wrote   ${file}\n`);
      for (const file of result.updated) process.stdout.write(`updated ${file} (${IGNORED})\n`);
      for (const file of result.skipped) process.stdout.write(`skipped ${file} (exists)\n`);
      if (result.written.length > 0) {
        process.stdout.write(
          `\nNext: point the scenario's proxy at your service's dependency, then\n  firedrill lint\n  firedrill run ${service}-dependency-latency\n`,
        );
      }
    });
}
