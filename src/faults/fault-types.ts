import type { AppliedFault } from "../model/ledger-file.js";
import type { Fault, Scenario } from "../model/scenario.js";
import type { PreparedProxies } from "./safety/prepare.js";

// The ledger stores these; their one definition is the ledger file's schema.
export type {
  AppliedFault,
  CreatedProxy,
  FaultBackendKind,
  RevertRecipe,
} from "../model/ledger-file.js";

export interface RevertFailure {
  index: number;
  label: string;
  error: string;
  /** the Toxiproxy server the change is still on (absent for a command fault) */
  url?: string;
}

export interface RevertReport {
  reverted: AppliedFault[];
  failed: RevertFailure[];
}

/**
 * The drill engine's handle on fault injection. One backend serves a whole drill: in gameday mode
 * toxic and `down` faults go to Toxiproxy and `command` faults run commands; in tabletop mode every
 * fault is simulated. In gameday every apply is written to the ledger file before `apply` resolves;
 * a tabletop drill changes nothing and writes no ledger.
 */
export interface FaultBackend {
  readonly drillId: string;
  /** Claims the scenario's proxies and creates the missing ones; call before the first apply. */
  prepare(scenario: Scenario): Promise<void>;
  /** Applies `fault` (scenario.faults[index]); rejects with a readable message on failure. */
  apply(index: number, fault: Fault): Promise<AppliedFault>;
  /** Undoes one applied fault; a no-op when it is not applied (idempotent). */
  revert(index: number, reason: string): Promise<void>;
  /** Undoes everything, newest first; never throws, returns what it reverted and what it could not. */
  revertAll(reason: string): Promise<RevertReport>;
  /** Faults currently applied, oldest first. */
  ledger(): readonly AppliedFault[];
  /** Reverts anything left, removes the proxies it created and the ledger file (the watchdog then exits). */
  dispose(): Promise<RevertReport>;
}

/** The real backend: in gameday it also prepares Toxiproxy for the drill before its preflight probes. */
export interface DrillFaultBackend extends FaultBackend {
  /**
   * Claims the proxies the drill touches and creates the declared ones that are missing (all
   * recorded in the ledger first); rejects with a PrepareRefusal when it must not go ahead.
   * Done once: `prepare` after it changes nothing. Tabletop: nothing, at once.
   */
  prepareProxies(scenario: Scenario): Promise<PreparedProxies>;
}

export interface FaultBackendOptions {
  /** identifies this drill's toxics (`firedrill.<drillId>.<n>`) and proxies */
  drillId: string;
  /** tabletop: everything simulated; gameday: Toxiproxy and commands for real */
  mode: "tabletop" | "gameday";
  /** default `TOXIPROXY_URL` or http://127.0.0.1:8474 */
  toxiproxyUrl?: string;
  /** the JSON file the watchdog reads (gameday only); see `defaultLedgerPath` */
  ledgerPath: string;
  /** working directory for command faults (default process.cwd()) */
  cwd?: string;
}
