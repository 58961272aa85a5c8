import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { commandText } from "../model/common.js";
import {
  DRILL_EVENT_TYPES,
  JournalHeader as HeaderLine,
  JournalEventLine,
  JournalSummary as SummaryLine,
} from "../model/journal-file.js";
import { readRegularFile } from "../model/read-file.js";
import { zodIssueText } from "../model/zod-issue-text.js";
import { detectionOf } from "./detection.js";
import { actorOf, type TimedEvent } from "./events.js";
import { JOURNAL_SCHEMA, type JournalHeader, type JournalSummary } from "./journal-format.js";
import {
  type DrillDigest,
  type DrillRecord,
  type JournalProblem,
  NO_OWNER,
  type OffRunbookCommand,
} from "./journal-record.js";
import { computeTimings } from "./timings.js";

export interface ReadOptions {
  /** Keep every event on the record (reports need the timeline; history does not). */
  keepEvents?: boolean;
  /**
   * Gather the digest (path, off-runbook commands, hints, escalations). Default true; history
   * turns it off, so event lines of complete journals are only checked, not parsed.
   */
  digest?: boolean;
  /** Decide from the header alone whether the rest of the journal is worth parsing. */
  accept?: (header: JournalHeader) => boolean;
}

export interface ReadResult {
  drills: DrillRecord[];
  problems: JournalProblem[];
  /** Journals written by a newer firedrill; never guessed at. */
  refused: JournalProblem[];
}

/** The journal files of a directory, oldest name first; a missing directory has none. */
export function listJournalFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  if (!statSync(dir).isDirectory()) return [dir];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".jsonl"))
    .sort()
    .map((name) => join(dir, name));
}

/** Reads every journal in `dir` (or one journal file). History never writes to journals. */
export function readJournalDir(dir: string, options: ReadOptions = {}): ReadResult {
  return readJournalFiles(listJournalFiles(dir), options);
}

/**
 * A journal is a few MB at most (a day-long drill probing every second writes ~20 MB); anything
 * bigger is not one of ours, and reading it would only fill memory.
 */
export const MAX_JOURNAL_BYTES = 256 * 1024 * 1024;

/**
 * A journal's text, or undefined with the reason among `sink`'s problems. Only regular files are
 * read: a FIFO named like a journal would block history forever, a link to /dev/zero would fill
 * memory; such files are skipped with a warning.
 */
export function readJournalText(
  file: string,
  sink: Pick<ReadResult, "problems">,
): string | undefined {
  const read = readRegularFile(file, MAX_JOURNAL_BYTES);
  if (read.ok) return read.text;
  const unreadable = read.code !== undefined;
  sink.problems.push({
    file,
    severity: unreadable ? "error" : "warning",
    message: unreadable ? `cannot read: ${read.reason}` : `skipped: ${read.reason}`,
  });
  return undefined;
}

export function readJournalFiles(files: readonly string[], options: ReadOptions = {}): ReadResult {
  const result: ReadResult = { drills: [], problems: [], refused: [] };
  for (const file of files) {
    const text = readJournalText(file, result);
    if (text === undefined) continue;
    const drill = parseJournal(text, file, result, options);
    if (drill) result.drills.push(drill);
  }
  result.drills.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  return result;
}

/**
 * Parses one journal's text. Problems go to `sink`; a corrupt line costs only that line, a
 * corrupt or missing header costs the journal (without it nothing says what was drilled).
 */
export function parseJournal(
  text: string,
  file: string,
  sink: Pick<ReadResult, "problems" | "refused">,
  options: ReadOptions = {},
): DrillRecord | null {
  let lineNo = 0;
  let pos = 0;
  let header: JournalHeader | null = null;
  let summary: JournalSummary | null = null;
  let summaryLine = 0;
  const events: TimedEvent[] = [];
  const warn = (line: number, message: string) =>
    sink.problems.push({ file, line, severity: "warning", message });
  // A complete journal ends with its summary, which carries the timings. Read it first; then event
  // lines nobody will look at (all of them without a digest, probe results with one) are checked
  // for framing, which catches torn writes, instead of parsed: most of the cost of 10,000 journals.
  const tail = options.keepEvents === true ? null : trailingSummary(text);
  const skipAll = options.digest === false;
  let skipped = 0;
  // Kinds a newer firedrill writes: harmless to skip, named once rather than on every line.
  const unknownKinds = new Map<string, number>();

  while (pos < text.length) {
    let end = text.indexOf("\n", pos);
    if (end === -1) end = text.length;
    const lineStart = pos;
    pos = end + 1;
    lineNo += 1;
    if (tail !== null && header !== null) {
      if (lineStart === tail.start) {
        summary = tail.summary;
        summaryLine = lineNo;
        continue;
      }
      // Checked in place: slicing 400,000 lines only to drop them is what the GC would pay for.
      if (
        text.startsWith('{"type":"event"', lineStart) &&
        text.charCodeAt(end - 1) === 125 /* } */ &&
        (skipAll || isProbeResult(text, lineStart, end))
      ) {
        skipped++;
        continue;
      }
    }
    const raw = text.slice(lineStart, end);
    if (raw.trim() === "") continue;

    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      const cut = end === text.length ? " (the drill was probably killed while writing it)" : "";
      if (header === null) {
        sink.problems.push({
          file,
          line: lineNo,
          severity: "error",
          message: `the header is not valid JSON${cut}; journal skipped`,
        });
        return null;
      }
      warn(lineNo, `not valid JSON${cut}; line ignored, the rest of the journal is used`);
      continue;
    }

    if (header === null) {
      const checked = checkHeader(value);
      if (typeof checked === "string") {
        sink.problems.push({ file, line: lineNo, severity: "error", message: checked });
        return null;
      }
      if (checked.schema > JOURNAL_SCHEMA) {
        sink.refused.push({
          file,
          severity: "error",
          message:
            `written with journal schema ${checked.schema}, but this firedrill reads schema ` +
            `${JOURNAL_SCHEMA} or older; upgrade firedrill to read it`,
        });
        return null;
      }
      if (options.accept && !options.accept(checked)) return null;
      header = checked;
      continue;
    }

    const kind = (value as { type?: unknown } | null)?.type;
    if (kind === "event") {
      const line = value as { t?: unknown; event?: unknown };
      const event = line.event as { type?: unknown } | null | undefined;
      if (typeof line.t !== "number" || typeof event !== "object" || event === null) {
        warn(lineNo, "event line without a numeric 't' and an 'event' object; line ignored");
        continue;
      }
      if (typeof event.type !== "string") {
        warn(lineNo, "event without a 'type'; line ignored");
        continue;
      }
      if (!DRILL_EVENT_TYPES.has(event.type)) {
        unknownKinds.set(event.type, (unknownKinds.get(event.type) ?? 0) + 1);
        continue;
      }
      const parsed = JournalEventLine.safeParse(value);
      if (!parsed.success) {
        // Paths inside the event: `hint: expected number`, not `event.hint: …`.
        const first = parsed.error.issues[0];
        const issue = zodIssueText(first && { ...first, path: first.path.slice(1) });
        warn(lineNo, `${event.type} event: ${issue}; line ignored`);
        continue;
      }
      if (summary !== null) warn(lineNo, `event after the summary (line ${summaryLine}); used`);
      const { actor } = parsed.data;
      events.push({ t: parsed.data.t, event: parsed.data.event, ...(actor ? { actor } : {}) });
    } else if (kind === "summary") {
      const checked = checkSummary(value);
      if (typeof checked === "string") {
        warn(lineNo, `${checked}; the drill is treated as incomplete`);
        continue;
      }
      summary = checked;
      summaryLine = lineNo;
    } else if (kind === "header") {
      warn(lineNo, "a second header; line ignored");
    } else {
      warn(lineNo, `unknown line type ${JSON.stringify(kind ?? null)}; line ignored`);
    }
  }

  if (header === null) {
    sink.problems.push({
      file,
      severity: "warning",
      message: "empty journal (the drill was killed before writing its header); skipped",
    });
    return null;
  }
  if (unknownKinds.size > 0) {
    const kinds = [...unknownKinds].map(([kind, n]) => `${kind} (${n})`).join(", ");
    sink.problems.push({
      file,
      severity: "warning",
      message: `events of kinds this firedrill does not know, probably from a newer one: ${kinds}; ignored`,
    });
  }
  const record = toRecord(file, header, summary, events, options.keepEvents === true);
  record.digest.eventCount += skipped;
  return record;
}

function isProbeResult(text: string, start: number, end: number): boolean {
  const at = text.indexOf('"type":"probe.result"', start);
  return at !== -1 && at < end;
}

/** The summary on the journal's last line with its offset, or null when the drill is incomplete. */
function trailingSummary(text: string): { start: number; summary: JournalSummary } | null {
  let end = text.length;
  while (end > 0 && (text[end - 1] === "\n" || text[end - 1] === "\r" || text[end - 1] === " "))
    end--;
  const start = text.lastIndexOf("\n", end - 1) + 1;
  if (start === 0 || !text.startsWith('{"type":"summary"', start)) return null;
  try {
    const checked = checkSummary(JSON.parse(text.slice(start, end)));
    return typeof checked === "string" ? null : { start, summary: checked };
  } catch {
    return null;
  }
}

function toRecord(
  file: string,
  header: JournalHeader,
  summary: JournalSummary | null,
  events: TimedEvent[],
  keepEvents: boolean,
): DrillRecord {
  // Events are written as they happen, but a clock step or a merged journal could disorder them.
  let sorted = true;
  for (let i = 1; i < events.length; i++) {
    if (events[i]!.t < events[i - 1]!.t) {
      sorted = false;
      break;
    }
  }
  if (!sorted) events.sort((a, b) => a.t - b.t);

  const timings = summary ? summary.timings : computeTimings(events);
  const ttr = timings.ttr;
  const startedAt = new Date(header.startedAt);
  const digest = digestEvents(events);
  if (summary) {
    const ended = Date.parse(summary.endedAt);
    if (Number.isFinite(ended)) digest.durationMs = Math.max(0, ended - startedAt.getTime());
  }
  return {
    file,
    header,
    events: keepEvents ? events : [],
    summary,
    complete: summary !== null,
    startedAt,
    timings,
    outcome: summary ? summary.outcome : "incomplete",
    withinTarget: summary ? summary.withinTarget : ttr !== null && ttr <= header.targets.ttr,
    score: summary ? summary.score : null,
    grade: summary ? summary.grade : null,
    team: header.scenario.owner ?? NO_OWNER,
    digest,
  };
}

/** Gathers what reports and drift need from the events, in one pass. */
export function digestEvents(events: readonly TimedEvent[]): DrillDigest {
  const digest: DrillDigest = {
    eventCount: events.length,
    path: [],
    offRunbook: [],
    hints: [],
    escalations: [],
    notes: [],
    facilitatorActions: 0,
    detection: detectionOf(events),
    durationMs: events.length ? events[events.length - 1]!.t : 0,
  };
  let currentStep: { procedure: string; step: string } | undefined;
  for (const timed of events) {
    const { t, event } = timed;
    const actor = actorOf(timed);
    if (actor === "facilitator") digest.facilitatorActions++;
    switch (event.type) {
      case "note":
        digest.notes.push({ t, text: event.text, actor, ...(event.tag ? { tag: event.tag } : {}) });
        break;
      case "procedure.selected":
        digest.procedure ??= event.procedure;
        break;
      case "step.started":
        currentStep = { procedure: event.procedure, step: event.step };
        break;
      case "step.completed":
        digest.path.push({
          procedure: event.procedure,
          step: event.step,
          status: "completed",
          t,
          ...(event.note === undefined ? {} : { note: event.note }),
        });
        break;
      case "step.skipped":
        digest.path.push({
          procedure: event.procedure,
          step: event.step,
          status: "skipped",
          t,
          ...(event.reason === undefined ? {} : { reason: event.reason }),
        });
        break;
      case "command.ran":
        if (event.offRunbook) {
          const procedure = event.procedure ?? currentStep?.procedure;
          const step = event.step ?? currentStep?.step;
          const entry: OffRunbookCommand = {
            command: commandText(event.command),
            argv: Array.isArray(event.command) ? event.command : null,
            t,
            exitCode: event.exitCode,
          };
          if (procedure !== undefined) entry.procedure = procedure;
          if (step !== undefined) entry.step = step;
          digest.offRunbook.push(entry);
        }
        break;
      case "hint.taken":
        digest.hints.push({ hint: event.hint, cost: event.cost, text: event.text, t });
        break;
      case "escalated":
        digest.escalations.push({ level: event.level, who: event.who, t });
        break;
    }
  }
  return digest;
}

/** The header, or why the journal cannot be used (`the header <field's message>; journal skipped`). */
function checkHeader(value: unknown): JournalHeader | string {
  const result = HeaderLine.safeParse(value);
  if (result.success) return result.data;
  return `the header ${result.error.issues[0]?.message ?? "is invalid"}; journal skipped`;
}

/** The summary, or why it cannot be used. */
function checkSummary(value: unknown): JournalSummary | string {
  const result = SummaryLine.safeParse(value);
  return result.success ? result.data : (result.error.issues[0]?.message ?? "summary is invalid");
}
