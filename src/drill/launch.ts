import { readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import {
  checkAllowList,
  checkConfiguredUrl,
  createFaultBackend,
  defaultLedgerPath,
  isAlive,
  type PreflightCheck,
  type PreparedProxies,
  readLedger,
  runPreflight,
  startWatchdog,
  type WatchdogHandle,
} from "../faults/index.js";
import type { Runbook } from "../model/runbook.js";
import type { Mode, Scenario } from "../model/scenario.js";
import { checkMonitoringSignal, runProbe } from "../probes/index.js";
import { type Scheduler, systemClock, systemScheduler } from "./clock.js";
import { JournalWriter, newDrillId } from "./journal.js";
import type { ResponderKind } from "./journal-format.js";
import { createSession, type DrillSession } from "./session.js";
import { expectedProcedureId } from "./state.js";

export interface DrillPlan {
  scenario: Scenario;
  runbook?: Runbook;
  /** the scenario file, recorded in the journal header */
  file?: string;
  /** overrides the scenario's `procedure` (e.g. the runbook's only procedure) */
  expectedProcedure?: string;
  mode: Mode;
  responder: string;
  /** recorded in the journal so history compares people with people; default person */
  responderKind?: ResponderKind;
  journalDir: string;
  toxiproxyUrl: string;
  allowHosts: readonly string[];
  productionPatterns: readonly string[];
  allowProduction?: boolean;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  firedrillVersion: string;
  /** a Prometheus Pushgateway the drill's figures go to when it ends (`--push`, config `pushgateway`) */
  pushgateway?: string;
}

export interface SafetyReport {
  ok: boolean;
  /** every check, failed ones with the reason; empty in tabletop mode */
  checks: PreflightCheck[];
  /** worth saying, not worth refusing: ledgers of earlier drills that died */
  warnings: string[];
}

/**
 * What must hold before anything is applied. Gameday: the allow-list and preflight (Toxiproxy
 * answers, no leftovers, every probe passes). Tabletop touches nothing, so nothing is checked.
 */
export async function checkBeforeDrill(
  plan: DrillPlan,
  drillId: string,
  /** the launched drill: its proxies are created and claimed before its probes run */
  drill?: Pick<LaunchedDrill, "prepareProxies">,
): Promise<SafetyReport> {
  const warnings = leftoverLedgers(plan.cwd ?? process.cwd());
  const push = pushgatewayRefusals(plan);
  if (push.length > 0) return { ok: false, checks: push, warnings };
  if (plan.mode !== "gameday") return { ok: true, checks: [], warnings };
  const input = {
    scenario: plan.scenario,
    allowHosts: plan.allowHosts,
    productionPatterns: plan.productionPatterns,
    toxiproxyUrl: plan.toxiproxyUrl,
    allowProduction: plan.allowProduction === true,
    drillId,
    ...(drill ? { prepare: drill.prepareProxies } : {}),
  };
  const refusals = checkAllowList(input);
  if (refusals.length > 0) {
    const checks = refusals.map((r) => ({
      name: "allow-list",
      ok: false,
      detail: `${r.field}: ${r.reason}`,
    }));
    return { ok: false, checks, warnings };
  }
  const report = await runPreflight(input);
  return { ok: report.ok, checks: report.checks, warnings };
}

/** The Pushgateway is a host the drill contacts, tabletop too: it passes the allow-list. */
function pushgatewayRefusals(plan: DrillPlan): PreflightCheck[] {
  if (!plan.pushgateway) return [];
  return checkConfiguredUrl(plan.pushgateway, "pushgateway", plan).map((r) => ({
    name: "allow-list",
    ok: false,
    detail: `${r.field}: ${r.reason}`,
  }));
}

/** Ledgers left by drills whose process is gone: their faults may still be applied. */
export function leftoverLedgers(cwd: string): string[] {
  const dir = dirname(defaultLedgerPath("x", cwd));
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".ledger.json"));
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of names) {
    try {
      const ledger = readLedger(join(dir, name));
      if (!ledger || isAlive(ledger.pid)) continue;
      const n = ledger.faults.length + ledger.createdProxies.length;
      out.push(
        `drill ${ledger.drillId} (pid ${ledger.pid}) died leaving ${n} change${n === 1 ? "" : "s"} in ${join(dir, name)}; run \`firedrill cleanup\``,
      );
    } catch {
      // an unreadable ledger is cleanup's business
    }
  }
  return out;
}

export interface LaunchedDrill {
  drillId: string;
  session: DrillSession;
  scheduler: Scheduler;
  /** starts the watchdog, then claims and creates the drill's proxies (see checkBeforeDrill) */
  prepareProxies(scenario: Scenario): Promise<PreparedProxies>;
}

/**
 * Builds the real session: the fault backend for the mode (simulated in tabletop), probes, the
 * journal under `journalDir`, and the watchdog in gameday. Nothing happens until `session.start()`.
 */
export function launchDrill(plan: DrillPlan, drillId = newDrillId()): LaunchedDrill {
  const cwd = plan.cwd ?? process.cwd();
  const setup = {
    scenario: plan.scenario,
    ...(plan.runbook ? { runbook: plan.runbook } : {}),
    ...(plan.expectedProcedure ? { expectedProcedure: plan.expectedProcedure } : {}),
    mode: plan.mode,
    responder: plan.responder,
  };
  const expected = expectedProcedureId(setup);
  const procedure = plan.runbook?.procedures.find((p) => p.id === expected);
  const ledgerPath = defaultLedgerPath(drillId, cwd);
  const backend = createFaultBackend({
    drillId,
    mode: plan.mode,
    toxiproxyUrl: plan.toxiproxyUrl,
    ledgerPath,
    cwd,
  });
  // One watchdog per drill, running before the preflight creates anything on Toxiproxy.
  let watchdog: WatchdogHandle | undefined;
  const watch = () => {
    watchdog ??= startWatchdog({ ledgerPath });
    return watchdog;
  };
  const prepareProxies = (scenario: Scenario) => {
    if (plan.mode === "gameday") watch();
    return backend.prepareProxies(scenario);
  };
  const session = createSession(setup, drillId, {
    clock: systemClock,
    scheduler: systemScheduler,
    backend,
    runProbe,
    checkMonitoring: checkMonitoringSignal,
    cwd,
    ...(plan.env ? { env: plan.env } : {}),
    startWatchdog: watch,
    openJournal: (startedAt) =>
      JournalWriter.create(
        resolve(cwd, plan.journalDir),
        {
          drillId,
          startedAt: startedAt.toISOString(),
          firedrillVersion: plan.firedrillVersion,
          mode: plan.mode,
          responder: plan.responder,
          responderKind: plan.responderKind ?? "person",
          scenario: {
            id: plan.scenario.id,
            title: plan.scenario.title,
            service: plan.scenario.service,
            ...(plan.runbook ? { owner: plan.runbook.owner } : {}),
            ...(expected ? { procedure: expected } : {}),
            ...(plan.file ? { file: plan.file } : {}),
          },
          targets: plan.scenario.targets,
          ...(procedure
            ? {
                expectedSteps: procedure.steps.map((s) => ({
                  id: s.id,
                  kind: s.kind,
                  title: s.title,
                  ...(s.optional ? { optional: true } : {}),
                })),
              }
            : {}),
        },
        // The journal redacts the secrets of the environment the drill's commands run in.
        plan.env ? { env: plan.env } : {},
      ),
  });
  return { drillId, session, scheduler: systemScheduler, prepareProxies };
}
