// Regenerates fixtures/journals/*.jsonl: `npx tsx test/history/make-fixtures.ts`.
// The files are committed so reports can be tried by hand and snapshots stay stable.
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { type DrillSpec, writeJournal } from "./journals.js";

export const FIXTURE_DIR = "fixtures/journals";

const id = (at: string, scenario: string) => `${at.replaceAll(":", "-")}-${scenario}`;

export const FIXTURES: DrillSpec[] = [
  {
    drillId: id("2026-01-05T10:00:00Z", "checkout-db-latency"),
    startedAt: "2026-01-05T10:00:00Z",
    responder: "alice",
    ttd: 25_000,
    tta: 70_000,
    ttr: 420_000,
    path: ["check-dashboard", "failover", "verify"],
    skipped: [{ step: "check-db", reason: "the dashboard was enough" }],
    hints: 2,
    escalations: 1,
    probeEvery: 30_000,
    score: 55,
  },
  {
    drillId: id("2026-02-02T14:30:00Z", "checkout-db-latency"),
    startedAt: "2026-02-02T14:30:00Z",
    responder: "bob",
    ttr: null,
    outcome: "timed-out",
    path: ["check-dashboard", "check-db"],
    probeEvery: 60_000,
    score: 20,
  },
  {
    drillId: id("2026-02-20T09:15:00Z", "checkout-db-latency"),
    startedAt: "2026-02-20T09:15:00Z",
    responder: "carol",
    ttr: 270_000,
    offRunbook: [
      {
        command: ["kubectl", "rollout", "restart", "deploy/checkout"],
        exitCode: 0,
        step: "check-db",
      },
    ],
    probeEvery: 30_000,
    score: 78,
  },
  {
    drillId: id("2026-03-10T11:00:00Z", "checkout-db-latency"),
    startedAt: "2026-03-10T11:00:00Z",
    responder: "alice",
    ttd: 12_000,
    tta: 30_000,
    ttr: 190_000,
    path: ["check-dashboard", "failover", "check-db", "verify", "notify"],
    offRunbook: [
      {
        command: ["kubectl", "rollout", "restart", "deploy/checkout"],
        exitCode: 0,
        step: "check-dashboard",
      },
      { command: "pg_stat_activity | grep waiting", exitCode: 1, step: "check-dashboard" },
    ],
    probeEvery: 30_000,
    score: 88,
  },
  {
    drillId: id("2026-03-15T16:45:00Z", "checkout-db-latency"),
    startedAt: "2026-03-15T16:45:00Z",
    responder: "dave",
    ttr: null,
    tta: 50_000,
    path: ["check-dashboard"],
    complete: false,
  },
  {
    drillId: id("2026-02-11T13:00:00Z", "search-timeout"),
    startedAt: "2026-02-11T13:00:00Z",
    scenario: "search-timeout",
    title: "Search backend times out",
    service: "search",
    owner: "discovery",
    procedure: null,
    mode: "tabletop",
    responder: "erin",
    ttr: 95_000,
    targetTtr: 120_000,
    path: [],
    score: 92,
  },
];

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const name of readdirSync(FIXTURE_DIR))
    if (name.endsWith(".jsonl")) rmSync(join(FIXTURE_DIR, name));
  for (const spec of FIXTURES) console.log(writeJournal(FIXTURE_DIR, spec));
}
