import { z } from "zod";
import { MODES, SIGNAL_KINDS } from "./scenario.js";

/**
 * A drill journal (`.firedrill/drills/*.jsonl`): a header line, one line per event, a summary
 * line. Written by the drill, read back by history, reports and `lint`'s staleness rule; this is
 * the one schema it is read through. The error texts are what history shows for a bad line, after
 * `file:line: `, so each names the field.
 *
 * Events are a file format too: add optional fields freely, never rename or remove one without
 * bumping JOURNAL_SCHEMA. Readers refuse newer schemas.
 */
export const JOURNAL_SCHEMA = 1;

export const OUTCOMES = [
  "recovered",
  "not-recovered",
  "aborted",
  "timed-out",
  "safety-stop",
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/**
 * Who answered the drill: a person (the TUI), `run --auto` (the runbook walked by firedrill) or
 * `run --script` (a replayed script). History compares people with people.
 */
export const RESPONDER_KINDS = ["person", "auto", "script"] as const;
export type ResponderKind = (typeof RESPONDER_KINDS)[number];

/** What a scribe's note records; an `action` is an action item for after the drill. */
export const NOTE_TAGS = ["observation", "decision", "action"] as const;
export type NoteTag = (typeof NOTE_TAGS)[number];

/** Who made an event happen: a person in one of the drill's roles, or firedrill itself. */
export const ACTORS = ["responder", "facilitator", "scribe", "firedrill"] as const;
export type Actor = (typeof ACTORS)[number];

const text = z.string();
const count = z.number();

/** Everything that can happen in a drill, one object per kind. */
export const DrillEvent = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("drill.started"),
    mode: z.enum(MODES),
    responder: text,
    /** TTD counts only alerts from the team's monitoring (the scenario has monitoring signals) */
    ttdFrom: z.literal("monitoring").optional(),
  }),
  z.object({
    type: z.literal("fault.applied"),
    fault: count,
    label: text,
    /** drill time the apply began (the event's `t` is when it landed): the backend's share */
    applyStartedT: count.optional(),
  }),
  z.object({ type: z.literal("fault.reverted"), fault: count, label: text, reason: text }),
  z.object({ type: z.literal("fault.failed"), fault: count, label: text, error: text }),
  z.object({
    type: z.literal("signal.shown"),
    signal: count,
    kind: z.enum(SIGNAL_KINDS),
    text,
    /** a monitoring signal: where it came from (the event's `t` is when firedrill saw it) */
    source: z.enum(["alertmanager", "prometheus"]).optional(),
    /** the alert's own time: Alertmanager's startsAt, Prometheus's activeAt (ISO) */
    activeAt: text.optional(),
    /** the same on the drill's clock, for detection latency (fault → active → seen) */
    activeT: count.optional(),
    /** a query signal's value when it crossed its limit */
    value: count.optional(),
  }),
  z.object({
    type: z.literal("detection.gap"),
    signal: count,
    /** the alert (or query) that did not fire */
    name: text,
    /** how long after the first fault it was expected */
    withinMs: count,
  }),
  z.object({
    type: z.literal("probe.result"),
    probe: text,
    ok: z.boolean(),
    latencyMs: count,
    detail: text,
  }),
  z.object({ type: z.literal("acknowledged"), by: text }),
  z.object({ type: z.literal("escalated"), level: count, who: text }),
  z.object({ type: z.literal("procedure.selected"), procedure: text }),
  z.object({ type: z.literal("step.started"), procedure: text, step: text }),
  z.object({
    type: z.literal("step.completed"),
    procedure: text,
    step: text,
    note: text.optional(),
    outcome: text.optional(),
    /** derived: the step's command exited 0 (the responder can still mark it skipped) */
    byCommand: z.boolean().optional(),
  }),
  z.object({
    type: z.literal("step.skipped"),
    procedure: text,
    step: text,
    reason: text.optional(),
  }),
  z.object({
    type: z.literal("command.ran"),
    command: z.union([z.array(text), text]),
    exitCode: count.nullable(),
    durationMs: count,
    /** true when typed ad hoc by the responder rather than taken from a runbook step */
    offRunbook: z.boolean(),
    procedure: text.optional(),
    step: text.optional(),
    cancelled: z.boolean().optional(),
    outputTail: text.optional(),
    /** tabletop: the command was recorded, never run */
    notRun: z.literal("tabletop").optional(),
    /** tabletop: the scenario's outcome for the step, shown instead of output */
    outcome: text.optional(),
  }),
  z.object({ type: z.literal("hint.taken"), hint: count, cost: count, text }),
  z.object({ type: z.literal("mitigated"), by: text }),
  z.object({ type: z.literal("recovered"), probe: text.optional() }),
  z.object({ type: z.literal("aborted"), by: text, reason: text }),
  z.object({ type: z.literal("safety.stopped"), reason: text, probe: text.optional() }),
  z.object({ type: z.literal("timed.out"), limitMs: count }),
  z.object({ type: z.literal("note"), text, tag: z.enum(NOTE_TAGS).optional() }),
  /** tabletop: the facilitator stopped the drill clock; timers and timings wait */
  z.object({ type: z.literal("clock.paused"), reason: text.optional() }),
  z.object({ type: z.literal("clock.resumed"), pausedMs: count }),
  /** the facilitator called the drill over without it recovering: outcome not-recovered */
  z.object({ type: z.literal("drill.ended"), by: text, reason: text }),
]);
export type DrillEvent = z.output<typeof DrillEvent>;
export type DrillEventType = DrillEvent["type"];

/** The event kinds this version knows: a newer firedrill may write others. */
export const DRILL_EVENT_TYPES: ReadonlySet<string> = new Set(
  DrillEvent.options.map((option) => option.shape.type.value),
);

/** One line per event, fsynced as it happens. `t`: ms on the drill's clock; `at`: wall-clock ISO. */
export const JournalEventLine = z.object({
  type: z.literal("event"),
  t: count,
  at: text.catch(""),
  event: DrillEvent,
  /** who made it happen; absent in journals written before it was recorded (see actorOf) */
  actor: z.enum(ACTORS).optional().catch(undefined),
});
export type JournalEventLine = z.output<typeof JournalEventLine>;

const isoTime = (value: string) => Number.isFinite(Date.parse(value));
const SCENARIO_NEEDED = 'has no "scenario" with "id" and "service"';
const TTR_NEEDED = 'has no "targets.ttr" in milliseconds';

/**
 * First line of every journal. Fields are checked in the order a reader needs them; the first
 * wrong one is reported (`the header <message>; journal skipped`). Tolerant of journals written
 * before `title` and `responderKind` were recorded.
 */
const HEADER_NEEDED = 'is missing (the first line must have "type": "header")';

export const JournalHeader = z.object(
  {
    type: z.literal("header", { error: HEADER_NEEDED }),
    schema: z.number({ error: 'has no numeric "schema"' }),
    drillId: z.string({ error: 'has no "drillId"' }),
    startedAt: z
      .string({ error: 'has no ISO "startedAt" time' })
      .refine(isoTime, 'has no ISO "startedAt" time'),
    scenario: z
      .object(
        {
          id: z.string({ error: SCENARIO_NEEDED }),
          title: z.string().optional().catch(undefined),
          service: z.string({ error: SCENARIO_NEEDED }),
          owner: z.string().optional(),
          procedure: z.string().optional(),
          file: z.string().optional(),
        },
        { error: SCENARIO_NEEDED },
      )
      .transform(({ title, ...scenario }) => ({ ...scenario, title: title ?? scenario.id })),
    targets: z.object(
      {
        ttr: z.number({ error: TTR_NEEDED }),
        ttd: z.number().optional(),
        tta: z.number().optional(),
        ttm: z.number().optional(),
      },
      { error: TTR_NEEDED },
    ),
    mode: z.enum(MODES, {
      error: (issue) =>
        `has "mode" ${JSON.stringify(issue.input ?? null)}; expected tabletop or gameday`,
    }),
    responder: z.string({ error: 'has no "responder"' }),
    /** Absent in journals written before it was recorded: see responderKindOf. */
    responderKind: z.enum(RESPONDER_KINDS).optional().catch(undefined),
    firedrillVersion: z.string().catch(""),
    /** Steps of the expected procedure in order, so reports survive runbook edits. */
    expectedSteps: z
      .array(z.object({ id: text, kind: text, title: text, optional: z.boolean().optional() }))
      .optional(),
  },
  { error: HEADER_NEEDED },
);
export type JournalHeader = z.output<typeof JournalHeader>;

export const ScoreItem = z.object({
  /** What was judged, e.g. "ttr", "adherence", "hints", "escalation", "abort". */
  key: text,
  label: text,
  points: count,
  max: count,
  detail: text,
});
export type ScoreItem = z.output<typeof ScoreItem>;

const TIMINGS_NEEDED = "summary has no 'timings' with ttd, tta, ttm and ttr (milliseconds or null)";
const timing = z.number({ error: TIMINGS_NEEDED }).nullable();

/**
 * Last line; a journal without it is incomplete (the drill was killed). A bad summary costs only
 * the verdict (`<message>; the drill is treated as incomplete`).
 */
export const JournalSummary = z.object(
  {
    type: z.literal("summary"),
    outcome: z.enum(OUTCOMES, {
      error: (issue) =>
        `summary has outcome ${JSON.stringify(issue.input ?? null)}, expected one of ${OUTCOMES.join(", ")}`,
    }),
    timings: z.object(
      { ttd: timing, tta: timing, ttm: timing, ttr: timing },
      { error: TIMINGS_NEEDED },
    ),
    score: z.number({ error: "summary has no numeric 'score'" }),
    withinTarget: z.boolean({ error: "summary has no boolean 'withinTarget'" }),
    endedAt: text.catch(""),
    grade: text.catch(""),
    breakdown: z.array(ScoreItem).catch([]),
  },
  { error: "summary is not an object" },
);
export type JournalSummary = z.output<typeof JournalSummary>;
