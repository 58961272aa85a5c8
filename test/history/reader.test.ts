import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readJournalDir } from "../../src/drill/journal-reader.js";
import { problemText } from "../../src/drill/journal-record.js";
import { computeTimings } from "../../src/drill/timings.js";
import { buildEvents, writeJournal } from "./journals.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "firedrill-history-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("reading journals", () => {
  it("reads header, events and summary of complete drills, oldest first", () => {
    writeJournal(dir, { drillId: "b", startedAt: "2026-02-01T10:00:00Z", ttr: 120_000 });
    writeJournal(dir, { drillId: "a", startedAt: "2026-01-01T10:00:00Z", ttr: 400_000 });
    const { drills, problems, refused } = readJournalDir(dir, { keepEvents: true });
    expect(problems).toEqual([]);
    expect(refused).toEqual([]);
    expect(drills.map((d) => d.header.drillId)).toEqual(["a", "b"]);
    expect(drills[0]!.complete).toBe(true);
    expect(drills[0]!.outcome).toBe("recovered");
    expect(drills[0]!.timings.ttr).toBe(400_000);
    expect(drills[0]!.withinTarget).toBe(false);
    expect(drills[1]!.withinTarget).toBe(true);
    expect(drills[0]!.events.length).toBeGreaterThan(5);
  });

  it("shows a killed drill as incomplete and recomputes its timings with computeTimings", () => {
    writeJournal(dir, {
      drillId: "killed",
      startedAt: "2026-01-01T10:00:00Z",
      ttd: 15_000,
      tta: 45_000,
      ttm: 100_000,
      ttr: 130_000,
      complete: false,
    });
    const [drill] = readJournalDir(dir, { keepEvents: true }).drills;
    expect(drill!.complete).toBe(false);
    expect(drill!.summary).toBeNull();
    expect(drill!.outcome).toBe("incomplete");
    expect(drill!.score).toBeNull();
    expect(drill!.timings).toEqual({ ttd: 15_000, tta: 45_000, ttm: 100_000, ttr: 130_000 });
    expect(drill!.timings).toEqual(computeTimings(drill!.events));
    expect(drill!.withinTarget).toBe(true);
  });

  it("reports a corrupt line with file and line number and still uses the rest", () => {
    const file = writeJournal(
      dir,
      { drillId: "torn", startedAt: "2026-01-01T10:00:00Z", ttr: 200_000, hints: 1 },
      (lines) => {
        const copy = [...lines];
        copy[3] = copy[3]!.slice(0, 25); // a torn write
        return copy;
      },
    );
    const { drills, problems } = readJournalDir(dir, { keepEvents: true });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file, line: 4, severity: "warning" });
    expect(problemText(problems[0]!)).toMatch(new RegExp(`^${file}:4: not valid JSON`));
    expect(drills).toHaveLength(1);
    expect(drills[0]!.timings.ttr).toBe(200_000);
    expect(drills[0]!.digest.hints).toHaveLength(1);
    const total = readFileSync(file, "utf8").trim().split("\n").length;
    expect(drills[0]!.events).toHaveLength(total - 3); // header, summary and the torn line
  });

  it("still reports a torn event line when history skims a complete journal without parsing events", () => {
    const file = writeJournal(
      dir,
      { drillId: "skim", startedAt: "2026-01-01T10:00:00Z", ttr: 200_000, probeEvery: 10_000 },
      (lines) => lines.map((l, i) => (i === 5 ? l.slice(0, 30) : l)),
    );
    const { drills, problems } = readJournalDir(dir, { digest: false });
    expect(problems.map(problemText)).toEqual([
      `${file}:6: not valid JSON; line ignored, the rest of the journal is used`,
    ]);
    expect(drills[0]!.timings.ttr).toBe(200_000);
    expect(drills[0]!.complete).toBe(true);
  });

  it("says a torn last line is probably from a killed drill, and keeps the drill as incomplete", () => {
    const file = writeJournal(
      dir,
      { drillId: "cut", startedAt: "2026-01-01T10:00:00Z", ttr: 90_000, complete: false },
      (lines) => [...lines, '{"type":"event","t":99'],
    );
    // no trailing newline after the torn line, as a kill mid-write leaves it
    writeFileSync(file, readFileSync(file, "utf8").trimEnd());
    const { drills, problems } = readJournalDir(dir);
    expect(problems.map(problemText)).toEqual([
      `${file}:${readFileSync(file, "utf8").split("\n").length}: not valid JSON (the drill was probably killed while writing it); line ignored, the rest of the journal is used`,
    ]);
    expect(drills[0]!.outcome).toBe("incomplete");
    expect(drills[0]!.timings.ttr).toBe(90_000);
  });

  it("refuses journals from a newer schema with a clear message and reads the others", () => {
    const newer = writeJournal(dir, {
      drillId: "future",
      startedAt: "2026-01-01T10:00:00Z",
      schema: 2,
    });
    writeJournal(dir, { drillId: "today", startedAt: "2026-01-02T10:00:00Z" });
    const { drills, refused } = readJournalDir(dir);
    expect(drills.map((d) => d.header.drillId)).toEqual(["today"]);
    expect(refused).toHaveLength(1);
    expect(problemText(refused[0]!)).toBe(
      `${newer}: written with journal schema 2, but this firedrill reads schema 1 or older; upgrade firedrill to read it`,
    );
  });

  it("skips a journal whose header is unusable, saying which field is missing", () => {
    const file = join(dir, "bad.jsonl");
    writeFileSync(file, `${JSON.stringify({ type: "header", schema: 1, drillId: "x" })}\n`);
    const empty = join(dir, "empty.jsonl");
    writeFileSync(empty, "");
    const { drills, problems } = readJournalDir(dir);
    expect(drills).toEqual([]);
    expect(problems.map(problemText)).toEqual([
      `${file}:1: the header has no ISO "startedAt" time; journal skipped`,
      `${empty}: empty journal (the drill was killed before writing its header); skipped`,
    ]);
  });

  it("flags lines it does not understand instead of dropping them silently", () => {
    const file = writeJournal(
      dir,
      { drillId: "odd", startedAt: "2026-01-01T10:00:00Z" },
      (lines) => [
        lines[0]!,
        JSON.stringify({ type: "weird" }),
        JSON.stringify({ type: "event", event: { type: "note", text: "no t" } }),
        ...lines.slice(1),
      ],
    );
    const { problems } = readJournalDir(dir);
    expect(problems.map(problemText)).toEqual([
      `${file}:2: unknown line type "weird"; line ignored`,
      `${file}:3: event line without a numeric 't' and an 'event' object; line ignored`,
    ]);
  });

  it("never writes to journals", () => {
    const file = writeJournal(dir, {
      drillId: "ro",
      startedAt: "2026-01-01T10:00:00Z",
      complete: false,
    });
    const before = { text: readFileSync(file, "utf8"), mtime: statSync(file).mtimeMs };
    readJournalDir(dir, { keepEvents: true });
    expect(readFileSync(file, "utf8")).toBe(before.text);
    expect(statSync(file).mtimeMs).toBe(before.mtime);
  });

  it("treats a missing journal directory as no drills", () => {
    expect(readJournalDir(join(dir, "nope"))).toEqual({ drills: [], problems: [], refused: [] });
  });

  it("digests steps, off-runbook commands, hints and escalations without keeping events", () => {
    writeJournal(dir, {
      drillId: "d",
      startedAt: "2026-01-01T10:00:00Z",
      offRunbook: [{ command: ["kubectl", "get", "pods"], exitCode: 0, step: "check-db" }],
      hints: 2,
      escalations: 1,
    });
    const [drill] = readJournalDir(dir).drills;
    expect(drill!.events).toEqual([]);
    expect(drill!.digest.eventCount).toBe(
      buildEvents({
        drillId: "d",
        startedAt: "",
        offRunbook: [{ command: ["kubectl", "get", "pods"], exitCode: 0, step: "check-db" }],
        hints: 2,
        escalations: 1,
      }).length,
    );
    expect(drill!.digest.offRunbook).toEqual([
      expect.objectContaining({
        command: "kubectl get pods",
        step: "check-db",
        procedure: "db-latency",
        exitCode: 0,
      }),
    ]);
    expect(drill!.digest.hints).toHaveLength(2);
    expect(drill!.digest.escalations).toEqual([
      expect.objectContaining({ level: 1, who: "db-oncall" }),
    ]);
    expect(drill!.digest.path.map((p) => p.step)).toEqual([
      "check-dashboard",
      "check-db",
      "failover",
      "verify",
    ]);
  });
});
