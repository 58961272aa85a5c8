import { describe, expect, it } from "vitest";
import { procedureProgress } from "../../src/tui/cockpit-view.js";

describe("procedure progress shown in the runbook panel", () => {
  it("counts done and skipped steps alike, so the list and the open procedure agree", () => {
    const steps = [{ status: "done" }, { status: "skipped" }, { status: "pending" }] as const;
    expect(procedureProgress({ steps: steps as never })).toBe("2/3");
    expect(procedureProgress({ steps: [] })).toBe("0/0");
  });
});
