import type { Outcome, ResponderKind } from "../drill/journal-format.js";
import type { DrillStop } from "../drill/outcome.js";
import type { ResponderAction } from "../drill/session.js";
import type { DrillState } from "../drill/state.js";
import type { Runbook } from "../model/runbook.js";
import type { Mode, Scenario } from "../model/scenario.js";

/**
 * What the TUI needs from a running drill. The engine's session is adapted to this in one place
 * (`session-port.ts`) so the views never depend on how the engine stores its state.
 */
export interface DrillPort {
  /** Same object until something changes (React's useSyncExternalStore relies on that). */
  snapshot(): DrillSnapshot;
  subscribe(onChange: () => void): () => void;
  /** Milliseconds on the drill clock since the drill started; read by the ticking header. */
  elapsed(): number;
  dispatch(action: ResponderAction): void;
  /** Reverts faults and closes the journal; safe to call more than once. */
  shutdown(reason: string): Promise<ShutdownReport>;
  /** Ends the drill from outside (Ctrl-C, a signal, a closed terminal); the first stop wins. */
  stop(stop: DrillStop): void;
  /** Once the drill ended and everything was reverted: the last words and the exit code. */
  closing(): Promise<DrillClosing>;
}

/** How a drill ended, as the engine's outcome says it (see `src/drill/outcome.ts`). */
export interface DrillClosing {
  exitCode: number;
  /** one line each, without the `firedrill: ` prefix */
  lines: string[];
  /** stopped from outside its rules: the TUI leaves at once instead of showing the debrief */
  stopped: boolean;
}

export interface ShutdownReport {
  reverted: number;
  failed: string[];
  journalPath?: string;
}

/** A command the responder started, while it streams and after it finished. */
export interface LiveCommand {
  command: readonly string[] | string;
  offRunbook: boolean;
  procedure?: string;
  step?: string;
  /** drill clock time the command started */
  startedAt: number;
  /** the last lines of stdout and stderr interleaved */
  output: readonly string[];
  running: boolean;
  exitCode?: number | null;
  durationMs?: number;
  cancelled?: boolean;
  /** tabletop: recorded, never run */
  notRun?: "tabletop";
}

/** The engine's state plus what only the session knows (the live command, where the journal is). */
export interface DrillSnapshot {
  state: DrillState;
  drillId?: string;
  command?: LiveCommand;
  journalPath?: string;
  /** after the end: what the shutdown did, e.g. "2 faults reverted" */
  cleanup?: string;
  /** why the engine refused the last action, until the next one succeeds */
  notice?: string;
  /** what stopped the drill from outside, once something did */
  stop?: DrillStop;
  /** `run --share`: who has joined, e.g. "facilitator, 2 observers" ("nobody yet" when none) */
  joined?: string;
}

/** The engine's responder actions, dispatched as they are. */
export type { ResponderAction } from "../drill/session.js";

/** One scenario in the picker, with what the journals say about it. */
export interface CatalogEntry {
  id: string;
  title: string;
  service: string;
  owner?: string;
  severity: string;
  modes: readonly Mode[];
  tags: readonly string[];
  targetTtr: number;
  /** ISO time of the newest drill */
  lastDrilledAt?: string;
  lastTtr?: number | null;
  file?: string;
}

/** A finished drill of one scenario, as history reads it from a journal. */
export interface PastDrill {
  drillId: string;
  startedAt: string;
  mode: Mode;
  /** who answered it (absent: a person); a debrief compares people with people */
  responderKind?: ResponderKind;
  outcome: Outcome | "incomplete";
  ttd: number | null;
  tta: number | null;
  ttm: number | null;
  ttr: number | null;
  score?: number;
}

export interface PreflightLine {
  ok: boolean;
  text: string;
}

export interface Preflight {
  toxiproxyUrl: string;
  ok: boolean;
  lines: readonly PreflightLine[];
}

export interface Briefing {
  scenario: Scenario;
  runbook?: Runbook;
  file?: string;
}

export interface StartOptions {
  scenario: string;
  mode: Mode;
  responder: string;
}

/** What the TUI is given by the CLI: data loaders and the way to start a drill. */
export interface TuiDeps {
  catalog(): Promise<readonly CatalogEntry[]>;
  briefing(scenario: string): Promise<Briefing>;
  preflight(scenario: string): Promise<Preflight>;
  history(scenario: string): Promise<readonly PastDrill[]>;
  /** the drills of several scenarios at once, for the history screen: one read of the journals */
  histories(scenarios: readonly string[]): Promise<ReadonlyMap<string, readonly PastDrill[]>>;
  start(options: StartOptions): Promise<DrillPort>;
  /** responder name the briefing suggests (e.g. $USER) */
  defaultResponder: string;
  /** mode the briefing starts on when the scenario allows it (`run --mode`) */
  defaultMode?: Mode;
  /**
   * `--facilitator`: this terminal is the facilitator's too, so it shows what is injected, where
   * and when, and the keys that drive the script. Without it the screens are the responder's.
   */
  facilitator?: boolean;
  /** keeps the name a drill was started with, so the next briefing suggests it */
  rememberResponder?: (name: string) => void;
}
