import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ProxyServer } from "../../src/proxy/index.js";
import {
  type DepRig,
  firedrill,
  type Service,
  startDepRig,
  toxicsOf,
  writeDrill,
} from "./harness.js";

// A real full disk: a 64 KiB tmpfs for the journal. Mounting needs root (or CAP_SYS_ADMIN); where
// it is not permitted the test is skipped, saying so.
function canMount(): boolean {
  const probe = mkdtempSync(join(tmpdir(), "firedrill-mount-"));
  const mounted =
    spawnSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe]).status === 0;
  if (mounted) spawnSync("umount", [probe]);
  rmSync(probe, { recursive: true, force: true });
  return mounted;
}
const mountable = canMount();
if (!mountable) {
  console.warn("test/drill/full-disk: cannot mount a tmpfs here (needs root); the test is skipped");
}

let dir: string;
let disk: string;
let proxy: ProxyServer;
let service: Service;
let rig: DepRig;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "firedrill-full-disk-"));
  disk = join(dir, "disk");
  mkdirSync(disk);
  rig = await startDepRig();
  ({ proxy, service } = rig);
  const { proxyPort } = rig;
  writeDrill(dir, { servicePort: service.port, proxyPort, depPort: service.dep });
});

afterEach(async () => {
  spawnSync("umount", [disk]);
  await rig.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!mountable)("the journal's disk fills up mid-drill", () => {
  it("reverts the fault first, then names the file and the reason: exit 1, no stack trace", async () => {
    expect(spawnSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", disk]).status).toBe(0);
    // One page left: the header and the first seconds of events fit, then ENOSPC.
    writeFileSync(join(disk, "filler"), Buffer.alloc(60 * 1024));
    const script = join(dir, "answers.yaml");
    writeFileSync(script, "actions:\n  - do: wait\n    at: 15s\n");
    const run = firedrill(
      [
        "run",
        "svc-dep-latency",
        "--mode",
        "gameday",
        "--url",
        proxy.url,
        "--script",
        script,
        "--journal-dir",
        join(disk, "drills"),
      ],
      dir,
    );
    const { code, stdout, stderr } = await run.done;
    expect(code, `${stdout}\n${stderr}`).toBe(1);
    const [journal] = readdirSync(join(disk, "drills"));
    expect(stderr).toContain(
      `firedrill: could not write the journal ${join(disk, "drills", journal ?? "")}: no space left on device (ENOSPC); the drill was stopped and 1 fault reverted`,
    );
    expect(stderr).toMatch(/the drill was stopped and 1 fault reverted/);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr).not.toContain("internal error");
    // The fault was applied before the disk filled, and it is gone.
    expect(stdout).toContain("fault applied");
    expect(await toxicsOf(proxy.url, "dep")).toEqual([]);
  }, 30_000);
});
