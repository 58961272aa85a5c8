// `npx tsx bench/lint/run.ts`: times `firedrill lint` over 1,000 generated scenarios and 300
// runbooks as a whole process (wall time, CPU time, peak RSS), against `node -e ''` measured in the
// same run. Target: ≤ 2.0 s and ≤ 250 MB with the `yaml` package as the only YAML reader (#17).
// CPU time and the load average are printed because wall time on a shared machine says little
// alone. Needs the bundle (`npm run build`; `npm run bench` builds it).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";

const SCENARIOS = 1000;
const RUNBOOKS = 300;
const RUNS = 5;
const TARGET_MS = 2000;
const TARGET_MB = 250;
const CLI = resolve("dist/firedrill.js");

const root = mkdtempSync(join(tmpdir(), "firedrill-bench-lint-"));
const rssFile = join(root, "rss.json");
const preload = join(root, "peak-rss.mjs");

// Preloaded into every measured process: reports its own peak RSS when it exits.
writeFileSync(
  preload,
  `import { writeFileSync } from "node:fs";
process.on("exit", () => {
  const usage = process.resourceUsage();
  const cpuUs = usage.userCPUTime + usage.systemCPUTime;
  writeFileSync(${JSON.stringify(rssFile)}, JSON.stringify({ maxRssKb: usage.maxRSS, cpuUs }));
});
`,
);

function yamlRunbook(i: number): string {
  const procedures = [0, 1, 2]
    .map(
      (p) => `  - id: proc-${p}
    title: Procedure ${p} of service ${i}
    description: What to do when dependency ${p} misbehaves.
    steps:
      - id: check-${p}
        kind: check
        title: Check dependency ${p}
        run: curl -fsS http://127.0.0.1:\${SVC_PORT:-18080}/admin/status
        shell: true
        timeout: 10s
      - id: act-${p}
        kind: action
        title: Mitigate dependency ${p}
        run: [curl, -fsS, -X, POST, "http://127.0.0.1:\${SVC_PORT:-18080}/admin/fix/${p}"]
      - id: verify-${p}
        kind: verify
        title: Health is 200 again
        run: curl -fsS http://127.0.0.1:\${SVC_PORT:-18080}/health
        shell: true
      - id: rollback-${p}
        kind: rollback
        title: Undo the mitigation
        optional: true
`,
    )
    .join("");
  return `# yaml-language-server: $schema=../schemas/runbook.schema.json
service: svc-${i}
title: Service ${i}
owner: team-${i % 40}
reviewed: 2026-11-01
escalation:
  - { level: 1, who: on-call ${i}, contact: "pager: svc-${i}" }
  - { level: 2, who: lead ${i}, after: 10m }
monitoring:
  alerts:
    - { name: Svc${i}Health, threshold: "GET /health != 200 for 15s" }
    - { name: Svc${i}Latency, threshold: "p99 > 800ms for 2m" }
  dashboards: ["Service ${i}"]
procedures:
${procedures}`;
}

function markdownRunbook(i: number): string {
  const procedures = [0, 1, 2]
    .map(
      (p) => `## Procedure ${p} of service ${i} {#proc-${p}}

What to do when dependency ${p} misbehaves.

- [check] Check dependency ${p} {#check-${p} timeout=10s}
  \`\`\`sh
  curl -fsS http://127.0.0.1:\${SVC_PORT:-18080}/admin/status
  \`\`\`
- [action] Mitigate dependency ${p} {#act-${p}}
  \`\`\`sh
  curl -fsS -X POST http://127.0.0.1:\${SVC_PORT:-18080}/admin/fix/${p}
  \`\`\`
- [verify] Health is 200 again {#verify-${p}}
- [rollback] Undo the mitigation {#rollback-${p} .optional}
`,
    )
    .join("\n");
  return `---
service: svc-${i}
owner: team-${i % 40}
reviewed: 2026-11-01
escalation:
  - { level: 1, who: on-call ${i} }
  - { level: 2, who: lead ${i}, after: 10m }
monitoring:
  alerts:
    - { name: Svc${i}Health, threshold: "GET /health != 200 for 15s" }
---

# Service ${i}

${procedures}`;
}

function scenario(i: number): string {
  const service = i % RUNBOOKS;
  const procedure = i % 3;
  return `# yaml-language-server: $schema=../schemas/scenario.schema.json
id: scenario-${i}
title: Dependency ${procedure} of service ${service} misbehaves (${i})
service: svc-${service}
severity: sev${(i % 4) + 1}
modes: [tabletop, gameday]
tags: [generated, bench]
targets: { ttd: 30s, tta: 1m, ttm: 3m, ttr: ${2 + (i % 4)}m }
briefing: |
  Generated scenario ${i}. Latency on dependency ${procedure} has tripled and the health
  check of service ${service} is failing.
proxies:
  - name: dep-${procedure}
    listen: 127.0.0.1:\${DEP_PROXY_PORT:-${20000 + (i % 1000)}}
    upstream: 127.0.0.1:\${DEP_PORT:-${30000 + (i % 1000)}}
faults:
  - { name: slow, at: 5s, proxy: dep-${procedure}, toxic: latency, attributes: { latency: 800, jitter: 100 } }
  - { at: 60s, duration: 30s, proxy: dep-${procedure}, toxic: bandwidth, stream: upstream, attributes: { rate: 50 } }
signals:
  - { at: 15s, kind: alert, text: "Svc${service}Health: GET /health returns 503" }
  - { at: 30s, kind: log, text: "WARN dependency ${procedure} timed out after 300ms" }
probes:
  - name: health
    every: 1s
    timeout: 2s
    http: { url: "http://127.0.0.1:\${SVC_PORT:-18080}/health", maxLatency: 500ms }
recovery: { probe: health, consecutive: 3 }
procedure: proc-${procedure}
hints:
  - { after: 45s, cost: 5, text: Compare dependency latencies first. }
tabletop:
  outcomes:
    check-${procedure}: Dependency ${procedure} answers in ~900ms.
    act-${procedure}: Health turns 200.
  resolvedBy: [act-${procedure}]
safety:
  maxDuration: 15m
  allowHosts: [127.0.0.1, localhost]
  stopWhen: [{ probe: health, failures: 300 }]
`;
}

function generate(): void {
  mkdirSync(join(root, "lint/scenarios"), { recursive: true });
  mkdirSync(join(root, "lint/runbooks"), { recursive: true });
  for (let i = 0; i < SCENARIOS; i++) {
    writeFileSync(join(root, `lint/scenarios/scenario-${i}.yaml`), scenario(i));
  }
  for (let i = 0; i < RUNBOOKS; i++) {
    const markdown = i % 5 === 0;
    const file = `lint/runbooks/svc-${i}.${markdown ? "md" : "yaml"}`;
    writeFileSync(join(root, file), markdown ? markdownRunbook(i) : yamlRunbook(i));
  }
}

interface Measure {
  ms: number;
  cpuMs: number;
  mb: number;
  code: number | null;
  stdout: string;
}

function measure(args: string[]): Measure {
  rmSync(rssFile, { force: true });
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ["--import", preload, ...args], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const { maxRssKb, cpuUs } = JSON.parse(readFileSync(rssFile, "utf8")) as {
    maxRssKb: number;
    cpuUs: number;
  };
  return {
    ms,
    cpuMs: cpuUs / 1000,
    mb: maxRssKb / 1024,
    code: result.status,
    stdout: result.stdout,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function series(args: string[]): { ms: number; cpuMs: number; mb: number; last: Measure } {
  const runs = Array.from({ length: RUNS }, () => measure(args));
  return {
    ms: median(runs.map((r) => r.ms)),
    cpuMs: median(runs.map((r) => r.cpuMs)),
    mb: Math.max(...runs.map((r) => r.mb)),
    last: runs.at(-1)!,
  };
}

try {
  generate();
  const baseline = series(["-e", ""]);
  const startup = series([CLI, "--version"]);
  const lint = series([CLI, "lint", join(root, "lint")]);
  const summary = lint.last.stdout.trimEnd().split("\n").at(-1);
  console.log(`lint ${SCENARIOS} scenarios + ${RUNBOOKS} runbooks (median of ${RUNS} runs)`);
  console.log(`  exit ${lint.last.code}: ${summary}`);
  console.log(
    `  load average ${loadavg()
      .map((n) => n.toFixed(1))
      .join(" ")} (cores: ${availableParallelism()})`,
  );
  const row = (name: string, m: { ms: number; cpuMs: number; mb: number }) =>
    console.log(
      `  ${name.padEnd(26)} ${m.ms.toFixed(0).padStart(6)} ms  cpu ${m.cpuMs.toFixed(0).padStart(6)} ms  ${m.mb.toFixed(1).padStart(6)} MB  ×${(m.ms / baseline.ms).toFixed(1)} time ×${(m.mb / baseline.mb).toFixed(1)} rss vs node -e ''`,
    );
  row("node -e ''", baseline);
  row("firedrill --version", startup);
  row("firedrill lint", lint);
  const timeOk = lint.ms <= TARGET_MS;
  const memOk = lint.mb <= TARGET_MB;
  console.log(
    `  target ≤ ${TARGET_MS} ms: ${timeOk ? "met" : "MISSED"}; ≤ ${TARGET_MB} MB: ${memOk ? "met" : "MISSED"}`,
  );
  if (lint.last.code !== 0)
    console.log("  lint did not exit 0 on generated input: the generator is wrong");
  process.exitCode = timeOk && memOk && lint.last.code === 0 ? 0 : 1;
} finally {
  // FIREDRILL_BENCH_KEEP=1 leaves the generated tree for profiling (`node --cpu-prof …`).
  if (process.env.FIREDRILL_BENCH_KEEP) console.log(`  kept ${root}`);
  else rmSync(root, { recursive: true, force: true });
}
