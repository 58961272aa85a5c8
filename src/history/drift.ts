import type { DrillRecord } from "../drill/journal-record.js";
import { compareToExpected } from "./adherence.js";

/** The procedure a drill was meant to follow: the scenario's, else the one the responder chose. */
export function procedureOf(drill: DrillRecord): string | null {
  return drill.header.scenario.procedure ?? drill.digest.procedure ?? null;
}

export interface OffRunbookDrift {
  command: string;
  /** The argv form when the journal recorded one, so a patch can keep it exact. */
  argv: string[] | null;
  /** Drills in which it was typed, and how many times in total. */
  drills: number;
  times: number;
  /** The step the responder was on most often when typing it. */
  afterStep: string | null;
  /** Exit codes seen, to tell a fix from a failed attempt. */
  exitCodes: (number | null)[];
  lastSeen: Date;
}

export interface StepDrift {
  step: string;
  kind: string;
  title: string;
  optional: boolean;
  /** Drills in which the responder skipped this (non-optional) step. */
  skipped: number;
  /** Drills that needed this required step and nobody did or skipped it. */
  missed: number;
  outOfOrder: number;
}

/** How the runbook and what responders really do have drifted apart, over one procedure's drills. */
export interface RunbookDrift {
  procedure: string;
  service: string;
  scenarios: string[];
  drills: number;
  offRunbook: OffRunbookDrift[];
  /** Only steps skipped, missed or reordered at least once. */
  steps: StepDrift[];
}

/** One drift summary per procedure, from the drills' digests (no events needed). */
export function runbookDrift(drills: readonly DrillRecord[]): RunbookDrift[] {
  const byProcedure = new Map<string, DrillRecord[]>();
  for (const d of drills) {
    const key = procedureOf(d) ?? `(scenario ${d.header.scenario.id})`;
    let list = byProcedure.get(key);
    if (!list) {
      list = [];
      byProcedure.set(key, list);
    }
    list.push(d);
  }
  const result: RunbookDrift[] = [];
  for (const [procedure, list] of byProcedure) {
    const commands = new Map<
      string,
      OffRunbookDrift & { seenIn: Set<string>; stepVotes: Map<string, number> }
    >();
    const steps = new Map<string, StepDrift>();
    for (const d of list) {
      for (const c of d.digest.offRunbook) {
        let entry = commands.get(c.command);
        if (!entry) {
          entry = {
            command: c.command,
            argv: c.argv,
            drills: 0,
            times: 0,
            afterStep: null,
            exitCodes: [],
            lastSeen: d.startedAt,
            seenIn: new Set(),
            stepVotes: new Map(),
          };
          commands.set(c.command, entry);
        }
        entry.times++;
        entry.seenIn.add(d.file);
        if (!entry.exitCodes.includes(c.exitCode)) entry.exitCodes.push(c.exitCode);
        if (d.startedAt > entry.lastSeen) entry.lastSeen = d.startedAt;
        if (c.step) entry.stepVotes.set(c.step, (entry.stepVotes.get(c.step) ?? 0) + 1);
      }
      const adherence = compareToExpected(
        d.header.expectedSteps,
        d.digest.path,
        procedureOf(d),
        d.outcome === "recovered",
      );
      for (const v of adherence.steps) {
        let s = steps.get(v.id);
        if (!s) {
          s = {
            step: v.id,
            kind: v.kind,
            title: v.title,
            optional: v.optional,
            skipped: 0,
            missed: 0,
            outOfOrder: 0,
          };
          steps.set(v.id, s);
        }
        if (v.status === "skipped" && !v.optional) s.skipped++;
        if (v.status === "missed") s.missed++;
        if (v.outOfOrder !== undefined) s.outOfOrder++;
      }
    }
    const offRunbook = [...commands.values()]
      .map(({ seenIn, stepVotes, ...rest }) => {
        let afterStep: string | null = null;
        let votes = 0;
        for (const [step, count] of stepVotes) {
          if (count > votes) {
            afterStep = step;
            votes = count;
          }
        }
        return { ...rest, drills: seenIn.size, afterStep };
      })
      .sort(
        (a, b) => b.drills - a.drills || b.times - a.times || a.command.localeCompare(b.command),
      );
    result.push({
      procedure,
      service: list[0]!.header.scenario.service,
      scenarios: [...new Set(list.map((d) => d.header.scenario.id))].sort(),
      drills: list.length,
      offRunbook,
      steps: [...steps.values()].filter((s) => s.skipped > 0 || s.missed > 0 || s.outOfOrder > 0),
    });
  }
  return result.sort((a, b) => a.procedure.localeCompare(b.procedure));
}
