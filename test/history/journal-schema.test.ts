import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readJournalDir } from "../../src/drill/journal-reader.js";
import { problemText } from "../../src/drill/journal-record.js";
import { writeJournal } from "./journals.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "firedrill-journal-schema-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const event = (t: number, body: Record<string, unknown>) =>
  JSON.stringify({ type: "event", t, at: "2026-01-01T10:00:00Z", event: body });

describe("journal lines are read through the journal's schema", () => {
  it("an event of a known kind with a wrong field is one located warning, and is not used", () => {
    const file = writeJournal(
      dir,
      { drillId: "bad-hint", startedAt: "2026-01-01T10:00:00Z", hints: 1 },
      (lines) => [
        lines[0]!,
        event(5, { type: "hint.taken", hint: "first", cost: 5 }),
        ...lines.slice(1),
      ],
    );
    const { drills, problems } = readJournalDir(dir, { keepEvents: true });
    expect(problems.map(problemText)).toEqual([
      `${file}:2: hint.taken event: hint: Invalid input: expected number, received string; line ignored`,
    ]);
    // only the journal's own, valid hint is counted
    expect(drills[0]!.digest.hints).toHaveLength(1);
  });

  it("events of kinds a newer firedrill writes are skipped, named once per journal", () => {
    const file = writeJournal(
      dir,
      { drillId: "newer", startedAt: "2026-01-01T10:00:00Z", ttr: 100_000 },
      (lines) => [
        lines[0]!,
        event(1, { type: "monitor.alert", name: "x" }),
        event(2, { type: "monitor.alert", name: "y" }),
        event(3, { type: "role.changed" }),
        ...lines.slice(1),
      ],
    );
    const { drills, problems } = readJournalDir(dir, { keepEvents: true });
    expect(problems.map(problemText)).toEqual([
      `${file}: events of kinds this firedrill does not know, probably from a newer one: monitor.alert (2), role.changed (1); ignored`,
    ]);
    expect(drills[0]!.timings.ttr).toBe(100_000);
    expect(drills[0]!.events.some((e) => (e.event.type as string) === "monitor.alert")).toBe(false);
  });

  it("a header without title or responderKind (older journals) still reads", () => {
    writeJournal(dir, { drillId: "old", startedAt: "2026-01-01T10:00:00Z" }, (lines) => {
      const header = JSON.parse(lines[0]!) as { scenario: Record<string, unknown> };
      delete header.scenario.title;
      return [JSON.stringify(header), ...lines.slice(1)];
    });
    const { drills, problems } = readJournalDir(dir);
    expect(problems).toEqual([]);
    expect(drills[0]!.header.scenario.title).toBe(drills[0]!.header.scenario.id);
  });
});
