import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createFaultBackend,
  faultLabel,
  readLedger,
  revertLedgerFile,
} from "../../src/faults/index.js";
import { Fault } from "../../src/model/scenario.js";

let dir: string;
let ledgerPath: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "firedrill-faults-"));
  ledgerPath = join(dir, "run", "d1.ledger.json");
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const node = (code: string) => [process.execPath, "-e", code];

/** A command fault that appends to a file, so the test can see what ran, in which order. */
function marking(file: string, inject: string, revert: string, extra: object = {}) {
  const append = (word: string) =>
    node(`require('fs').appendFileSync(${JSON.stringify(file)}, ${JSON.stringify(`${word}\n`)})`);
  return Fault.parse({ command: { inject: append(inject), revert: append(revert), ...extra } });
}

describe("fault labels", () => {
  it("say what a fault does in one line", () => {
    expect(
      faultLabel(
        Fault.parse({
          proxy: "checkout-db",
          toxic: "latency",
          attributes: { latency: 1500, jitter: 250 },
        }),
      ),
    ).toBe("latency 1500±250ms downstream on checkout-db");
    expect(
      faultLabel(
        Fault.parse({
          proxy: "cache",
          toxic: "reset_peer",
          stream: "upstream",
          toxicity: 0.3,
          name: "flaky cache",
        }),
      ),
    ).toBe("flaky cache (reset_peer upstream on cache (30% of connections))");
    expect(faultLabel(Fault.parse({ proxy: "db", down: true }))).toBe("db down");
    expect(
      faultLabel(
        Fault.parse({ command: { inject: ["kubectl", "scale", "--replicas=0"], revert: ["x"] } }),
      ),
    ).toBe("run: kubectl scale --replicas=0");
  });
});

describe("simulated backend (tabletop)", () => {
  it("records what it would apply and touches nothing", async () => {
    const backend = createFaultBackend({
      drillId: "d1",
      mode: "tabletop",
      ledgerPath,
      toxiproxyUrl: "http://127.0.0.1:1",
    });
    const fault = Fault.parse({ proxy: "db", toxic: "latency", attributes: { latency: 500 } });
    const applied = await backend.apply(0, fault);
    expect(applied).toMatchObject({
      index: 0,
      backend: "simulated",
      label: "latency 500ms downstream on db",
      revert: { kind: "none" },
    });
    expect(backend.ledger()).toHaveLength(1);
    // nothing to undo, so no ledger file for `firedrill cleanup` to report as left behind
    expect(existsSync(ledgerPath)).toBe(false);
    await backend.revert(0, "test");
    expect(backend.ledger()).toHaveLength(0);
    expect((await backend.dispose()).failed).toEqual([]);
    expect(existsSync(ledgerPath)).toBe(false);
  });
});

describe("command backend (gameday)", () => {
  it("runs inject, writes the revert recipe to the ledger, reverts newest first", async () => {
    const marks = join(dir, "marks.txt");
    const backend = createFaultBackend({ drillId: "d1", mode: "gameday", ledgerPath, cwd: dir });
    await backend.apply(0, marking(marks, "inject-a", "revert-a"));
    const second = await backend.apply(1, marking(marks, "inject-b", "revert-b"));
    expect(second.backend).toBe("command");
    const onDisk = readLedger(ledgerPath);
    expect(onDisk?.faults.map((f) => f.index)).toEqual([0, 1]);
    expect(onDisk?.faults[1]?.revert).toMatchObject({ kind: "command", shell: false, cwd: dir });
    const report = await backend.revertAll("drill ended");
    expect(report.reverted.map((f) => f.index)).toEqual([1, 0]);
    expect(readFileSync(marks, "utf8").trim().split("\n")).toEqual([
      "inject-a",
      "inject-b",
      "revert-b",
      "revert-a",
    ]);
    expect(readLedger(ledgerPath)?.faults).toEqual([]);
    await backend.revert(0, "again");
    expect(readFileSync(marks, "utf8").trim().split("\n")).toHaveLength(4);
    await backend.dispose();
    expect(existsSync(ledgerPath)).toBe(false);
  });

  it("has the revert recipe on disk while the inject is still running", async () => {
    const backend = createFaultBackend({ drillId: "d1", mode: "gameday", ledgerPath });
    const applying = backend.apply(
      0,
      Fault.parse({ command: { inject: node("setTimeout(() => {}, 400)"), revert: ["true"] } }),
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(readLedger(ledgerPath)?.faults.map((f) => f.revert.kind)).toEqual(["command"]);
    await applying;
    await backend.dispose();
  });

  it("reports a failed inject with its exit code and stderr tail, and keeps nothing in the ledger", async () => {
    const backend = createFaultBackend({ drillId: "d1", mode: "gameday", ledgerPath });
    const fault = Fault.parse({
      command: {
        inject: node("console.error('permission denied: scale'); process.exit(3)"),
        revert: ["true"],
      },
    });
    await expect(backend.apply(0, fault)).rejects.toThrow(
      /^cannot apply run: .* failed \(exit 3\): permission denied: scale$/,
    );
    expect(backend.ledger()).toEqual([]);
    expect(readLedger(ledgerPath)?.faults).toEqual([]);
    await backend.dispose();
  });

  it("kills an inject that outlives its timeout", async () => {
    const backend = createFaultBackend({ drillId: "d1", mode: "gameday", ledgerPath });
    const fault = Fault.parse({
      command: { inject: node("setTimeout(() => {}, 60000)"), revert: ["true"], timeout: "300ms" },
    });
    const started = Date.now();
    await expect(backend.apply(0, fault)).rejects.toThrow(/timed out after 300ms/);
    expect(Date.now() - started).toBeLessThan(5000);
    await backend.dispose();
  });

  it("keeps going when one revert fails and reports it; the ledger keeps the failure", async () => {
    const marks = join(dir, "marks.txt");
    const backend = createFaultBackend({ drillId: "d1", mode: "gameday", ledgerPath });
    await backend.apply(0, marking(marks, "inject-a", "revert-a"));
    await backend.apply(
      1,
      Fault.parse({
        command: { inject: ["true"], revert: node("console.error('boom'); process.exit(2)") },
      }),
    );
    await backend.apply(2, marking(marks, "inject-c", "revert-c"));
    const report = await backend.dispose();
    expect(report.reverted.map((f) => f.index)).toEqual([2, 0]);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]?.error).toMatch(/^revert command `.*` failed \(exit 2\): boom$/);
    expect(readFileSync(marks, "utf8")).toContain("revert-a");
    expect(readLedger(ledgerPath)?.faults.map((f) => f.index)).toEqual([1]);
    // the watchdog and `firedrill cleanup` retry the same ledger and report it in the same words
    expect((await revertLedgerFile(ledgerPath)).failed).toEqual(report.failed);
    expect(readLedger(ledgerPath)?.faults.map((f) => f.index)).toEqual([1]);
  });

  it("runs command lines through the shell when asked", async () => {
    const marks = join(dir, "marks.txt");
    const backend = createFaultBackend({ drillId: "d1", mode: "gameday", ledgerPath, cwd: dir });
    await backend.apply(
      0,
      Fault.parse({
        command: { inject: "echo on > marks.txt", revert: "echo off >> marks.txt", shell: true },
      }),
    );
    await backend.dispose();
    expect(readFileSync(marks, "utf8")).toBe("on\noff\n");
  });
});
