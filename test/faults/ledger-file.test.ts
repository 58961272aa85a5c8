import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readLedger } from "../../src/faults/ledger.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "firedrill-ledger-file-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function ledgerAt(content: unknown): string {
  const path = join(dir, "d1.ledger.json");
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

const fault = {
  index: 0,
  label: "latency on db",
  backend: "toxiproxy",
  appliedAt: "2026-11-25T01:02:03.123Z",
  revert: { kind: "toxiproxy.removeToxic", url: "http://127.0.0.1:8474", proxy: "db", toxic: "t" },
};

describe("reading a ledger back", () => {
  it("reads a ledger written before created proxies were recorded", () => {
    const path = ledgerAt({ version: 1, drillId: "d1", pid: 42, faults: [fault] });
    expect(readLedger(path)).toEqual({
      version: 1,
      drillId: "d1",
      pid: 42,
      faults: [fault],
      createdProxies: [],
    });
  });

  it("refuses a fault whose undo it cannot read, naming the file and the field", () => {
    const broken = { ...fault, revert: { kind: "toxiproxy.removeToxic", url: "u", proxy: "db" } };
    const path = ledgerAt({ version: 1, drillId: "d1", pid: 42, faults: [broken] });
    expect(() => readLedger(path)).toThrow(
      `${path}: not a firedrill ledger: faults[0].revert.toxic: Invalid input: expected string, received undefined`,
    );
  });

  it("refuses another version and broken JSON, naming the file", () => {
    const newer = ledgerAt({ version: 2, drillId: "d1", pid: 42, faults: [] });
    expect(() => readLedger(newer)).toThrow(
      `${newer}: not a firedrill ledger: version: this firedrill reads ledger version 1, not 2; undo its changes with the firedrill that wrote it`,
    );
    const torn = ledgerAt('{"version": 1, "faults": [');
    expect(() => readLedger(torn)).toThrow(`${torn}: not a firedrill ledger: invalid JSON`);
  });

  it("is undefined when there is no ledger (the drill ended normally)", () => {
    expect(readLedger(join(dir, "none.ledger.json"))).toBeUndefined();
  });
});
