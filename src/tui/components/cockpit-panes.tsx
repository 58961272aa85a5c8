import { Box } from "ink";
import { useMemo } from "react";
import { cockpitFrame } from "../cockpit-frame.js";
import type { CockpitUi } from "../cockpit-state.js";
import { feedItems, headerView, probeRows } from "../cockpit-view.js";
import type { DrillSnapshot } from "../drill-port.js";
import { BORDER } from "../layout.js";
import { initialPaneUi, type PaneUi } from "../pane-state.js";
import { BottomPane } from "./bottom-pane.js";
import { FacilitatorPanel } from "./facilitator.js";
import { Footer } from "./footer.js";
import { Header } from "./header.js";
import { HelpPanel } from "./help.js";
import { ProbesPanel } from "./probes.js";
import { RunbookPanel } from "./runbook.js";
import { SignalsPanel } from "./signals.js";

export interface CockpitProps {
  snapshot: DrillSnapshot;
  ui: CockpitUi;
  /** the output pane's scroll and zoom */
  pane?: PaneUi;
  elapsed: number;
  cols: number;
  rows: number;
  /** `--facilitator`: the faults' panel, the scenario's name and the facilitator's keys */
  facilitator?: boolean;
}

/** The whole cockpit frame for one state; no hooks beyond memoising derived lists. */
export function Cockpit({
  snapshot,
  ui,
  pane = initialPaneUi,
  elapsed,
  cols,
  rows,
  facilitator = false,
}: CockpitProps) {
  const { state } = snapshot;
  const feed = useMemo(() => feedItems(state), [state]);
  const frame = cockpitFrame({ snapshot, ui, pane, elapsed, cols, rows, facilitator, feed });
  const { layout } = frame;
  const sparkWidth = Math.max(4, Math.min(40, layout.leftWidth - BORDER - 16 - 12 - 14));
  const probes = useMemo(() => probeRows(state, sparkWidth), [state, sparkWidth]);
  const bottomPane = <BottomPane pane={frame.pane} window={frame.window} width={layout.width} />;
  let middle: React.ReactNode;
  if (pane.zoomed) middle = bottomPane;
  else if (ui.overlay?.kind === "help")
    middle = (
      <HelpPanel bindings={frame.keys} width={layout.width} height={layout.body + layout.bottom} />
    );
  else
    middle = (
      <>
        <Box height={layout.body} width={layout.width}>
          <Box flexDirection="column" width={layout.leftWidth}>
            <SignalsPanel
              items={feed}
              elapsed={elapsed}
              width={layout.leftWidth}
              height={layout.signals}
            />
            {frame.facilitator && layout.facilitator > 0 ? (
              <FacilitatorPanel
                lines={frame.facilitator}
                width={layout.leftWidth}
                height={layout.facilitator}
              />
            ) : null}
            <ProbesPanel rows={probes} width={layout.leftWidth} height={layout.probes} />
          </Box>
          <RunbookPanel
            state={state}
            ui={ui}
            width={layout.rightWidth}
            height={layout.body}
            facilitator={facilitator}
          />
        </Box>
        {bottomPane}
      </>
    );
  return (
    <Box flexDirection="column" width={layout.width} height={layout.height}>
      <Header
        view={headerView(state, elapsed, facilitator, snapshot.joined)}
        width={layout.width}
      />
      {middle}
      <Footer bindings={frame.keys} width={layout.width} rows={layout.footer} />
    </Box>
  );
}
