import { gapText } from "../drill/detection.js";
import type { ResponderKind } from "../drill/journal-format.js";
import type { DrillRecord, JournalProblem } from "../drill/journal-record.js";
import { formatDuration } from "../model/duration.js";
import { compareToExpected } from "./adherence.js";
import { procedureOf } from "./drift.js";
import { responderKind } from "./filters.js";
import { type DriftReport, recordedActionItems } from "./report-model.js";
import { wholeMs } from "./ttr-stats.js";

/** One drill as a flat, stable object: the row of the CSV and the item of the JSON export. */
export interface DrillRow {
  drillId: string;
  file: string;
  startedAt: string;
  scenario: string;
  title: string;
  service: string;
  team: string;
  mode: string;
  responder: string;
  /** person, auto (--auto) or script (--script); inferred for older journals */
  responderKind: ResponderKind;
  procedure: string | null;
  complete: boolean;
  outcome: string;
  ttdMs: number | null;
  ttaMs: number | null;
  ttmMs: number | null;
  ttrMs: number | null;
  targetTtrMs: number;
  withinTarget: boolean;
  score: number | null;
  grade: string | null;
  hints: number;
  escalations: number;
  offRunbookCommands: string[];
  /** Steps as the score judged them (drill/step-verdict.ts): required, needed, not done. */
  missedSteps: string[];
  skippedSteps: string[];
  outOfOrderSteps: string[];
  /** Action items noted during the drill (the scribe's), with who and when. */
  actionItems: string[];
  /** Events the facilitator made happen: signals revealed, faults injected, hints given, stops. */
  facilitatorActions: number;
  /** the first alert from the team's monitoring: fault → alert active, fault → seen by firedrill */
  alertActiveMs: number | null;
  alertSeenMs: number | null;
  /** monitoring signals that did not fire within `expect.within` of the fault: findings */
  detectionGaps: string[];
}

export function drillRow(d: DrillRecord): DrillRow {
  const procedure = procedureOf(d);
  const adherence = compareToExpected(
    d.header.expectedSteps,
    d.digest.path,
    procedure,
    d.outcome === "recovered",
  );
  return {
    drillId: d.header.drillId,
    file: d.file,
    startedAt: d.header.startedAt,
    scenario: d.header.scenario.id,
    title: d.header.scenario.title,
    service: d.header.scenario.service,
    team: d.team,
    mode: d.header.mode,
    responder: d.header.responder,
    responderKind: responderKind(d),
    procedure,
    complete: d.complete,
    outcome: d.outcome,
    ttdMs: wholeMs(d.timings.ttd),
    ttaMs: wholeMs(d.timings.tta),
    ttmMs: wholeMs(d.timings.ttm),
    ttrMs: wholeMs(d.timings.ttr),
    targetTtrMs: wholeMs(d.header.targets.ttr),
    withinTarget: d.withinTarget,
    score: d.score,
    grade: d.grade,
    hints: d.digest.hints.length,
    escalations: d.digest.escalations.length,
    offRunbookCommands: d.digest.offRunbook.map((c) => c.command),
    missedSteps: adherence.missed.map((s) => s.id),
    skippedSteps: adherence.skipped.map((s) => s.id),
    outOfOrderSteps: adherence.outOfOrder.map((s) => s.id),
    actionItems: recordedActionItems(d),
    facilitatorActions: d.digest.facilitatorActions,
    ...alertTimes(d),
    detectionGaps: d.digest.detection.gaps.map(gapText),
  };
}

function alertTimes(d: DrillRecord): Pick<DrillRow, "alertActiveMs" | "alertSeenMs"> {
  const first = d.digest.detection.alerts[0];
  if (!first) return { alertActiveMs: null, alertSeenMs: null };
  return {
    alertActiveMs: first.activeT === null ? null : wholeMs(first.activeT - first.faultT),
    alertSeenMs: wholeMs(first.seenT - first.faultT),
  };
}

const CSV_COLUMNS: readonly (keyof DrillRow)[] = [
  "drillId",
  "startedAt",
  "scenario",
  "service",
  "team",
  "mode",
  "responder",
  "responderKind",
  "procedure",
  "complete",
  "outcome",
  "ttdMs",
  "ttaMs",
  "ttmMs",
  "ttrMs",
  "targetTtrMs",
  "withinTarget",
  "score",
  "grade",
  "hints",
  "escalations",
  "offRunbookCommands",
  "missedSteps",
  "skippedSteps",
  "outOfOrderSteps",
  "actionItems",
  "facilitatorActions",
  "alertActiveMs",
  "alertSeenMs",
  "detectionGaps",
  "file",
];

/** RFC 4180: quote fields holding a comma, quote or line break; double the quotes inside. */
function csvField(value: unknown): string {
  const text =
    value === null || value === undefined
      ? ""
      : Array.isArray(value)
        ? value.join("; ")
        : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One row per drill, milliseconds for timings (spreadsheets do their own formatting). */
export function renderCsv(drills: readonly DrillRecord[]): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const d of drills) {
    const row = drillRow(d);
    lines.push(CSV_COLUMNS.map((c) => csvField(row[c])).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}

export interface JsonExport {
  schema: 1;
  drills: DrillRow[];
  drift: DriftReport[];
  problems: JournalProblem[];
}

export function renderJson(
  drills: readonly DrillRecord[],
  drift: readonly DriftReport[],
  problems: readonly JournalProblem[],
): string {
  const out: JsonExport = {
    schema: 1,
    drills: drills.map(drillRow),
    drift: [...drift],
    problems: [...problems],
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

function xml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;")
    .split("")
    .filter((ch) => {
      // XML 1.0 forbids most control characters even escaped; output from a shell can carry them.
      const code = ch.charCodeAt(0);
      return code >= 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
    })
    .join("");
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** Why a drill fails as a test case, or null when it passes. */
export function junitFailure(d: DrillRecord): { type: string; message: string } | null {
  const failure = recoveryFailure(d);
  const gaps = d.digest.detection.gaps.map(gapText);
  if (gaps.length === 0) return failure;
  // A drill can recover and still have a detection gap: it fails either way, saying both.
  if (failure === null)
    return { type: "detection-gap", message: `detection gap: ${gaps.join("; ")}` };
  return { ...failure, message: `${failure.message}; detection gap: ${gaps.join("; ")}` };
}

function recoveryFailure(d: DrillRecord): { type: string; message: string } | null {
  const ttr = d.timings.ttr;
  const target = d.header.targets.ttr;
  if (ttr === null) {
    const what = d.complete
      ? `did not recover (${d.outcome})`
      : "did not recover before the journal ended (incomplete)";
    return {
      type: d.complete ? d.outcome : "incomplete",
      message: `the drill ${what}; target TTR ${formatDuration(target)}`,
    };
  }
  if (ttr > target)
    return {
      type: "ttr-over-target",
      message: `TTR ${formatDuration(ttr)} exceeded the target ${formatDuration(target)}`,
    };
  return null;
}

/** The steps that cost points, as the score judged them, so CI shows the same answer as the report. */
function stepProperties(d: DrillRecord): string[] {
  const row = drillRow(d);
  return (["missedSteps", "skippedSteps", "actionItems"] as const)
    .filter((key) => row[key].length > 0)
    .map(
      (key) =>
        `        <property name="${key}" value="${xml(row[key].join(key === "actionItems" ? "; " : " "))}"/>`,
    );
}

/**
 * JUnit XML: one suite per scenario, one test case per drill, failed when the drill did not recover
 * or its TTR exceeded the target, so CI dashboards can show runbook verification runs.
 */
export function renderJunit(drills: readonly DrillRecord[]): string {
  const suites = new Map<string, DrillRecord[]>();
  for (const d of drills) {
    const list = suites.get(d.header.scenario.id) ?? [];
    list.push(d);
    suites.set(d.header.scenario.id, list);
  }
  let failures = 0;
  let totalMs = 0;
  const body: string[] = [];
  for (const [scenario, list] of [...suites.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    let suiteFailures = 0;
    let suiteMs = 0;
    const cases: string[] = [];
    for (const d of list) {
      const ms = d.timings.ttr ?? d.digest.durationMs;
      suiteMs += ms;
      const failure = junitFailure(d);
      const name = `${scenario} ${d.header.startedAt} (${d.header.mode}, ${d.header.responder})`;
      const open = `    <testcase classname="firedrill.${xml(d.header.scenario.service)}.${xml(scenario)}" name="${xml(name)}" time="${seconds(ms)}" file="${xml(d.file)}"`;
      const props = [
        `      <properties>`,
        `        <property name="drillId" value="${xml(d.header.drillId)}"/>`,
        `        <property name="outcome" value="${xml(d.outcome)}"/>`,
        `        <property name="ttrMs" value="${wholeMs(d.timings.ttr) ?? ""}"/>`,
        `        <property name="targetTtrMs" value="${d.header.targets.ttr}"/>`,
        ...(d.score === null ? [] : [`        <property name="score" value="${d.score}"/>`]),
        ...stepProperties(d),
        `      </properties>`,
      ];
      if (failure) {
        suiteFailures++;
        cases.push(
          `${open}>`,
          ...props,
          `      <failure type="${xml(failure.type)}" message="${xml(failure.message)}">${xml(failure.message)}</failure>`,
          "    </testcase>",
        );
      } else cases.push(`${open}>`, ...props, "    </testcase>");
    }
    failures += suiteFailures;
    totalMs += suiteMs;
    const first = list.reduce((a, b) => (a.startedAt <= b.startedAt ? a : b));
    body.push(
      `  <testsuite name="${xml(scenario)}" tests="${list.length}" failures="${suiteFailures}" errors="0" skipped="0" time="${seconds(suiteMs)}" timestamp="${first.startedAt.toISOString().slice(0, 19)}">`,
      ...cases,
      "  </testsuite>",
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="firedrill" tests="${drills.length}" failures="${failures}" errors="0" time="${seconds(totalMs)}">`,
    ...body,
    "</testsuites>",
    "",
  ].join("\n");
}

/**
 * The drills a JSON export's drift is computed over: for each procedure of the exported drills,
 * every drill of it among \`candidates\` up to the newest exported one, as a md report does. So
 * \`--latest\` exports one drill but the drift, and the patch, of its procedure so far.
 */
export function driftBasis(
  exported: readonly DrillRecord[],
  candidates: readonly DrillRecord[],
): DrillRecord[] {
  const newest = new Map<string, number>();
  for (const d of exported) {
    const procedure = procedureOf(d);
    if (procedure === null) continue;
    newest.set(procedure, Math.max(newest.get(procedure) ?? 0, d.startedAt.getTime()));
  }
  const files = new Set(exported.map((d) => d.file));
  return candidates.filter((d) => {
    if (files.has(d.file)) return true;
    const procedure = procedureOf(d);
    const until = procedure === null ? undefined : newest.get(procedure);
    return until !== undefined && d.startedAt.getTime() <= until;
  });
}

/** The latest drill of each scenario, for \`--latest-per-scenario\`. */
export function latestPerScenario(drills: readonly DrillRecord[]): DrillRecord[] {
  const latest = new Map<string, DrillRecord>();
  for (const d of drills) {
    const seen = latest.get(d.header.scenario.id);
    if (!seen || d.startedAt >= seen.startedAt) latest.set(d.header.scenario.id, d);
  }
  return [...latest.values()].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
}
