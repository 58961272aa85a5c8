import { messageOf } from "../model/message.js";
import { PROMETHEUS_TEXT_TYPE, renderPrometheusText } from "../model/prom-text.js";
import { type DrillFigures, drillMetricFamilies, responderKindLabel } from "./drill-metrics.js";
import { NO_OWNER } from "./journal-record.js";
import type { DrillPlan } from "./launch.js";
import type { DrillResult } from "./state.js";

/** What became of a push: said in one line at the end of the drill, never its exit code. */
export interface PushReport {
  url: string;
  ok: boolean;
  /** why it failed */
  error?: string;
}

/** A push must not hold up the end of a drill for long: the journal is the record anyway. */
export const PUSH_TIMEOUT_MS = 5000;

/**
 * A grouping-key value in the URL path; the Pushgateway's `@base64` form (URL-safe alphabet) for
 * anything that is not plainly safe in a path segment, such as a `/` or an empty value.
 */
function keySegment(name: string, value: string): string {
  if (/^[A-Za-z0-9_.~-]+$/.test(value)) return `${name}/${value}`;
  const encoded = Buffer.from(value, "utf8").toString("base64url");
  return `${name}@base64/${encoded === "" ? "=" : encoded}`;
}

/**
 * Where a drill's figures go: job `firedrill`, grouped by scenario, mode and responder kind. Each
 * push replaces its group (PUT), so the Pushgateway holds the latest drill of each scenario per
 * mode and kind of responder; drills of other scenarios, a tabletop and a gameday, or a person
 * and a CI `--auto` run of one scenario do not overwrite each other.
 */
export function pushUrl(base: string, d: DrillFigures): string {
  const root = base.replace(/\/+$/, "");
  const key = [
    keySegment("job", "firedrill"),
    keySegment("scenario", d.scenario),
    keySegment("mode", d.mode),
    keySegment("responder_kind", responderKindLabel(d.responderKind)),
  ];
  return `${root}/metrics/${key.join("/")}`;
}

/** The URL as it may be shown and fetched: without a user name or password in it. */
function shown(url: string): string {
  const parsed = new URL(url);
  parsed.username = "";
  parsed.password = "";
  return parsed.href;
}

/**
 * fetch refuses a URL with credentials in it, so a Pushgateway behind basic auth
 * (`https://user:pass@host`) gets them as the Authorization header instead.
 */
function basicAuth(url: string): Record<string, string> {
  const { username, password } = new URL(url);
  if (!username && !password) return {};
  const pair = `${decodeURIComponent(username)}:${decodeURIComponent(password)}`;
  return { authorization: `Basic ${Buffer.from(pair, "utf8").toString("base64")}` };
}

function failure(error: unknown): string {
  if (error instanceof Error && error.name === "TimeoutError")
    return `no answer within ${PUSH_TIMEOUT_MS / 1000}s`;
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string") return cause.message;
  return messageOf(error);
}

/** Pushes one drill's figures. Never throws: a failure is in the report. */
export async function pushDrillFigures(
  base: string,
  drill: DrillFigures,
  timeoutMs = PUSH_TIMEOUT_MS,
): Promise<PushReport> {
  let url: string;
  let reported: string;
  try {
    url = pushUrl(new URL(base).href, drill);
    reported = shown(url);
  } catch {
    // the text as given may hold a password: it is not repeated
    return { url: "", ok: false, error: "the Pushgateway URL is not a URL" };
  }
  try {
    const response = await fetch(reported, {
      method: "PUT",
      headers: { "content-type": PROMETHEUS_TEXT_TYPE, ...basicAuth(url) },
      body: renderPrometheusText(drillMetricFamilies([drill])),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.ok) {
      await response.body?.cancel();
      return { url: reported, ok: true };
    }
    const text = (await response.text()).trim().split("\n")[0]?.slice(0, 200) ?? "";
    return { url: reported, ok: false, error: `HTTP ${response.status}${text ? `: ${text}` : ""}` };
  } catch (error) {
    return { url: reported, ok: false, error: failure(error) };
  }
}

/** A finished drill's figures from its plan and result, at `finishedAt` (Unix ms). */
export function figuresOf(
  plan: DrillPlan,
  drillId: string,
  result: DrillResult,
  finishedAt: number,
): DrillFigures {
  return {
    drillId,
    scenario: plan.scenario.id,
    service: plan.scenario.service,
    team: plan.runbook?.owner ?? NO_OWNER,
    mode: plan.mode,
    responderKind: plan.responderKind ?? "person",
    timings: result.timings,
    targetTtrMs: plan.scenario.targets.ttr,
    score: result.score,
    recovered: result.outcome === "recovered",
    withinTarget: result.withinTarget,
    detectionGaps: result.detection?.gaps.length ?? 0,
    finishedAt,
  };
}
