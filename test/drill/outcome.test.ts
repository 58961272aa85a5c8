import { describe, expect, it } from "vitest";
import { closingLines, type DrillOutcome, exitCodeOf } from "../../src/drill/outcome.js";
import type { DrillResult } from "../../src/drill/state.js";

const result = (withinTarget: boolean, outcome: DrillResult["outcome"] = "recovered") =>
  ({ outcome, withinTarget, score: 80, grade: "B" }) as DrillResult;

const ended = (over: Partial<Extract<DrillOutcome, { kind: "ended" }>> = {}): DrillOutcome => ({
  kind: "ended",
  result: result(true),
  stop: null,
  revert: { reverted: [], failed: [] },
  journalPath: "/j/drill.jsonl",
  ...over,
});

const fault = {
  index: 0,
  label: "latency 800ms on db",
  backend: "toxiproxy" as const,
  appliedAt: "2026-11-25T00:00:00.000Z",
  revert: { kind: "none" as const },
};

describe("exit codes: one policy for the TUI and the headless run", () => {
  it.each<[string, DrillOutcome, number]>([
    ["recovered within target", ended(), 0],
    ["recovered over target", ended({ result: result(false) }), 1],
    ["not recovered", ended({ result: result(false, "timed-out") }), 1],
    ["safety stop", ended({ result: result(false, "safety-stop") }), 1],
    ["refused preflight", { kind: "refused", stage: "preflight", reasons: ["probe: 503"] }, 2],
    ["unwritable workspace", { kind: "refused", stage: "workspace", reasons: ["EACCES"] }, 2],
    ["SIGINT", ended({ stop: { kind: "signal", signal: "SIGINT" } }), 130],
    ["Ctrl-C", ended({ stop: { kind: "signal", signal: "SIGINT", label: "Ctrl-C" } }), 130],
    ["SIGTERM", ended({ stop: { kind: "signal", signal: "SIGTERM" } }), 143],
    ["SIGHUP", ended({ stop: { kind: "signal", signal: "SIGHUP" } }), 129],
    ["a closed terminal", ended({ stop: { kind: "hangup", detail: "EIO" } }), 129],
    [
      "the journal unwritable",
      ended({ stop: { kind: "journal", path: "/j", error: "ENOSPC" } }),
      1,
    ],
    [
      "a fault left applied, even when interrupted",
      ended({
        stop: { kind: "signal", signal: "SIGINT" },
        revert: { reverted: [], failed: [{ index: 0, label: "latency", error: "ECONNREFUSED" }] },
      }),
      3,
    ],
  ])("%s", (_name, outcome, code) => {
    expect(exitCodeOf(outcome)).toBe(code);
  });

  it("says what is still applied and the clean-up command with its --url", () => {
    const lines = closingLines(
      ended({
        revert: {
          reverted: [fault],
          failed: [{ index: 1, label: "proxy db down", error: "connect ECONNREFUSED" }],
        },
        toxiproxyUrl: "http://127.0.0.1:8474",
      }),
    );
    expect(lines).toEqual([
      "recovered within target · score 80 (B) · journal /j/drill.jsonl",
      "NOT reverted, still applied: proxy db down: connect ECONNREFUSED",
      "remove it from this directory with: firedrill cleanup --url http://127.0.0.1:8474",
    ]);
  });

  it("names the journal that could not be written and why", () => {
    const lines = closingLines(
      ended({
        result: result(false, "aborted"),
        stop: { kind: "journal", path: "/j/drill.jsonl", error: "ENOSPC: no space left on device" },
        revert: { reverted: [fault], failed: [] },
        journalPath: "/j/drill.jsonl",
      }),
    );
    expect(lines[0]).toBe(
      "could not write the journal /j/drill.jsonl: ENOSPC: no space left on device; the drill was stopped and 1 fault reverted",
    );
  });
});
