import { execFile } from "node:child_process";
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DrillEvent } from "../../src/drill/events.js";
import {
  defaultJournalDir,
  JournalWriter,
  journalFileName,
  parseJournalFileName,
  readJournal,
} from "../../src/drill/journal.js";
import { secretRedactor } from "../../src/drill/redact.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "firedrill-journal-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const header = (drillId: string, startedAt = "2026-11-25T01:02:03.123Z") => ({
  drillId,
  startedAt,
  firedrillVersion: "0.1.0",
  mode: "gameday" as const,
  responder: "ana",
  scenario: { id: "checkout-db-latency", title: "t", service: "checkout" },
  targets: { ttr: 240_000 },
});

describe("journal", () => {
  it("names files so they sort by start time and carry the scenario id", () => {
    expect(defaultJournalDir).toBe(".firedrill/drills");
    const name = journalFileName(
      new Date("2026-11-25T01:02:03.123Z"),
      "checkout-db-latency",
      "1a2b3c4d",
    );
    expect(name).toBe("2026-11-25T01-02-03.123Z_checkout-db-latency_1a2b3c4d.jsonl");
    expect(parseJournalFileName(name)).toEqual({
      startedAt: new Date("2026-11-25T01:02:03.123Z"),
      scenarioId: "checkout-db-latency",
      drillId: "1a2b3c4d",
    });
    const later = journalFileName(new Date("2026-11-25T10:00:00.000Z"), "a", "00000000");
    expect([later, name].sort()).toEqual([name, later]);
  });

  it("writes a header, one line per event and a summary; without the summary it reads as incomplete", () => {
    const writer = JournalWriter.create(dir, header("aaaa0001"));
    writer.event({ t: 0, event: { type: "drill.started", mode: "gameday", responder: "ana" } });
    writer.event({ t: 1500, event: { type: "fault.applied", fault: 0, label: "latency" } });
    // Killed here: no summary, no close. Every line reported so far is on disk.
    const partial = readJournal(writer.path);
    expect(partial.header).toMatchObject({ type: "header", schema: 1, drillId: "aaaa0001" });
    // Every line says who made it happen; firedrill itself when the writer was not told.
    expect(partial.events).toEqual([
      {
        t: 0,
        event: { type: "drill.started", mode: "gameday", responder: "ana" },
        actor: "firedrill",
      },
      { t: 1500, event: { type: "fault.applied", fault: 0, label: "latency" }, actor: "firedrill" },
    ]);
    expect(partial.summary).toBeUndefined();
    writer.summary({
      endedAt: "2026-11-25T01:03:00.000Z",
      outcome: "aborted",
      timings: { ttd: null, tta: null, ttm: null, ttr: null },
      withinTarget: false,
      score: 0,
      grade: "F",
      breakdown: [],
    });
    writer.close();
    expect(readJournal(writer.path).summary?.outcome).toBe("aborted");
  });

  it("stamps each event line with wall-clock time from the start", () => {
    const writer = JournalWriter.create(dir, header("aaaa0002"));
    writer.event({ t: 2000, event: { type: "note", text: "x" } });
    writer.close();
    const line = JSON.parse(readJournalLines(writer.path)[1] ?? "{}") as { at: string };
    expect(line.at).toBe("2026-11-25T01:02:05.123Z");
  });

  it("never rewrites an existing journal", () => {
    JournalWriter.create(dir, header("aaaa0003")).close();
    expect(() => JournalWriter.create(dir, header("aaaa0003"))).toThrow(/EEXIST/);
    expect(readdirSync(dir)).toHaveLength(1);
  });

  it("keeps the lines before a torn last write", () => {
    const writer = JournalWriter.create(dir, header("aaaa0004"));
    writer.event({ t: 10, event: { type: "note", text: "kept" } });
    writer.close();
    appendFileSync(writer.path, '{"type":"event","t":20,"ev');
    const read = readJournal(writer.path);
    expect(read.events).toHaveLength(1);
    expect(read.damaged?.line).toBe(3);
  });
});

describe("journal: what reaches the disk", () => {
  const TOKEN = "ghp_0123456789abcdefghijABCDEFGHIJklmnop";
  const env = { GITHUB_TOKEN: TOKEN, DATABASE_URL: "postgres://u:hunter2-db@db.internal/app" };

  it("redacts every string of the header, every event and the summary; owner-only file and dir", () => {
    const journals = join(dir, ".firedrill", "drills");
    const writer = JournalWriter.create(
      journals,
      { ...header("bbbb0001"), responder: `ana ${TOKEN}` },
      { env },
    );
    const events: DrillEvent[] = [
      { type: "note", text: `my token is ${TOKEN}` },
      { type: "fault.applied", fault: 0, label: `run: curl -H token ${TOKEN.slice(0, 9)}…` },
      { type: "fault.failed", fault: 1, label: "x", error: `failed: ${env.DATABASE_URL}` },
      { type: "probe.result", probe: "p", ok: false, latencyMs: 1, detail: "exit 3: hunter2-db" },
      {
        type: "command.ran",
        command: ["curl", `https://x/?token=${TOKEN}`],
        exitCode: 0,
        durationMs: 1,
        offRunbook: true,
        outputTail: `…${TOKEN.slice(-10)}${"y".repeat(50)}`,
      },
    ];
    for (const [t, event] of events.entries()) writer.event({ t, event });
    writer.summary({
      endedAt: "2026-11-25T01:03:00.000Z",
      outcome: "aborted",
      timings: { ttd: null, tta: null, ttm: null, ttr: null },
      withinTarget: false,
      score: 0,
      grade: "F",
      breakdown: [{ key: "abort", label: "l", points: 0, max: 1, detail: `by ${TOKEN}` }],
    });
    writer.close();

    const text = readFileSync(writer.path, "utf8");
    for (const secret of [TOKEN, TOKEN.slice(-8), TOKEN.slice(0, 9), "hunter2-db"]) {
      expect(text).not.toContain(secret);
    }
    const read = readJournal(writer.path);
    expect(read.header.responder).toBe("ana [redacted GITHUB_TOKEN]");
    expect(read.events.map((e) => e.event)).toMatchObject([
      { text: "my token is [redacted GITHUB_TOKEN]" },
      { label: "run: curl -H token [redacted GITHUB_TOKEN]…" },
      { error: "failed: [redacted DATABASE_URL]" },
      { detail: "exit 3: [redacted DATABASE_URL]" },
      { command: ["curl", "https://x/?token=[redacted GITHUB_TOKEN]"] },
    ]);
    expect(read.summary?.breakdown[0]?.detail).toBe("by [redacted GITHUB_TOKEN]");
    expect(statSync(writer.path).mode & 0o777).toBe(0o600);
    expect(statSync(journals).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, ".firedrill")).mode & 0o777).toBe(0o700);
  });

  it("a write the disk refuses leaves no half line, and the error names the file and why", async () => {
    // `ulimit -f 8` (8 blocks of 512 or 1024 bytes) makes the kernel cut a write short, then
    // refuse the next one, as a full disk does; the filler catches what the writer throws.
    const result = await new Promise<string>((resolve, reject) => {
      execFile(
        "sh",
        [
          "-c",
          `ulimit -f 8 && exec "${process.execPath}" --import tsx test/drill/fixtures/journal-filler.ts "${dir}"`,
        ],
        { timeout: 20_000 },
        (error, stdout, stderr) =>
          error ? reject(new Error(`${error}\n${stderr}`)) : resolve(stdout),
      );
    });
    const filled = JSON.parse(result) as { events: number; path: string; message?: string };
    expect(filled.message).toBe(`cannot write the journal ${filled.path}: file too large (EFBIG)`);
    const text = readFileSync(filled.path, "utf8");
    expect(text.endsWith("\n")).toBe(true);
    const read = readJournal(filled.path);
    expect(read.damaged).toBeUndefined();
    expect(read.events).toHaveLength(filled.events);
    expect(filled.events).toBeGreaterThan(0);
  });
});

function readJournalLines(path: string): string[] {
  return readFileSync(path, "utf8").trim().split("\n");
}

describe("secret redaction", () => {
  it("replaces values of *_TOKEN, *_SECRET, *PASSWORD*, *_KEY variables", () => {
    const redact = secretRedactor({
      GITHUB_TOKEN: "ghp_abcdef123456",
      DB_PASSWORD_FILE: "hunter22",
      AWS_SECRET: "wJalrXUtnFEMI",
      API_KEY: "k-999999",
      HOME: "/home/ana",
      SHORT_TOKEN: "ab",
    });
    expect(
      redact("t=ghp_abcdef123456 p=hunter22 s=wJalrXUtnFEMI k=k-999999 home=/home/ana ab"),
    ).toBe(
      "t=[redacted GITHUB_TOKEN] p=[redacted DB_PASSWORD_FILE] s=[redacted AWS_SECRET] k=[redacted API_KEY] home=/home/ana ab",
    );
  });
});
