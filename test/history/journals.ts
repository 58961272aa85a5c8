import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DrillEvent } from "../../src/drill/events.js";
import type {
  JournalEventLine,
  JournalHeader,
  JournalSummary,
  Outcome,
} from "../../src/drill/journal-format.js";

/** Builds journals shaped exactly like src/drill/journal-format.ts, for tests and the bench. */

export const STEPS: NonNullable<JournalHeader["expectedSteps"]> = [
  { id: "check-dashboard", kind: "check", title: "Look at the checkout dashboard" },
  { id: "check-db", kind: "check", title: "Check database latency" },
  { id: "failover", kind: "action", title: "Fail over to the replica" },
  { id: "verify", kind: "verify", title: "Verify checkout succeeds" },
  { id: "notify", kind: "action", title: "Post in #incidents", optional: true },
];

export interface DrillSpec {
  drillId: string;
  startedAt: string;
  scenario?: string;
  title?: string;
  service?: string;
  owner?: string | null;
  procedure?: string | null;
  mode?: "tabletop" | "gameday";
  responder?: string;
  /** absent: a journal from before firedrill recorded it */
  responderKind?: "person" | "auto" | "script";
  targetTtr?: number;
  schema?: number;
  /** Timings from the fault (ms); null: never happened. */
  ttd?: number | null;
  tta?: number | null;
  ttm?: number | null;
  ttr?: number | null;
  /** Order in which expected steps get done; ids missing here are not done. */
  path?: string[];
  skipped?: { step: string; reason?: string }[];
  offRunbook?: { command: string[] | string; exitCode: number; step?: string }[];
  hints?: number;
  escalations?: number;
  /** Probe results while the fault is on: pads a drill to about 40 events. */
  probeEvery?: number;
  outcome?: Outcome;
  /** false: no summary line (the drill was killed). */
  complete?: boolean;
  score?: number;
}

const FAULT_AT = 2000;

export function buildEvents(spec: DrillSpec): { t: number; event: DrillEvent }[] {
  const events: { t: number; event: DrillEvent }[] = [];
  const at = (offset: number, event: DrillEvent) => events.push({ t: FAULT_AT + offset, event });
  events.push({
    t: 0,
    event: {
      type: "drill.started",
      mode: spec.mode ?? "gameday",
      responder: spec.responder ?? "alice",
    },
  });
  at(0, { type: "fault.applied", fault: 0, label: "latency 800ms on checkout-db" });
  const ttr = spec.ttr === undefined ? 240_000 : spec.ttr;
  const end = ttr ?? 600_000;
  const every = spec.probeEvery ?? 0;
  if (every > 0) {
    for (let t = every; t < end; t += every)
      at(t, { type: "probe.result", probe: "checkout", ok: false, latencyMs: 900, detail: "slow" });
  }
  if (spec.ttd !== null)
    at(spec.ttd ?? 20_000, {
      type: "signal.shown",
      signal: 0,
      kind: "alert",
      text: "checkout p99 > 2s",
    });
  if (spec.tta !== null)
    at(spec.tta ?? 40_000, { type: "acknowledged", by: spec.responder ?? "alice" });
  const procedure = spec.procedure === undefined ? "db-latency" : spec.procedure;
  if (procedure) at((spec.tta ?? 40_000) + 1000, { type: "procedure.selected", procedure });
  const path = spec.path ?? ["check-dashboard", "check-db", "failover", "verify"];
  const stepGap = Math.max(
    1000,
    Math.floor((end - (spec.tta ?? 40_000) - 5000) / (path.length + 1)),
  );
  let t = (spec.tta ?? 40_000) + 2000;
  for (const step of path) {
    at(t, { type: "step.started", procedure: procedure ?? "db-latency", step });
    const off = (spec.offRunbook ?? []).filter((c) => (c.step ?? "check-db") === step);
    for (const c of off)
      at(t + 100, {
        type: "command.ran",
        command: c.command,
        exitCode: c.exitCode,
        durationMs: 1200,
        offRunbook: true,
      });
    if (step === "failover")
      at(t + 200, {
        type: "command.ran",
        command: ["./failover.sh", "--to", "replica"],
        exitCode: 0,
        durationMs: 3000,
        offRunbook: false,
        procedure: procedure ?? "db-latency",
        step,
      });
    t += stepGap;
    at(t - 10, { type: "step.completed", procedure: procedure ?? "db-latency", step });
  }
  for (const s of spec.skipped ?? [])
    at(t, {
      type: "step.skipped",
      procedure: procedure ?? "db-latency",
      step: s.step,
      ...(s.reason ? { reason: s.reason } : {}),
    });
  for (let i = 0; i < (spec.hints ?? 0); i++)
    at(60_000 + i * 1000, {
      type: "hint.taken",
      hint: i,
      cost: 5,
      text: `Hint number ${i + 1}: look at the pool`,
    });
  for (let i = 0; i < (spec.escalations ?? 0); i++)
    at(90_000 + i * 1000, {
      type: "escalated",
      level: i + 1,
      who: i === 0 ? "db-oncall" : "eng-manager",
    });
  if (spec.ttm !== null && ttr !== null)
    at(spec.ttm ?? Math.max(0, ttr - 30_000), { type: "mitigated", by: spec.responder ?? "alice" });
  if (ttr !== null) {
    at(ttr - 1, { type: "probe.result", probe: "checkout", ok: true, latencyMs: 40, detail: "" });
    at(ttr, { type: "recovered", probe: "checkout" });
  }
  // A killed drill never got to revert its fault (cleanup does that later).
  if (spec.complete !== false)
    at(end + 1000, {
      type: "fault.reverted",
      fault: 0,
      label: "latency 800ms on checkout-db",
      reason: "drill ended",
    });
  return events.sort((a, b) => a.t - b.t);
}

export function header(spec: DrillSpec): JournalHeader {
  const procedure = spec.procedure === undefined ? "db-latency" : spec.procedure;
  return {
    type: "header",
    schema: spec.schema ?? 1,
    drillId: spec.drillId,
    startedAt: spec.startedAt,
    firedrillVersion: "0.1.0",
    mode: spec.mode ?? "gameday",
    responder: spec.responder ?? "alice",
    ...(spec.responderKind ? { responderKind: spec.responderKind } : {}),
    scenario: {
      id: spec.scenario ?? "checkout-db-latency",
      title: spec.title ?? "Checkout database latency",
      service: spec.service ?? "checkout",
      ...(spec.owner === null ? {} : { owner: spec.owner ?? "payments" }),
      ...(procedure ? { procedure } : {}),
      file: "scenarios/checkout-db-latency.yaml",
    },
    targets: { ttr: spec.targetTtr ?? 300_000, ttd: 30_000, tta: 60_000 },
    expectedSteps: STEPS,
  };
}

/** The journal's lines as text, one JSON document per line. */
export function journalLines(spec: DrillSpec): string[] {
  const h = header(spec);
  const events = buildEvents(spec);
  const start = Date.parse(spec.startedAt);
  const lines: string[] = [JSON.stringify(h)];
  for (const e of events) {
    const line: JournalEventLine = {
      type: "event",
      t: e.t,
      at: new Date(start + e.t).toISOString(),
      event: e.event,
    };
    lines.push(JSON.stringify(line));
  }
  if (spec.complete !== false) {
    const ttr = spec.ttr === undefined ? 240_000 : spec.ttr;
    const last = events[events.length - 1]!.t;
    const summary: JournalSummary = {
      type: "summary",
      endedAt: new Date(start + last + 500).toISOString(),
      outcome: spec.outcome ?? (ttr === null ? "not-recovered" : "recovered"),
      timings: {
        ttd: spec.ttd === null ? null : (spec.ttd ?? 20_000),
        tta: spec.tta === null ? null : (spec.tta ?? 40_000),
        ttm: spec.ttm === null || ttr === null ? null : (spec.ttm ?? Math.max(0, ttr - 30_000)),
        ttr,
      },
      withinTarget: ttr !== null && ttr <= h.targets.ttr,
      score: spec.score ?? 80,
      grade: "B",
      breakdown: [
        { key: "ttr", label: "Time to recover", points: 40, max: 50, detail: "within target" },
        { key: "adherence", label: "Runbook adherence", points: 30, max: 30, detail: "all steps" },
        { key: "hints", label: "Hints", points: 10, max: 20, detail: `${spec.hints ?? 0} taken` },
      ],
    };
    lines.push(JSON.stringify(summary));
  }
  return lines;
}

export function writeJournal(
  dir: string,
  spec: DrillSpec,
  mangle?: (lines: string[]) => string[],
): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${spec.drillId}.jsonl`);
  const lines = journalLines(spec);
  writeFileSync(file, `${(mangle ? mangle(lines) : lines).join("\n")}\n`);
  return file;
}
