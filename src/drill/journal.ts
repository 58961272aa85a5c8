import { randomBytes } from "node:crypto";
import {
  closeSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import type { Env } from "../model/env.js";
import { actorOf, type TimedEvent } from "./events.js";
import {
  JOURNAL_SCHEMA,
  type JournalEventLine,
  type JournalHeader,
  type JournalLine,
  type JournalSummary,
} from "./journal-format.js";
import { type Redact, redactValue, secretRedactor } from "./redact.js";

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

export interface JournalOptions {
  /** Whose secrets to redact (default process.env): the drill's commands' environment. */
  env?: Env;
}

/** A journal line could not be written (or the journal created): names the file and the reason. */
export class JournalWriteError extends Error {
  readonly code: string | undefined;
  /** Why, without the path: "no space left on device (ENOSPC)". */
  readonly reason: string;

  constructor(
    readonly path: string,
    action: "create" | "write",
    cause: unknown,
  ) {
    const { reason, code } = systemReason(cause);
    super(`cannot ${action} the journal ${path}: ${reason}`, { cause });
    this.name = "JournalWriteError";
    this.code = code;
    this.reason = reason;
  }
}

/**
 * Appends a drill's journal: one JSON line per event, each written whole and fsynced before the
 * call returns, so a drill killed at any moment leaves every line it reported. The file is created
 * with `wx` (never overwritten, never shared by two drills) and readable by its owner only. Every
 * string of every line is redacted here, the one place a drill's record reaches the disk.
 */
export class JournalWriter {
  private fd: number | null;
  private readonly startedMs: number;
  private summarized = false;
  /** Bytes of whole lines on disk: where the next line goes, and where a failed one is cut back to. */
  private size = 0;

  private constructor(
    readonly path: string,
    fd: number,
    header: JournalHeader,
    private readonly redact: Redact,
  ) {
    this.fd = fd;
    this.startedMs = Date.parse(header.startedAt);
    this.line(header);
  }

  static create(
    dir: string,
    header: Omit<JournalHeader, "type" | "schema">,
    options: JournalOptions = {},
  ): JournalWriter {
    const name = journalFileName(new Date(header.startedAt), header.scenario.id, header.drillId);
    const path = join(dir, name);
    let fd: number;
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      fd = openSync(path, "wx", 0o600);
    } catch (error) {
      throw new JournalWriteError(path, "create", error);
    }
    const redact = secretRedactor(options.env ?? process.env);
    try {
      return new JournalWriter(
        path,
        fd,
        { type: "header", schema: JOURNAL_SCHEMA, ...header },
        redact,
      );
    } catch (error) {
      closeSync(fd);
      throw error;
    }
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
      actor: actorOf(timed),
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

  /**
   * One write call per line at the end of what is whole. A short write (disk full, file too
   * large) is followed by one more for the rest, which either completes the line or says why not;
   * a line still incomplete is cut off again, so the file never ends in half a line.
   */
  private line(line: JournalLine): void {
    if (this.fd === null) return;
    const fd = this.fd;
    const bytes = Buffer.from(`${JSON.stringify(redactValue(line, this.redact))}\n`);
    let written = 0;
    try {
      written = writeSync(fd, bytes, 0, bytes.length, this.size);
      if (written < bytes.length) {
        written += writeSync(fd, bytes, written, bytes.length - written, this.size + written);
      }
      if (written < bytes.length) {
        throw new Error(`short write: ${written} of ${bytes.length} bytes`);
      }
      fsyncSync(fd);
    } catch (error) {
      if (written > 0 && written < bytes.length) {
        try {
          ftruncateSync(fd, this.size);
        } catch {
          // a reader drops a torn last line anyway; the error below is what matters
        }
      }
      throw new JournalWriteError(this.path, "write", error);
    }
    this.size += bytes.length;
  }
}

/** `no space left on device (ENOSPC)` from Node's `ENOSPC: no space left on device, write`. */
function systemReason(error: unknown): { reason: string; code: string | undefined } {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code !== "string") return { reason: message, code: undefined };
  const described = new RegExp(`^${code}: (.*?)(, \\w+(?: '.*')?)?$`).exec(message)?.[1];
  return { reason: `${described ?? message} (${code})`, code };
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
    else if (line.type === "event") {
      events.push({ t: line.t, event: line.event, ...(line.actor ? { actor: line.actor } : {}) });
    } else if (line.type === "summary") summary = line;
  });
  if (!header) throw new Error(`${path}: not a firedrill journal (no header line)`);
  if (header.schema > JOURNAL_SCHEMA) {
    throw new Error(`${path}: journal schema ${header.schema} is newer than this firedrill reads`);
  }
  return { header, events, ...(summary ? { summary } : {}), ...(damaged ? { damaged } : {}) };
}
