import { eventLine, timingsLine } from "../drill/event-text.js";
import type { TimedEvent } from "../drill/events.js";
import { currentStep, type DrillState } from "../drill/state.js";
import { clip } from "../platform/text-table.js";
import type { ViewLine } from "./cockpit-view.js";
import { facilitatorLines } from "./facilitator-view.js";
import { clock } from "./format.js";

/** The timeline as the debrief words it, with who did each thing; probes only when they change. */
export function joinTimeline(events: readonly TimedEvent[], width: number): ViewLine[] {
  const failing = new Map<string, boolean>();
  const lines: ViewLine[] = [];
  for (const timed of events) {
    const { event } = timed;
    if (event.type === "probe.result") {
      if (failing.get(event.probe) === !event.ok) continue;
      failing.set(event.probe, !event.ok);
    }
    const tone =
      timed.actor === "facilitator" ? "warn" : timed.actor === "scribe" ? "good" : undefined;
    lines.push({
      text: clip(eventLine(timed, { actors: true }), width),
      ...(tone ? { tone } : {}),
    });
  }
  return lines;
}

/** What the facilitator sees beside the timeline: the truth, the responder's position, what is next. */
export function facilitatorPanel(state: DrillState, width: number): ViewLine[] {
  const lines = facilitatorLines(state, width);
  const expected = state.procedures.find((p) => p.id === state.expectedProcedure);
  if (expected) {
    const at = currentStep(expected);
    const selected = state.selectedProcedure;
    lines.push({
      text: clip(
        `responder: ${selected ? `in ${selected}` : "no procedure yet"}${at ? `, next step ${at.id}` : ", every step handled"}`,
        width,
      ),
    });
    for (const step of expected.steps) {
      const mark = step.status === "done" ? "[x]" : step.status === "skipped" ? "[-]" : "[ ]";
      lines.push({
        text: clip(`  ${mark} ${step.id}: ${step.title}`, width),
        tone: step.status === "pending" ? "muted" : "good",
      });
    }
  }
  // A tabletop runs no probe: nothing to show.
  for (const probe of state.setup.mode === "tabletop" ? [] : state.probes) {
    const verdict = probe.lastOk === null ? "…" : probe.lastOk ? "ok" : "FAIL";
    lines.push({
      text: clip(`probe ${probe.name}: ${verdict} ${probe.lastDetail}`, width),
      ...(probe.lastOk === false ? { tone: "bad" as const } : {}),
    });
  }
  for (const hint of state.hints.filter((h) => !h.taken)) {
    lines.push({
      text: clip(
        `hint ${hint.index + 1} from ${clock(hint.after)} (−${hint.cost}): ${hint.text}`,
        width,
      ),
      tone: "muted",
    });
  }
  return lines;
}

/** The observer's and scribe's summary line: timings so far and the probes' verdicts. */
export function watchSummary(state: DrillState, width: number): ViewLine[] {
  const shown = state.setup.mode === "tabletop" ? [] : state.probes;
  const probes = shown.map(
    (p) => `${p.name} ${p.lastOk === null ? "…" : p.lastOk ? "ok" : "FAIL"}`,
  );
  return [
    { text: clip(timingsLine(state.timings), width) },
    ...(probes.length
      ? [{ text: clip(`probes: ${probes.join("  ")}`, width), tone: "muted" as const }]
      : []),
  ];
}
