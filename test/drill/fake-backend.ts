import type { AppliedFault, FaultBackend, RevertReport } from "../../src/faults/fault-types.js";
import type { Fault, Scenario } from "../../src/model/scenario.js";

/**
 * An in-memory fault backend for fake-clock unit tests, where nothing real can be touched in
 * fake time; the integration tests drive the real Toxiproxy backend.
 */
export class RecordingBackend implements FaultBackend {
  readonly drillId = "test";
  readonly calls: string[] = [];
  private applied: AppliedFault[] = [];
  failApply = new Set<number>();
  /** revertAll leaves every fault applied, as when Toxiproxy went away */
  failRevert = false;

  async prepare(_scenario: Scenario): Promise<void> {
    this.calls.push("prepare");
  }

  async apply(index: number, _fault: Fault): Promise<AppliedFault> {
    if (this.failApply.has(index)) throw new Error("proxy not found");
    const entry: AppliedFault = {
      index,
      label: `fault ${index}`,
      backend: "simulated",
      appliedAt: new Date().toISOString(),
      revert: { kind: "none" },
    };
    this.applied.push(entry);
    this.calls.push(`apply ${index}`);
    return entry;
  }

  async revert(index: number, reason: string): Promise<void> {
    const before = this.applied.length;
    this.applied = this.applied.filter((f) => f.index !== index);
    if (this.applied.length < before) this.calls.push(`revert ${index} (${reason})`);
  }

  async revertAll(reason: string): Promise<RevertReport> {
    if (this.failRevert) {
      return { reverted: [], failed: this.applied.map((f) => ({ ...f, error: "proxy gone" })) };
    }
    const reverted = [...this.applied].reverse();
    for (const f of reverted) this.calls.push(`revert ${f.index} (${reason})`);
    this.applied = [];
    return { reverted, failed: [] };
  }

  ledger(): readonly AppliedFault[] {
    return this.applied;
  }

  async dispose(): Promise<RevertReport> {
    this.calls.push("dispose");
    if (this.failRevert) return { reverted: [], failed: [] };
    return this.revertAll("dispose");
  }
}
