// `npx tsx bench/history/run.ts [count]`: 10,000 generated journals (~40 events each) in a temp dir,
// then `history --json` and reports over all of them as whole processes. Prints wall time and peak
// RSS of each against `node -e ''` measured in the same run. Targets: < 2 s and < 300 MB each.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { journalLines } from "../../test/history/journals.js";

const COUNT = Number(process.argv[2] ?? 10_000);
const CLI = resolve("dist/firedrill.js");
const TARGET_MS = 2000;
const TARGET_MB = 300;

const dir = mkdtempSync(join(tmpdir(), "firedrill-bench-history-"));
try {
  const scenarios = [
    "checkout-db-latency",
    "search-timeout",
    "cart-cache-down",
    "payments-dns",
    "auth-slow",
  ];
  const start = Date.UTC(2025, 0, 1);
  let events = 0;
  for (let i = 0; i < COUNT; i++) {
    const scenario = scenarios[i % scenarios.length]!;
    const ttr = i % 17 === 0 ? null : 120_000 + ((i * 7919) % 300_000);
    const lines = journalLines({
      drillId: `drill-${String(i).padStart(5, "0")}`,
      startedAt: new Date(start + i * 3_600_000).toISOString(),
      scenario,
      service: scenario.split("-")[0],
      owner: ["payments", "discovery", "identity"][i % 3],
      responder: ["alice", "bob", "carol", "dave"][i % 4],
      ttr,
      probeEvery: 15_000,
      hints: i % 5 === 0 ? 1 : 0,
      offRunbook:
        i % 7 === 0
          ? [{ command: ["kubectl", "rollout", "restart", `deploy/${scenario}`], exitCode: 0 }]
          : [],
      complete: i % 50 !== 0,
    });
    events += lines.length - 2;
    writeFileSync(join(dir, `drill-${String(i).padStart(5, "0")}.jsonl`), `${lines.join("\n")}\n`);
  }
  let bytes = 0;
  for (const name of readdirSync(dir)) bytes += statSync(join(dir, name)).size;
  console.log(
    `${COUNT} journals, ${(events / COUNT).toFixed(1)} events each on average, ${(bytes / 1e6).toFixed(1)} MB in ${dir}`,
  );

  const timeFile = join(dir, "time.txt");
  const measure = (label: string, args: string[]) => {
    // /usr/bin/time -v gives the child's peak RSS; fall back to wall time alone without it.
    const hasTime = spawnSync("/usr/bin/time", ["-v", "true"]).status === 0;
    const began = process.hrtime.bigint();
    const result = hasTime
      ? spawnSync("/usr/bin/time", ["-v", "-o", timeFile, process.execPath, ...args], {
          maxBuffer: 1 << 30,
        })
      : spawnSync(process.execPath, args, { maxBuffer: 1 << 30 });
    const ms = Number(process.hrtime.bigint() - began) / 1e6;
    let mb = Number.NaN;
    let cpu = Number.NaN;
    if (hasTime) {
      const report = readFileSync(timeFile, "utf8");
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(report);
      if (m) mb = Number(m[1]) / 1024;
      // CPU time too: on a loaded machine wall time says more about the neighbours than about us.
      const user = /User time \(seconds\): ([\d.]+)/.exec(report);
      const sys = /System time \(seconds\): ([\d.]+)/.exec(report);
      if (user && sys) cpu = (Number(user[1]) + Number(sys[1])) * 1000;
    }
    if (result.status !== 0)
      console.log(`  ${label}: exit ${result.status}: ${String(result.stderr).slice(0, 300)}`);
    return { label, ms, mb, cpu, out: result.stdout?.length ?? 0 };
  };

  const runs = [
    measure("baseline node -e ''", ["-e", ""]),
    measure("history --json", [CLI, "history", "--json", "--journal-dir", dir]),
    measure("report --format json (all drills, drift)", [
      CLI,
      "report",
      "--format",
      "json",
      "--journal-dir",
      dir,
    ]),
    measure("report --format junit --latest-per-scenario", [
      CLI,
      "report",
      "--format",
      "junit",
      "--latest-per-scenario",
      "--journal-dir",
      dir,
    ]),
    measure("report --latest --format md", [CLI, "report", "--latest", "--journal-dir", dir]),
  ];
  const base = runs[0]!;
  console.log("");
  console.log(
    `${"command".padEnd(46)} ${"wall".padStart(8)} ${"cpu".padStart(8)} ${"peak RSS".padStart(9)}  vs baseline  target`,
  );
  for (const r of runs) {
    const ok = r === base ? "" : r.ms < TARGET_MS && !(r.mb > TARGET_MB) ? "ok" : "OVER";
    console.log(
      `${r.label.padEnd(46)} ${`${r.ms.toFixed(0)} ms`.padStart(8)} ${`${r.cpu.toFixed(0)} ms`.padStart(8)} ${`${r.mb.toFixed(0)} MB`.padStart(9)}  ${`${(r.ms / base.ms).toFixed(1)}x`.padStart(11)}  ${ok}`,
    );
  }
  const over = runs.slice(1).filter((r) => !(r.ms < TARGET_MS) || r.mb > TARGET_MB);
  if (over.length > 0) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
