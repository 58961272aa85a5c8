import { faultLabel } from "../faults/label.js";
import { formatDuration } from "../model/duration.js";
import type { Mode, Scenario } from "../model/scenario.js";
import type { Briefing, Preflight } from "./drill-port.js";
import { wrap } from "./format.js";
import type { Tone } from "./theme.js";

export interface BriefLine {
  text: string;
  tone?: Tone;
  bold?: boolean;
}

function where(scenario: Scenario, proxy: string): string {
  const spec = scenario.proxies.find((p) => p.name === proxy);
  if (!spec) return `proxy ${proxy}`;
  return `proxy ${proxy}${spec.listen ? ` ${spec.listen}` : ""} → ${spec.upstream}`;
}

/** What will be injected, when, and where: one line per fault. */
export function faultLines(scenario: Scenario, mode: "tabletop" | "gameday"): string[] {
  return scenario.faults.map((fault) => {
    const when = `at ${formatDuration(fault.at)}${fault.duration === undefined ? "" : ` for ${formatDuration(fault.duration)}`}`;
    const place = "proxy" in fault ? where(scenario, fault.proxy) : "a command on this machine";
    const how = mode === "tabletop" ? " (simulated)" : "";
    return `${faultLabel(fault)} · ${when} · ${place}${how}`;
  });
}

/**
 * What names the drill. A scenario's title and id say what is broken ("database primary answers
 * slowly"), which is the answer the responder is there to find: the responder is told only which
 * service has an incident; the facilitator sees the scenario.
 */
export function drillName(scenario: Scenario, facilitator: boolean): string {
  return facilitator ? scenario.title : `Incident on ${scenario.service}`;
}

/**
 * The briefing's sections; the story gets whatever rows are left after the facts, so the screen
 * fits 80×24 and shows the whole story when there is room. The responder reads symptoms only
 * (the story, the ladder, the safety limits); what is injected, where and when is the
 * facilitator's.
 */
export function briefingSections(
  briefing: Briefing,
  mode: "tabletop" | "gameday",
  preflight: Preflight | null,
  width: number,
  rows: number,
  facilitator = false,
): BriefLine[] {
  const { scenario, runbook } = briefing;
  const tagline = [
    ...(facilitator ? [scenario.id] : []),
    scenario.severity,
    `service ${scenario.service}`,
    `team ${runbook?.owner ?? "(no runbook)"}`,
    `target TTR ${formatDuration(scenario.targets.ttr)}`,
  ];
  const head: BriefLine[] = [
    { text: drillName(scenario, facilitator), bold: true, tone: "title" },
    { text: tagline.join(" · "), tone: "muted" },
  ];
  const facts: BriefLine[] = [];
  facts.push({ text: "Escalation", bold: true });
  const ladder = runbook?.escalation ?? [];
  facts.push({
    text:
      ladder.length === 0
        ? "  (the runbook has no escalation ladder)"
        : `  ${ladder.map((e) => `L${e.level} ${e.who}${e.after ? ` after ${formatDuration(e.after)}` : ""}`).join(" · ")}`,
  });
  if (facilitator) {
    facts.push({
      text: "Injected (facilitator only: the responder's screens never show it)",
      bold: true,
    });
    for (const line of faultLines(scenario, mode)) {
      // What is injected where is the one fact never to cut short: it wraps instead.
      wrap(line, width - 4).forEach((part, i) => {
        facts.push({ text: `${i === 0 ? "  " : "    "}${part}`, tone: "warn" });
      });
    }
  }
  const { safety } = scenario;
  const stops = safety.stopWhen.map((s) => `${s.probe} fails ${s.failures}×`).join(", ");
  facts.push({ text: "Safety", bold: true });
  facts.push({
    text: `  stops after ${formatDuration(safety.maxDuration)}${stops ? ` or when ${stops}` : ""}; hosts ${safety.allowHosts.length ? safety.allowHosts.join(", ") : "from the config allow-list"}`,
  });
  if (mode === "gameday") {
    facts.push({ text: "Gameday preflight", bold: true });
    if (!preflight) facts.push({ text: "  checking Toxiproxy and the allow-list…", tone: "muted" });
    else {
      facts.push({ text: `  Toxiproxy ${preflight.toxiproxyUrl}` });
      for (const line of preflight.lines)
        facts.push({
          text: `  ${line.ok ? "✓" : "✗"} ${line.text}`,
          tone: line.ok ? "good" : "bad",
        });
    }
  }
  const storyRows = Math.max(1, rows - head.length - facts.length - 1);
  const story = wrap(scenario.briefing.trim(), width, storyRows).map((text) => ({ text }));
  return [...head, ...story, { text: "" }, ...facts];
}

/** The mode switch: the scenario's modes in a fixed order, the chosen one in brackets. */
export function modeSwitch(modes: readonly Mode[], chosen: Mode): string {
  return (["tabletop", "gameday"] as const)
    .filter((m) => modes.includes(m))
    .map((m) => (m === chosen ? `[${m}]` : ` ${m} `))
    .join(" ");
}
