import type { DrillState, FaultState } from "../drill/state.js";
import { isMonitoringSignal } from "../model/scenario.js";
import type { ViewLine } from "./cockpit-view.js";
import { clock, wrap } from "./format.js";

function faultLine(fault: FaultState, simulated: boolean): ViewLine {
  const what = `${fault.label}${simulated ? " (simulated)" : ""}`;
  switch (fault.status) {
    case "pending":
      return { text: `○ at ${clock(fault.at)} ${what}`, tone: "muted" };
    case "active":
      return { text: `● since ${clock(fault.appliedT ?? fault.at)} ${what}`, tone: "warn" };
    case "reverted":
      return {
        text: `✓ ${clock(fault.appliedT ?? fault.at)}–${clock(fault.revertedT ?? 0)} ${what} reverted`,
        tone: "good",
      };
    case "failed":
      return { text: `✗ ${what}: ${fault.error ?? "failed"}`, tone: "bad" };
  }
}

/**
 * What only the facilitator sees during the drill: each fault with when it lands and its state,
 * the next scripted signal, and the procedure the responder is expected to find.
 */
export function facilitatorLines(state: DrillState, width: number): ViewLine[] {
  const simulated = state.setup.mode === "tabletop";
  const lines = state.faults.map((f) => faultLine(f, simulated));
  const signals = state.setup.scenario.signals;
  let next: number | undefined;
  signals.forEach((signal, index) => {
    if (state.signals.some((s) => s.index === index)) return;
    // A monitoring signal in a gameday comes when the team's alerting fires, at no set time.
    if (signal.at === undefined || (!simulated && isMonitoringSignal(signal))) return;
    if (next === undefined || signal.at < (signals[next]?.at ?? 0)) next = index;
  });
  const signal = next === undefined ? undefined : signals[next];
  lines.push(
    signal
      ? { text: `next signal at ${clock(signal.at ?? 0)}: ${signal.kind} ${signal.text}` }
      : { text: "every scripted signal shown", tone: "muted" },
  );
  const expected = state.procedures.find((p) => p.id === state.expectedProcedure);
  lines.push({
    text: expected ? `expected procedure: ${expected.title}` : "no expected procedure",
    tone: "muted",
  });
  // A fault is the one thing the facilitator must read whole: each line takes two rows if it must.
  return lines.flatMap((line) =>
    wrap(line.text, width, 2).map((text, i) => ({ ...line, text: i === 0 ? text : `  ${text}` })),
  );
}
