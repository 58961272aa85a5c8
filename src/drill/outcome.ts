import type { RevertReport } from "../faults/fault-types.js";
import type { PushReport } from "./pushgateway-push.js";
import type { DrillResult } from "./state.js";

/**
 * Exit codes of `firedrill run`, the TUI and headless alike. A user's mistake is never an internal
 * error: bad input and a refused preflight are 2, and nothing was applied.
 */
export const EXIT = {
  /** recovered within the TTR target */
  ok: 0,
  /** a finding: not recovered, over target, aborted, timed out, safety stop, detection gap */
  finding: 1,
  /** bad input or a refused preflight: nothing was applied */
  usage: 2,
  /** a fault could not be reverted: it is still applied */
  notReverted: 3,
  /** a bug in firedrill itself (never for something the user caused) */
  internal: 70,
} as const;

export type StopSignal = "SIGINT" | "SIGTERM" | "SIGHUP";

const SIGNAL_NUMBER: Record<StopSignal, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/** 128 + the signal's number, as a shell reports a process the signal ended. */
export function signalExitCode(signal: StopSignal): number {
  return 128 + SIGNAL_NUMBER[signal];
}

/**
 * Why a drill was stopped from outside the drill's own rules (recovery, time-out, safety stop and a
 * responder's abort end it from inside).
 */
export type DrillStop =
  /** a signal, or the TUI's Ctrl-C key (`label` says which the user pressed) */
  | { kind: "signal"; signal: StopSignal; label?: string }
  /** the responder's terminal is gone (EIO/EPIPE on it): the same as SIGHUP */
  | { kind: "hangup"; detail: string }
  /** the journal could not be written: the drill cannot keep its record, so it stops */
  | { kind: "journal"; path: string | null; error: string }
  /** something in firedrill threw */
  | { kind: "internal"; error: string };

/** What became of a drill, start to end: all a front-end needs to say so and pick the exit code. */
export type DrillOutcome =
  | {
      kind: "refused";
      /** the drill's files could not be written, the preflight said no, or the start failed */
      stage: "workspace" | "preflight" | "start";
      /** why, one line per failed check; nothing was applied */
      reasons: readonly string[];
    }
  | {
      kind: "ended";
      result: DrillResult | null;
      stop: DrillStop | null;
      revert: RevertReport;
      journalPath: string | null;
      /** for the clean-up command when a fault could not be reverted */
      toxiproxyUrl?: string;
      /** the drill's figures pushed to a Pushgateway (`--push`); never changes the exit code */
      push?: PushReport;
    };

export function exitCodeOf(outcome: DrillOutcome): number {
  if (outcome.kind === "refused") return EXIT.usage;
  if (outcome.revert.failed.length > 0) return EXIT.notReverted;
  const { stop, result } = outcome;
  if (stop?.kind === "signal") return signalExitCode(stop.signal);
  if (stop?.kind === "hangup") return signalExitCode("SIGHUP");
  if (stop?.kind === "journal") return EXIT.finding;
  if (stop?.kind === "internal") return EXIT.internal;
  // Recovering in time does not excuse alerting that never fired: a detection gap is a finding.
  if ((result?.detection?.gaps.length ?? 0) > 0) return EXIT.finding;
  return result?.withinTarget ? EXIT.ok : EXIT.finding;
}

/** How a stop is written in the `aborted` event and on screen. */
export function stopReason(stop: DrillStop): string {
  switch (stop.kind) {
    case "signal":
      return stop.label ?? `interrupted (${stop.signal})`;
    case "hangup":
      return `terminal closed (${stop.detail})`;
    case "journal":
      return `could not write the journal${stop.path ? ` ${stop.path}` : ""}: ${stop.error}`;
    case "internal":
      return `internal error: ${stop.error}`;
  }
}

/** ` · 1 detection gap`: why a recovered drill is still a finding. */
export function gapsText(result: DrillResult | null | undefined): string {
  const n = result?.detection?.gaps.length ?? 0;
  return n === 0 ? "" : ` · ${n} detection gap${n === 1 ? "" : "s"}`;
}

function faults(n: number): string {
  return `${n} fault${n === 1 ? "" : "s"}`;
}

/**
 * The last words of a drill, one line each, without the `firedrill: ` prefix. The headless run
 * prints them after its debrief, the TUI once the terminal is restored.
 */
export function closingLines(outcome: DrillOutcome): string[] {
  if (outcome.kind === "refused") {
    const what = {
      workspace: "cannot start the drill",
      preflight: "preflight refused the drill",
      start: "could not start the drill",
    }[outcome.stage];
    return [`${what}; nothing was applied: ${outcome.reasons.join("; ")}`];
  }
  const { result, stop, revert } = outcome;
  const journal = `journal ${outcome.journalPath ?? "not written"}`;
  const reverted = `${faults(revert.reverted.length)} reverted`;
  const lines: string[] = [];
  if (stop?.kind === "signal") {
    lines.push(`drill aborted (${stop.label ?? stop.signal}): ${reverted}; ${journal}`);
  } else if (stop?.kind === "journal") {
    lines.push(`${stopReason(stop)}; the drill was stopped and ${reverted}`);
  } else if (stop) {
    lines.push(`drill stopped: ${stopReason(stop)}; ${reverted}; ${journal}`);
  } else {
    const score = result ? ` · score ${result.score} (${result.grade})` : "";
    const within = result?.withinTarget ? " within target" : "";
    lines.push(`${result?.outcome ?? "ended"}${within}${score}${gapsText(result)} · ${journal}`);
  }
  if (revert.failed.length > 0) {
    for (const failure of revert.failed) {
      lines.push(`NOT reverted, still applied: ${failure.label}: ${failure.error}`);
    }
    // one command per server a fault is still on (a scenario's proxies may span several)
    const urls = new Set(revert.failed.map((failure) => failure.url ?? outcome.toxiproxyUrl));
    for (const url of urls) {
      lines.push(
        `remove it from this directory with: firedrill cleanup${url ? ` --url ${url}` : ""}`,
      );
    }
  }
  const pushed = pushLine(outcome);
  if (pushed) lines.push(pushed);
  return lines;
}

/** The one line saying where the drill's figures went, or why they did not; null without --push. */
export function pushLine(outcome: DrillOutcome): string | null {
  if (outcome.kind !== "ended" || !outcome.push) return null;
  const { url, ok, error } = outcome.push;
  return ok
    ? `figures pushed to ${url}`
    : `could not push the figures${url ? ` to ${url}` : ""}: ${error ?? "failed"}; the journal has them`;
}

/** What a finished session says about its end; the structure of `SessionSnapshot` it reads. */
export interface EndedSession {
  drill: { result: DrillResult | null };
  stop: DrillStop | null;
  revert: RevertReport | null;
  journalPath: string | null;
}

export function endedOutcome(session: EndedSession, toxiproxyUrl?: string): DrillOutcome {
  return {
    kind: "ended",
    result: session.drill.result,
    stop: session.stop,
    revert: session.revert ?? { reverted: [], failed: [] },
    journalPath: session.journalPath,
    ...(toxiproxyUrl ? { toxiproxyUrl } : {}),
  };
}
