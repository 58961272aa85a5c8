// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ledgers hold ${NAME} references
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type LedgerFile, readLedger, writeLedger } from "../../src/faults/ledger.js";

const TOKEN = "ghp_ledger0123456789abcdefABCDEFxyz";
let dir: string;
const saved = process.env.GITHUB_TOKEN;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "firedrill-ledger-"));
  process.env.GITHUB_TOKEN = TOKEN;
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  if (saved === undefined) delete process.env.GITHUB_TOKEN;
  else process.env.GITHUB_TOKEN = saved;
});

const ledger = (command: string[]): LedgerFile => ({
  version: 1,
  drillId: "d1",
  pid: 1,
  faults: [
    {
      index: 0,
      label: `run: flag ${TOKEN}`,
      backend: "command",
      appliedAt: "2026-11-25T01:02:03.123Z",
      revert: { kind: "command", command, shell: false, timeoutMs: 1000, cwd: dir },
    },
  ],
  createdProxies: [],
});

describe("ledger secrets", () => {
  it("stores env secrets as ${NAME} and reads them back; owner-only file and dir", () => {
    const path = join(dir, "run", "d1.ledger.json");
    const written = ledger(["flag", "--token", TOKEN, "literal ${NOT_A_REF}"]);
    writeLedger(path, written);
    const text = readFileSync(path, "utf8");
    expect(text).not.toContain(TOKEN);
    expect(text).toContain('"${GITHUB_TOKEN}"');
    expect(text).toContain("run: flag [redacted GITHUB_TOKEN]");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "run")).mode & 0o777).toBe(0o700);
    expect(readLedger(path)?.faults[0]?.revert).toEqual(written.faults[0]?.revert);
  });

  it("reads a ledger written before references as it is", () => {
    const path = join(dir, "old.ledger.json");
    const old = ledger(["echo", "${GITHUB_TOKEN}"]);
    writeFileSync(path, JSON.stringify(old));
    expect(readLedger(path)?.faults[0]?.revert).toEqual(old.faults[0]?.revert);
  });
});
