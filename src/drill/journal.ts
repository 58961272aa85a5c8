import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { TimedEvent } from "./events.js";
import {
  JOURNAL_SCHEMA,
  type JournalEventLine,
  type JournalHeader,
  type JournalLine,
  type JournalSummary,
} from "./journal-format.js";

/** Where journals go unless config `journalDir` or `--journal-dir` says otherwise. */
export const defaultJournalDir = ".firedrill/drills";

/** A short random id: enough to keep two drills started in the same millisecond apart. */
export function newDrillId(): string {
  return randomBytes(4).toString("hex");
}

/**
 * `2026-11-25T01-02-03.123Z_checkout-db-latency_1a2b3c4d.jsonl`: names sort by start time (UTC,
 * fixed width) and carry the scenario id; colons are replaced because Windows forbids them.
 */
export function journalFileName(startedAt: Date, scenarioId: string, drillId: string): string {
  return `${startedAt.toISOString().replaceAll(":", "-")}_${scenarioId}_${drillId}.jsonl`;
}

const NAME = /^(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z)_(.+)_([0-9a-z]+)\.jsonl$/;

/** Reads the parts back out of a journal file name; undefined for other files. */
export function parseJournalFileName(
  name: string,
): { startedAt: Date; scenarioId: string; drillId: string } | undefined {
  const match = NAME.exec(name);
  if (!match) return undefined;
  const [date, time] = (match[1] ?? "").split("T");
  return {
    startedAt: new Date(`${date}T${(time ?? "").replace(/^(\d{2})-(\d{2})-/, "$1:$2:")}`),
    scenarioId: match[2] ?? "",
    drillId: match[3] ?? "",
  };
}

/**
 * Appends a drill's journal: one JSON line per event, each written whole and fsynced before the
 * call returns, so a drill killed at any moment leaves every line it reported. The file is created
 * with `wx`: never overwritten, never shared by two drills.
 */
export class JournalWriter {
  private fd: number | null;
  private readonly startedMs: number;
  private summarized = false;

  private constructor(
    readonly path: string,
    fd: number,
    header: JournalHeader,
  ) {
    this.fd = fd;
    this.startedMs = Date.parse(header.startedAt);
    this.line(header);
  }

  static create(dir: string, header: Omit<JournalHeader, "type" | "schema">): JournalWriter {
    mkdirSync(dir, { recursive: true });
    const name = journalFileName(new Date(header.startedAt), header.scenario.id, header.drillId);
    const path = join(dir, name);
    const fd = openSync(path, "wx", 0o644);
    return new JournalWriter(path, fd, { type: "header", schema: JOURNAL_SCHEMA, ...header });
  }

  get closed(): boolean {
    return this.fd === null;
  }

  event(timed: TimedEvent): void {
    const line: JournalEventLine = {
      type: "event",
      t: Math.round(timed.t),
      at: new Date(this.startedMs + timed.t).toISOString(),
      event: timed.event,
    };
    this.line(line);
  }

  summary(summary: Omit<JournalSummary, "type">): void {
    if (this.summarized) return;
    this.summarized = true;
    this.line({ type: "summary", ...summary });
  }

  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }

  private line(line: JournalLine): void {
    if (this.fd === null) return;
    const bytes = Buffer.from(`${JSON.stringify(line)}\n`);
    let written = 0;
    while (written < bytes.length) {
      written += writeSync(this.fd, bytes, written, bytes.length - written);
    }
    fsyncSync(this.fd);
  }
}

export interface ReadJournal {
  header: JournalHeader;
  events: TimedEvent[];
  summary?: JournalSummary;
  /** A line that could not be parsed (a torn last write); the lines before it are kept. */
  damaged?: { line: number; text: string };
}

/** Reads a journal back; incomplete when `summary` is missing. Throws when there is no header. */
export function readJournal(path: string): ReadJournal {
  const lines = readFileSync(path, "utf8").split("\n");
  let header: JournalHeader | undefined;
  const events: TimedEvent[] = [];
  let summary: JournalSummary | undefined;
  let damaged: ReadJournal["damaged"];
  lines.forEach((text, index) => {
    if (text.trim() === "" || damaged) return;
    let line: JournalLine;
    try {
      line = JSON.parse(text) as JournalLine;
    } catch {
      damaged = { line: index + 1, text };
      return;
    }
    if (line.type === "header") header = line;
    else if (line.type === "event") events.push({ t: line.t, event: line.event });
    else if (line.type === "summary") summary = line;
  });
  if (!header) throw new Error(`${path}: not a firedrill journal (no header line)`);
  if (header.schema > JOURNAL_SCHEMA) {
    throw new Error(`${path}: journal schema ${header.schema} is newer than this firedrill reads`);
  }
  return { header, events, ...(summary ? { summary } : {}), ...(damaged ? { damaged } : {}) };
}
