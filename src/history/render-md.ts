import { gapText } from "../drill/detection.js";
import { STEP_STATUS_TEXT } from "../drill/step-verdict.js";
import { formatDuration } from "../model/duration.js";
import { sparkline } from "../platform/text-charts.js";
import type { StepVerdict } from "./adherence.js";
import type { DriftReport, DrillReport, TimingRow, Verdict } from "./report-model.js";
import { formatDate, formatOffset, OUTCOME_TEXT } from "./report-text.js";

/** Table cells: pipes and newlines would break the row. */
function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

function code(text: string): string {
  const ticks = text.includes("`") ? "``" : "`";
  return `${ticks}${text.includes("`") ? ` ${text} ` : text}${ticks}`;
}

/** A pipe table padded to column widths, so the raw Markdown reads well in a diff too. */
function table(head: string[], rows: string[][]): string[] {
  const cells = [head, ...rows.map((r) => r.map(cell))];
  const width = (text: string) => [...text].length;
  const widths = head.map((_, i) => Math.max(3, ...cells.map((r) => width(r[i] ?? ""))));
  const line = (r: string[]) =>
    `| ${r.map((c, i) => c + " ".repeat(widths[i]! - width(c))).join(" | ")} |`;
  return [
    line(cells[0]!),
    `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`,
    ...cells.slice(1).map(line),
  ];
}

export function verdictText(v: Verdict | null, value: number | null, ref: number | null): string {
  if (v === null || value === null || ref === null) return "—";
  if (v === "same") return "same";
  const diff = formatDuration(Math.abs(value - ref));
  return v === "better" ? `better (−${diff})` : `worse (+${diff})`;
}

export function targetText(row: TimingRow): string {
  if (row.target === null) return "—";
  if (row.withinTarget === null) return formatDuration(row.target);
  return `${formatDuration(row.target)} ${row.withinTarget ? "✓ within" : "✗ over"}`;
}

export function headline(report: DrillReport): string {
  const { drill } = report;
  const ttr = drill.timings.ttr;
  const target = drill.header.targets.ttr;
  const parts: string[] = [];
  if (ttr !== null)
    parts.push(
      `Recovered in **${formatDuration(ttr)}** against a target of ${formatDuration(target)}: ${drill.withinTarget ? "within target" : "over target"}.`,
    );
  else parts.push(`**${OUTCOME_TEXT[drill.outcome]}** (target ${formatDuration(target)}).`);
  if (drill.outcome !== "recovered" && ttr !== null)
    parts.push(`Outcome: ${OUTCOME_TEXT[drill.outcome]}.`);
  if (drill.score !== null)
    parts.push(`Score ${drill.score}/100${drill.grade ? ` (${drill.grade})` : ""}.`);
  return parts.join(" ");
}

export function driftMarkdown(drift: DriftReport, heading = "##"): string[] {
  const out: string[] = [`${heading} Runbook drift`, ""];
  out.push(
    `Across ${drift.drills} drill${drift.drills === 1 ? "" : "s"} of procedure ${code(drift.procedure)} (service ${drift.service}; scenario${drift.scenarios.length === 1 ? "" : "s"} ${drift.scenarios.join(", ")}).`,
    "",
  );
  if (drift.offRunbook.length === 0 && drift.steps.length === 0) {
    out.push("No drift: responders ran only runbook commands and followed its steps in order.", "");
    return out;
  }
  if (drift.offRunbook.length > 0) {
    out.push("Commands responders ran that the runbook does not have:", "");
    out.push(
      ...table(
        ["Command", "Drills", "Times", "Typed during step", "Exit codes"],
        drift.offRunbook.map((c) => [
          code(c.command),
          String(c.drills),
          String(c.times),
          c.afterStep ?? "—",
          c.exitCodes.map((e) => (e === null ? "none" : String(e))).join(", "),
        ]),
      ),
      "",
    );
  }
  if (drift.steps.length > 0) {
    out.push("Runbook steps skipped, missed or done out of order:", "");
    out.push(
      ...table(
        ["Step", "Kind", "Skipped in", "Missed in", "Out of order in"],
        drift.steps.map((s) => [
          `${code(s.step)} ${s.title}${s.optional ? " (optional)" : ""}`,
          s.kind,
          `${s.skipped} of ${drift.drills}`,
          `${s.missed} of ${drift.drills}`,
          `${s.outOfOrder} of ${drift.drills}`,
        ]),
      ),
      "",
    );
  }
  if (drift.patch) {
    out.push(
      `Suggested patch to ${code(drift.runbookFile ?? "the runbook")} (for the owner to review; apply with \`git apply\`):`,
      "",
      "```diff",
      drift.patch.trimEnd(),
      "```",
      "",
    );
  } else if (drift.offRunbook.some((c) => c.exitCodes.includes(0))) {
    out.push(
      drift.runbookFile
        ? `No patch: procedure ${code(drift.procedure)} could not be located in ${code(drift.runbookFile)}.`
        : "No patch: the runbook file was not found (pass `--runbooks <dir>`).",
      "",
    );
  }
  return out;
}

/** The post-drill report as Markdown, for a pull request or an incident review. */
export function renderMarkdown(report: DrillReport): string {
  const { drill, adherence } = report;
  const h = drill.header;
  const out: string[] = [];
  out.push(`# Drill report: ${h.scenario.title}`, "");
  out.push(headline(report), "");
  out.push(
    ...table(
      ["Field", "Value"],
      [
        ["Scenario", `${code(h.scenario.id)} ${h.scenario.title}`],
        [
          "Service",
          `${h.scenario.service}${h.scenario.owner ? ` (owner ${h.scenario.owner})` : ""}`,
        ],
        ["Started", formatDate(drill.startedAt)],
        ["Mode", h.mode],
        ["Responder", h.responder],
        ["Outcome", OUTCOME_TEXT[drill.outcome]],
        ["Procedure", adherence.procedure ? code(adherence.procedure) : "—"],
        ["Drill", `${code(h.drillId)} (${code(drill.file)})`],
      ],
    ),
    "",
  );

  out.push("## Timings", "");
  const among = report.comparedWith === null ? "" : ` (${report.comparedWith})`;
  const prevNote =
    report.previousCount === 0
      ? `First drill of this scenario${among}: nothing to compare with yet.`
      : `Compared with the previous drill and the median of ${report.previousCount} earlier drill${report.previousCount === 1 ? "" : "s"} of this scenario${among}.`;
  out.push(prevNote, "");
  out.push(
    ...table(
      ["Timing", "This drill", "Target", "Previous", "vs previous", "Earlier median", "vs median"],
      report.timings.map((r) => [
        `${r.label} (${r.key.toUpperCase()})`,
        formatDuration(r.value),
        targetText(r),
        formatDuration(r.previous),
        verdictText(r.vsPrevious, r.value, r.previous),
        formatDuration(r.previousMedian),
        verdictText(r.vsMedian, r.value, r.previousMedian),
      ]),
    ),
    "",
  );
  if (report.chart.length > 1) {
    const values = report.chart.map((p) => p.value);
    out.push(
      `TTR over ${report.chart.length} drills (oldest → newest, · = not recovered): \`${sparkline(values, { min: 0, gap: "·" })}\``,
      "",
    );
  }
  if (drill.summary && drill.summary.breakdown.length > 0) {
    out.push("### Score", "");
    out.push(
      ...table(
        ["Item", "Points", "Detail"],
        drill.summary.breakdown.map((b) => [b.label, `${b.points}/${b.max}`, b.detail]),
      ),
      "",
    );
  }

  const detection = drill.digest.detection;
  if (detection.alerts.length + detection.gaps.length > 0) {
    out.push("## Detection", "");
    out.push(
      ...table(
        ["Alert", "Fault → active", "Active → seen", "Fault → seen"],
        detection.alerts.map((a) => [
          `${a.text} (${a.source})`,
          a.activeT === null ? "—" : formatDuration(a.activeT - a.faultT),
          a.activeT === null ? "—" : formatDuration(Math.max(0, a.seenT - a.activeT)),
          formatDuration(a.seenT - a.faultT),
        ]),
      ),
      "",
    );
    for (const gap of detection.gaps) out.push(`- **Detection gap:** ${gapText(gap)}`);
    if (detection.gaps.length > 0) out.push("");
  }

  out.push("## Timeline", "");
  if (report.timeline.length === 0) out.push("_No events recorded._", "");
  else
    out.push(
      ...table(
        ["Time", "By", "Event"],
        report.timeline.map((e) => [formatOffset(e.t), e.actor, e.text]),
      ),
      "",
    );

  out.push("## Runbook path", "");
  if (adherence.steps.length === 0) {
    out.push("_The journal has no expected procedure to compare with._", "");
  } else {
    out.push(
      `The responder's path through ${adherence.procedure ? code(adherence.procedure) : "the procedure"} against the expected steps:`,
      "",
    );
    out.push(
      ...table(
        ["#", "Step", "Kind", "Result"],
        adherence.steps.map((s, i) => [
          String(i + 1),
          `${code(s.id)} ${s.title}${s.optional ? " (optional)" : ""}`,
          s.kind,
          stepResult(s),
        ]),
      ),
      "",
    );
    const checks = adherence.steps.filter(
      (s) => s.kind === "check" && s.counted && s.status !== "done",
    );
    const outOfOrderActions = adherence.outOfOrder;
    out.push(
      `- Required checks not done: ${checks.length ? checks.map((s) => `${code(s.id)} (${STEP_STATUS_TEXT[s.status]})`).join(", ") : "none"}`,
      `- Out-of-order steps: ${outOfOrderActions.length ? outOfOrderActions.map((s) => `${code(s.id)} (${s.kind}, ${s.outOfOrder})`).join("; ") : "none"}`,
    );
    if (adherence.extra.length > 0)
      out.push(
        `- Steps done outside the expected procedure: ${adherence.extra.map((p) => code(p.step)).join(", ")}`,
      );
    if (drill.digest.offRunbook.length > 0)
      out.push(
        `- Off-runbook commands: ${drill.digest.offRunbook.map((c) => code(c.command)).join(", ")}`,
      );
    out.push("");
  }

  out.push("## Hints", "");
  if (drill.digest.hints.length === 0) out.push("No hints taken.", "");
  else {
    for (const hint of drill.digest.hints)
      out.push(`- ${formatOffset(hint.t)} hint ${hint.hint + 1} (cost ${hint.cost}): ${hint.text}`);
    out.push("");
  }

  out.push("## Escalations", "");
  if (drill.digest.escalations.length === 0) out.push("No escalations.", "");
  else {
    for (const e of drill.digest.escalations)
      out.push(`- ${formatOffset(e.t)} level ${e.level}: ${e.who}`);
    out.push("");
  }

  if (report.drift) out.push(...driftMarkdown(report.drift));

  out.push("## Action items", "");
  out.push("_Fill in an owner and a due date; delete what does not apply._", "");
  for (const item of report.actionItems) out.push(`- [ ] ${item} Owner: … Due: …`);
  out.push("- [ ] … Owner: … Due: …", "");
  return `${out.join("\n").trimEnd()}\n`;
}

/** A step's status as the score judged it (drill/step-verdict.ts), with when and why. */
export function stepResult(step: StepVerdict): string {
  const label = step.outOfOrder ? "out of order" : STEP_STATUS_TEXT[step.status];
  // Bold: what cost points (a counted step not done, or a step done out of order).
  const cost = step.outOfOrder !== undefined || (step.counted && step.status !== "done");
  const at = step.t === undefined ? "" : ` at ${formatOffset(step.t)}`;
  const why = step.outOfOrder ?? step.detail;
  return `${cost ? `**${label}**` : label}${at}${why ? `: ${why}` : ""}`;
}
