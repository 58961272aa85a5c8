import { commandText } from "../model/common.js";
import { messageOf } from "../model/message.js";
import type { Fault, Scenario } from "../model/scenario.js";
import { redactSecrets } from "../model/secrets.js";
import { NAME_PATTERN, TOXIC_ATTRIBUTES, type ToxicType } from "../model/toxics.js";
import { runCommand, tail } from "../platform/command-runner.js";
import type {
  AppliedFault,
  CreatedProxy,
  DrillFaultBackend,
  FaultBackendKind,
  FaultBackendOptions,
  RevertRecipe,
  RevertReport,
} from "./fault-types.js";
import { faultLabel, isCommandFault, isDownFault, isToxicFault } from "./label.js";
import { type LedgerFile, removeLedger, writeLedger } from "./ledger.js";
import { drillOf, isFiredrillToxic, toxicName } from "./naming.js";
import { apiFor, executeRecipe } from "./recipes.js";
import { type PreparedProxies, prepareProxies } from "./safety/prepare.js";
import { type ToxiproxyApi, toxiproxyUrl } from "./toxiproxy-api.js";
import { serverOf, serverParts } from "./toxiproxy-servers.js";
import { undoChanges, undoFaults } from "./undo.js";

/**
 * The fault backend for one drill. In gameday it creates the ledger file at once (so a watchdog can
 * be started right after) and keeps it current: an entry is written before the fault is applied and
 * removed only after it was reverted. A tabletop drill writes none (see `persist`).
 */
export function createFaultBackend(options: FaultBackendOptions): DrillFaultBackend {
  return new DrillFaults(options);
}

const NOTHING_PREPARED: PreparedProxies = { created: [], existing: [], claimed: [] };

class DrillFaults implements DrillFaultBackend {
  readonly drillId: string;
  private readonly url: string;
  private readonly cwd: string;
  private readonly applied: AppliedFault[] = [];
  private readonly created: CreatedProxy[] = [];
  /** the Toxiproxy server of each proxy: the scenario's `toxiproxy:`, else the drill's URL */
  private server: (proxy: string) => string;
  /** operations run one at a time so the ledger on disk always matches memory */
  private queue: Promise<unknown> = Promise.resolve();
  /** the preflight prepares, then the drill's start asks again: the second time is free */
  private prepared: Promise<PreparedProxies> | undefined;

  constructor(private readonly options: FaultBackendOptions) {
    if (!NAME_PATTERN.test(options.drillId)) {
      throw new Error(
        `drill id "${options.drillId}" must use only letters, digits, '.', '_' or '-'`,
      );
    }
    this.drillId = options.drillId;
    this.url = toxiproxyUrl(options.toxiproxyUrl);
    this.server = () => this.url;
    this.cwd = options.cwd ?? process.cwd();
    this.persist();
  }

  private apiOf(proxy: string): ToxiproxyApi {
    return apiFor(this.server(proxy));
  }

  private serial<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.queue.then(operation, operation);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private persist(): void {
    // A simulated fault changes nothing, so there is nothing for the watchdog (never started in
    // tabletop) or `firedrill cleanup` to undo; a ledger would only make a killed tabletop drill
    // look like it left faults behind.
    if (this.options.mode !== "gameday") return;
    const ledger: LedgerFile = {
      version: 1,
      drillId: this.drillId,
      pid: process.pid,
      faults: this.applied,
      createdProxies: this.created,
    };
    writeLedger(this.options.ledgerPath, ledger);
  }

  async prepare(scenario: Scenario): Promise<void> {
    await this.prepareProxies(scenario);
  }

  prepareProxies(scenario: Scenario): Promise<PreparedProxies> {
    this.server = serverOf(scenario, this.url);
    if (this.options.mode !== "gameday") return Promise.resolve(NOTHING_PREPARED);
    if (!this.prepared) {
      this.prepared = this.serial(() => this.prepareEveryServer(scenario));
      // a refused preparation is not remembered: the drill is shut down, or may try again
      this.prepared.catch(() => {
        this.prepared = undefined;
      });
    }
    return this.prepared;
  }

  /** One server after the other; a refusal on one stops there (the ledger has what was done). */
  private async prepareEveryServer(scenario: Scenario): Promise<PreparedProxies> {
    const ledger = {
      record: (change: CreatedProxy) => {
        this.created.push(change);
        this.persist();
      },
      forget: (change: CreatedProxy) => {
        const at = this.created.indexOf(change);
        if (at >= 0) this.created.splice(at, 1);
        this.persist();
      },
    };
    const all: PreparedProxies = { created: [], existing: [], claimed: [] };
    for (const part of serverParts(scenario, this.url)) {
      const done = await prepareProxies(apiFor(part.url), this.drillId, part, ledger);
      const where = part.url === this.url ? "" : ` (${part.url})`;
      all.created.push(...done.created);
      all.existing.push(...done.existing);
      all.claimed.push(...done.claimed.map((name) => `${name}${where}`));
    }
    return all;
  }

  apply(index: number, fault: Fault): Promise<AppliedFault> {
    return this.serial(async () => {
      const existing = this.applied.find((entry) => entry.index === index);
      if (existing) return existing;
      const label = faultLabel(fault);
      const [backend, recipe] = this.plan(index, fault);
      const entry: AppliedFault = {
        index,
        label,
        backend,
        appliedAt: new Date().toISOString(),
        revert: recipe,
      };
      // written ahead: if we die half-way, undoing a fault that never landed is harmless
      this.applied.push(entry);
      this.persist();
      try {
        await this.inject(index, fault);
      } catch (error) {
        this.applied.splice(this.applied.indexOf(entry), 1);
        this.persist();
        throw new Error(`cannot apply ${label}: ${messageOf(error)}`);
      }
      return entry;
    });
  }

  private plan(index: number, fault: Fault): [FaultBackendKind, RevertRecipe] {
    if (this.options.mode !== "gameday") return ["simulated", { kind: "none" }];
    if (isCommandFault(fault)) {
      const { revert, shell, timeout } = fault.command;
      return [
        "command",
        { kind: "command", command: revert, shell, timeoutMs: timeout, cwd: this.cwd },
      ];
    }
    if (isDownFault(fault)) {
      const url = this.server(fault.proxy);
      return ["toxiproxy", { kind: "toxiproxy.enableProxy", url, proxy: fault.proxy }];
    }
    const toxic = toxicName(this.drillId, index);
    return [
      "toxiproxy",
      { kind: "toxiproxy.removeToxic", url: this.server(fault.proxy), proxy: fault.proxy, toxic },
    ];
  }

  private async inject(index: number, fault: Fault): Promise<void> {
    if (this.options.mode !== "gameday") return;
    if (isCommandFault(fault)) {
      const { inject, shell, timeout } = fault.command;
      const run = await runCommand(inject, { shell, timeoutMs: timeout, cwd: this.cwd });
      if (run.failure === undefined && run.exitCode === 0) return;
      const output = tail(redactSecrets(run.stderr || run.stdout));
      throw new Error(
        `inject command \`${redactSecrets(commandText(inject))}\` failed (${run.failure ?? `exit ${run.exitCode}`})${output ? `: ${output}` : ""}`,
      );
    }
    const api = this.apiOf(fault.proxy);
    if (isDownFault(fault)) {
      await api.setEnabled(fault.proxy, false);
      await this.backOutIfShared(fault.proxy, () => api.setEnabled(fault.proxy, true));
      return;
    }
    if (isToxicFault(fault)) {
      const name = toxicName(this.drillId, index);
      await api.addToxic(fault.proxy, {
        name,
        type: fault.toxic,
        stream: fault.stream,
        toxicity: fault.toxicity,
        attributes: withDefaults(fault.toxic, fault.attributes),
      });
      await this.backOutIfShared(fault.proxy, () => api.removeToxic(fault.proxy, name));
    }
  }

  /**
   * The claim keeps other drills off our proxies; a drill that does not claim (an older firedrill,
   * or one whose claim was cleaned up) could still add a toxic. Then two drills' faults stack: undo
   * ours and fail the apply rather than drill on a system we no longer control.
   */
  private async backOutIfShared(proxy: string, undo: () => Promise<unknown>): Promise<void> {
    const toxics = (await this.apiOf(proxy).proxy(proxy))?.toxics ?? [];
    const other = toxics.find((t) => isFiredrillToxic(t.name) && drillOf(t.name) !== this.drillId);
    if (!other) return;
    await undo();
    throw new Error(
      `drill ${drillOf(other.name)} has a fault on ${proxy} too (${other.name}); backed out so the two do not stack`,
    );
  }

  revert(index: number, _reason: string): Promise<void> {
    return this.serial(() => this.revertNow(index));
  }

  private async revertNow(index: number): Promise<void> {
    const entry = this.applied.find((candidate) => candidate.index === index);
    if (!entry) return;
    // The drill names the fault in its note; the error says only what went wrong.
    await executeRecipe(entry.revert);
    this.applied.splice(this.applied.indexOf(entry), 1);
    this.persist();
  }

  revertAll(_reason: string): Promise<RevertReport> {
    return this.serial(() => this.revertAllNow());
  }

  private revertAllNow(): Promise<RevertReport> {
    return undoFaults(this.applied, () => this.persist());
  }

  ledger(): readonly AppliedFault[] {
    return [...this.applied];
  }

  dispose(): Promise<RevertReport> {
    return this.serial(async () => {
      const changes = { faults: this.applied, createdProxies: this.created };
      const report = await undoChanges(changes, () => this.persist());
      // a ledger with failures stays: the watchdog retries them when this process exits
      if (report.failed.length === 0) removeLedger(this.options.ledgerPath);
      else this.persist();
      return report;
    });
  }
}

function withDefaults(type: ToxicType, given: Record<string, number | undefined>) {
  const attributes: Record<string, number> = {};
  for (const [name, spec] of Object.entries(TOXIC_ATTRIBUTES[type])) {
    attributes[name] = given[name] ?? spec.default;
  }
  return attributes;
}
