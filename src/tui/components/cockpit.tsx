import { Box } from "ink";
import { useMemo } from "react";
import type { CockpitUi } from "../cockpit-state.js";
import { commandShown, feedItems, headerView, probePanelSize, probeRows } from "../cockpit-view.js";
import { cockpitKeys, footerItems } from "../keys.js";
import { BORDER, cockpitLayout, MIN_COLS } from "../layout.js";
import type { DrillSnapshot } from "../types.js";
import { BottomPane } from "./bottom-pane.js";
import { Footer, packFooter } from "./footer.js";
import { Header } from "./header.js";
import { HelpPanel } from "./help.js";
import { ProbesPanel } from "./probes.js";
import { RunbookPanel } from "./runbook.js";
import { SignalsPanel } from "./signals.js";

export interface CockpitProps {
  snapshot: DrillSnapshot;
  ui: CockpitUi;
  elapsed: number;
  cols: number;
  rows: number;
}

/** The whole cockpit frame for one state; no hooks beyond memoising derived lists. */
export function Cockpit({ snapshot, ui, elapsed, cols, rows }: CockpitProps) {
  const { state, command } = snapshot;
  const keys = cockpitKeys(state.setup.mode);
  const footer = packFooter(footerItems(keys), Math.max(MIN_COLS, cols), 4);
  const layout = cockpitLayout(
    cols,
    rows,
    probePanelSize(state),
    footer.length,
    commandShown(ui, state, command),
  );
  const feed = useMemo(() => feedItems(state), [state]);
  const sparkWidth = Math.max(4, Math.min(40, layout.leftWidth - BORDER - 16 - 12 - 14));
  const probes = useMemo(() => probeRows(state, sparkWidth), [state, sparkWidth]);
  return (
    <Box flexDirection="column" width={layout.width} height={layout.height}>
      <Header view={headerView(state, elapsed)} width={layout.width} />
      {ui.overlay?.kind === "help" ? (
        <HelpPanel bindings={keys} width={layout.width} height={layout.body + layout.bottom} />
      ) : (
        <>
          <Box height={layout.body} width={layout.width}>
            <Box flexDirection="column" width={layout.leftWidth}>
              <SignalsPanel
                items={feed}
                elapsed={elapsed}
                width={layout.leftWidth}
                height={layout.signals}
              />
              <ProbesPanel rows={probes} width={layout.leftWidth} height={layout.probes} />
            </Box>
            <RunbookPanel state={state} ui={ui} width={layout.rightWidth} height={layout.body} />
          </Box>
          <BottomPane
            state={state}
            ui={ui}
            command={command}
            elapsed={elapsed}
            width={layout.width}
            height={layout.bottom}
            notice={snapshot.notice}
          />
        </>
      )}
      <Footer bindings={keys} width={layout.width} rows={layout.footer} />
    </Box>
  );
}
