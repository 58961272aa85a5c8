import { gapText } from "../drill/detection.js";
import { STEP_STATUS_TEXT } from "../drill/step-verdict.js";
import { formatDuration } from "../model/duration.js";
import type { StepVerdict } from "./adherence.js";
import { svgLineChart } from "./charts.js";
import { targetText, verdictText } from "./render-md.js";
import type { DriftReport, DrillReport } from "./report-model.js";
import { formatDate, formatOffset, OUTCOME_TEXT } from "./report-text.js";

export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

const e = escapeHtml;

function table(head: string[], rows: string[][], cls = ""): string {
  const th = head.map((h) => `<th>${e(h)}</th>`).join("");
  // Cells arrive already escaped (some carry <code>), so they are inserted as they are.
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("\n");
  return `<table${cls ? ` class="${cls}"` : ""}><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const CSS = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2330;max-width:960px;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.25rem}h2{margin-top:2rem;border-bottom:1px solid #e3e6ea;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;width:100%}th,td{border:1px solid #e3e6ea;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f5f7f9}code{background:#f1f3f5;padding:0 .25rem;border-radius:3px;font-size:.92em}
pre{background:#f6f8fa;padding:.75rem;overflow:auto;border-radius:4px}
.ok{color:#1e7b34}.bad{color:#b42318;font-weight:600}.muted{color:#667085}
.headline{font-size:1.1rem}.diff .add{color:#1e7b34}.diff .hunk{color:#6941c6}
ul.actions{list-style:none;padding-left:0}ul.actions li::before{content:"☐ ";}
svg.ttr-chart{max-width:100%;height:auto}figure{margin:1rem 0}figcaption{color:#667085;font-size:.9rem}
`;

/** A step's status as the score judged it (drill/step-verdict.ts): red only when it cost points. */
function status(step: StepVerdict): string {
  const label = step.outOfOrder ? "out of order" : STEP_STATUS_TEXT[step.status];
  const cost = step.outOfOrder !== undefined || (step.counted && step.status !== "done");
  const cls = cost ? "bad" : step.status === "done" ? "ok" : "muted";
  const at = step.t === undefined ? "" : ` at ${e(formatOffset(step.t))}`;
  const why = step.outOfOrder ?? step.detail;
  return `<span class="${cls}">${e(label)}</span>${at}${why ? `: ${e(why)}` : ""}`;
}

function diffHtml(patch: string): string {
  const lines = patch
    .trimEnd()
    .split("\n")
    .map((l) => {
      const cls = l.startsWith("@@")
        ? "hunk"
        : l.startsWith("+") && !l.startsWith("+++")
          ? "add"
          : "";
      return cls ? `<span class="${cls}">${e(l)}</span>` : e(l);
    });
  return `<pre class="diff">${lines.join("\n")}</pre>`;
}

export function driftHtml(drift: DriftReport): string {
  const out: string[] = ["<h2>Runbook drift</h2>"];
  out.push(
    `<p>Across ${drift.drills} drill${drift.drills === 1 ? "" : "s"} of procedure <code>${e(drift.procedure)}</code> (service ${e(drift.service)}; ${e(drift.scenarios.join(", "))}).</p>`,
  );
  if (drift.offRunbook.length === 0 && drift.steps.length === 0) {
    out.push(
      "<p>No drift: responders ran only runbook commands and followed its steps in order.</p>",
    );
    return out.join("\n");
  }
  if (drift.offRunbook.length > 0) {
    out.push("<p>Commands responders ran that the runbook does not have:</p>");
    out.push(
      table(
        ["Command", "Drills", "Times", "Typed during step", "Exit codes"],
        drift.offRunbook.map((c) => [
          `<code>${e(c.command)}</code>`,
          String(c.drills),
          String(c.times),
          e(c.afterStep ?? "—"),
          e(c.exitCodes.map((x) => (x === null ? "none" : String(x))).join(", ")),
        ]),
      ),
    );
  }
  if (drift.steps.length > 0) {
    out.push("<p>Runbook steps skipped, missed or done out of order:</p>");
    out.push(
      table(
        ["Step", "Kind", "Skipped in", "Missed in", "Out of order in"],
        drift.steps.map((s) => [
          `<code>${e(s.step)}</code> ${e(s.title)}${s.optional ? " (optional)" : ""}`,
          e(s.kind),
          `${s.skipped} of ${drift.drills}`,
          `${s.missed} of ${drift.drills}`,
          `${s.outOfOrder} of ${drift.drills}`,
        ]),
      ),
    );
  }
  if (drift.patch) {
    out.push(
      `<p>Suggested patch to <code>${e(drift.runbookFile ?? "the runbook")}</code> for the owner to review:</p>`,
      diffHtml(drift.patch),
    );
  }
  return out.join("\n");
}

/** The post-drill report as one self-contained HTML file: inline CSS and SVG, nothing fetched. */
export function renderHtml(report: DrillReport): string {
  const { drill, adherence } = report;
  const h = drill.header;
  const ttr = drill.timings.ttr;
  const body: string[] = [];
  body.push(`<h1>Drill report: ${e(h.scenario.title)}</h1>`);
  const head =
    ttr !== null
      ? `Recovered in <strong>${e(formatDuration(ttr))}</strong> against a target of ${e(formatDuration(h.targets.ttr))}: <span class="${drill.withinTarget ? "ok" : "bad"}">${drill.withinTarget ? "within target" : "over target"}</span>.`
      : `<strong class="bad">${e(OUTCOME_TEXT[drill.outcome])}</strong> (target ${e(formatDuration(h.targets.ttr))}).`;
  const score =
    drill.score !== null
      ? ` Score ${drill.score}/100${drill.grade ? ` (${e(drill.grade)})` : ""}.`
      : "";
  body.push(`<p class="headline">${head}${score}</p>`);
  body.push(
    table(
      ["Field", "Value"],
      [
        ["Scenario", `<code>${e(h.scenario.id)}</code> ${e(h.scenario.title)}`],
        [
          "Service",
          `${e(h.scenario.service)}${h.scenario.owner ? ` (owner ${e(h.scenario.owner)})` : ""}`,
        ],
        ["Started", e(formatDate(drill.startedAt))],
        ["Mode", e(h.mode)],
        ["Responder", e(h.responder)],
        ["Outcome", e(OUTCOME_TEXT[drill.outcome])],
        ["Procedure", adherence.procedure ? `<code>${e(adherence.procedure)}</code>` : "—"],
        ["Drill", `<code>${e(h.drillId)}</code> <span class="muted">${e(drill.file)}</span>`],
      ],
      "meta",
    ),
  );

  body.push("<h2>Timings</h2>");
  const among = report.comparedWith === null ? "" : ` (${e(report.comparedWith)})`;
  body.push(
    `<p>${report.previousCount === 0 ? `First drill of this scenario${among}: nothing to compare with yet.` : `Compared with the previous drill and the median of ${report.previousCount} earlier drill${report.previousCount === 1 ? "" : "s"} of this scenario${among}.`}</p>`,
  );
  body.push(
    table(
      ["Timing", "This drill", "Target", "Previous", "vs previous", "Earlier median", "vs median"],
      report.timings.map((r) => [
        `${e(r.label)} (${r.key.toUpperCase()})`,
        e(formatDuration(r.value)),
        `<span class="${r.withinTarget === false ? "bad" : r.withinTarget ? "ok" : ""}">${e(targetText(r))}</span>`,
        e(formatDuration(r.previous)),
        e(verdictText(r.vsPrevious, r.value, r.previous)),
        e(formatDuration(r.previousMedian)),
        e(verdictText(r.vsMedian, r.value, r.previousMedian)),
      ]),
    ),
  );
  body.push(
    `<figure>${svgLineChart(report.chart, { target: h.targets.ttr, title: `TTR per drill of ${h.scenario.id}`, highlight: report.chartIndex })}<figcaption>TTR of each drill of this scenario, oldest left; the dashed line is the target${report.chart.some((p) => p.value === null) ? ", crosses on top are drills that did not recover" : ""}.</figcaption></figure>`,
  );
  if (drill.summary && drill.summary.breakdown.length > 0) {
    body.push("<h3>Score</h3>");
    body.push(
      table(
        ["Item", "Points", "Detail"],
        drill.summary.breakdown.map((b) => [e(b.label), `${b.points}/${b.max}`, e(b.detail)]),
      ),
    );
  }

  const detection = drill.digest.detection;
  if (detection.alerts.length + detection.gaps.length > 0) {
    body.push("<h2>Detection</h2>");
    body.push(
      table(
        ["Alert", "Fault → active", "Active → seen", "Fault → seen"],
        detection.alerts.map((a) => [
          e(`${a.text} (${a.source})`),
          a.activeT === null ? "—" : e(formatDuration(a.activeT - a.faultT)),
          a.activeT === null ? "—" : e(formatDuration(Math.max(0, a.seenT - a.activeT))),
          e(formatDuration(a.seenT - a.faultT)),
        ]),
      ),
    );
    for (const gap of detection.gaps) {
      body.push(`<p class="bad"><strong>Detection gap:</strong> ${e(gapText(gap))}</p>`);
    }
  }

  body.push("<h2>Timeline</h2>");
  body.push(
    report.timeline.length === 0
      ? "<p><em>No events recorded.</em></p>"
      : table(
          ["Time", "By", "Event"],
          report.timeline.map((x) => [e(formatOffset(x.t)), e(x.actor), e(x.text)]),
          "timeline",
        ),
  );

  body.push("<h2>Runbook path</h2>");
  if (adherence.steps.length === 0)
    body.push("<p><em>The journal has no expected procedure to compare with.</em></p>");
  else {
    body.push(
      table(
        ["#", "Step", "Kind", "Result"],
        adherence.steps.map((s, i) => [
          String(i + 1),
          `<code>${e(s.id)}</code> ${e(s.title)}${s.optional ? " (optional)" : ""}`,
          e(s.kind),
          status(s),
        ]),
      ),
    );
    const list: string[] = [];
    const checks = adherence.steps.filter(
      (s) => s.kind === "check" && s.counted && s.status !== "done",
    );
    list.push(
      `<li>Required checks not done: ${checks.length ? checks.map((s) => `<code>${e(s.id)}</code> (${STEP_STATUS_TEXT[s.status]})`).join(", ") : "none"}</li>`,
    );
    list.push(
      `<li>Out-of-order steps: ${adherence.outOfOrder.length ? adherence.outOfOrder.map((s) => `<code>${e(s.id)}</code> (${e(s.kind)}, ${e(s.outOfOrder ?? "out of order")})`).join("; ") : "none"}</li>`,
    );
    if (adherence.extra.length > 0)
      list.push(
        `<li>Steps done outside the expected procedure: ${adherence.extra.map((p) => `<code>${e(p.step)}</code>`).join(", ")}</li>`,
      );
    if (drill.digest.offRunbook.length > 0)
      list.push(
        `<li>Off-runbook commands: ${drill.digest.offRunbook.map((c) => `<code>${e(c.command)}</code>`).join(", ")}</li>`,
      );
    body.push(`<ul>${list.join("")}</ul>`);
  }

  body.push("<h2>Hints</h2>");
  body.push(
    drill.digest.hints.length === 0
      ? "<p>No hints taken.</p>"
      : `<ul>${drill.digest.hints.map((x) => `<li>${e(formatOffset(x.t))} hint ${x.hint + 1} (cost ${x.cost}): ${e(x.text)}</li>`).join("")}</ul>`,
  );
  body.push("<h2>Escalations</h2>");
  body.push(
    drill.digest.escalations.length === 0
      ? "<p>No escalations.</p>"
      : `<ul>${drill.digest.escalations.map((x) => `<li>${e(formatOffset(x.t))} level ${x.level}: ${e(x.who)}</li>`).join("")}</ul>`,
  );
  if (report.drift) body.push(driftHtml(report.drift));
  body.push("<h2>Action items</h2>");
  body.push('<p class="muted">Fill in an owner and a due date; delete what does not apply.</p>');
  body.push(
    `<ul class="actions">${[...report.actionItems, "…"].map((a) => `<li>${e(a).replace(/`([^`]+)`/g, "<code>$1</code>")} <span class="muted">Owner: … Due: …</span></li>`).join("")}</ul>`,
  );

  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Forbids every fetch, so the report is provably self-contained wherever it is opened.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>Drill report: ${e(h.scenario.title)} (${e(formatDate(drill.startedAt))})</title>`,
    `<style>${CSS.trim()}</style>`,
    "</head>",
    "<body>",
    ...body,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
