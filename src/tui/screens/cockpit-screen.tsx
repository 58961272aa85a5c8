import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { cockpitFrame } from "../cockpit-frame.js";
import { type CockpitUi, cockpitKey, initialCockpitUi, syncCockpitUi } from "../cockpit-state.js";
import { feedItems } from "../cockpit-view.js";
import { Cockpit } from "../components/cockpit-panes.js";
import type { DrillPort } from "../drill-port.js";
import { cockpitKeys, type KeyPress, match, OUTPUT_KEYS } from "../keys.js";
import { initialPaneUi, type PaneUi, scrollPane, zoomedKey } from "../pane-state.js";
import { useScreenKeys } from "../use-keys.js";

/** Re-reads the drill clock on each whole second, and not more often: an idle cockpit stays idle. */
export function useDrillClock(port: DrillPort, running: boolean): number {
  const [elapsed, setElapsed] = useState(() => port.elapsed());
  useEffect(() => {
    if (!running) return;
    let timer: ReturnType<typeof setTimeout>;
    const schedule = () => {
      const now = port.elapsed();
      setElapsed(now);
      timer = setTimeout(schedule, 1000 - (now % 1000) + 5);
    };
    schedule();
    return () => clearTimeout(timer);
  }, [port, running]);
  return elapsed;
}

export interface CockpitScreenProps {
  port: DrillPort;
  cols: number;
  rows: number;
  keysActive: boolean;
  facilitator?: boolean;
}

/**
 * The output pane's keys (PgUp/PgDn, z, and every key while it is zoomed); undefined when the key
 * is the cockpit's. A question open over the pane keeps its keys.
 */
export function paneKey(
  pane: PaneUi,
  ui: CockpitUi,
  frame: ReturnType<typeof cockpitFrame>,
  facilitator: boolean,
  mode: "tabletop" | "gameday",
  input: string,
  key: KeyPress,
): PaneUi | undefined {
  if (pane.zoomed) return zoomedKey(pane, frame.extent, match(OUTPUT_KEYS, input, key));
  if (ui.overlay) return undefined;
  switch (match(cockpitKeys(mode, facilitator), input, key)) {
    case "scrollUp":
      return scrollPane(pane, frame.extent, Math.max(1, frame.extent.page - 1));
    case "scrollDown":
      return scrollPane(pane, frame.extent, -Math.max(1, frame.extent.page - 1));
    case "zoom":
      return { ...pane, zoomed: true };
    default:
      return undefined;
  }
}

export function CockpitScreen({
  port,
  cols,
  rows,
  keysActive,
  facilitator = false,
}: CockpitScreenProps) {
  const snapshot = useSyncExternalStore(port.subscribe, port.snapshot);
  const clock = useDrillClock(port, !snapshot.state.ended);
  const elapsed = Math.max(clock, snapshot.state.elapsed);
  const [ui, setUi] = useState<CockpitUi>(initialCockpitUi);
  const uiRef = useRef(ui);
  const [pane, setPane] = useState<PaneUi>(initialPaneUi);
  const paneRef = useRef(pane);
  const shownUi = syncCockpitUi(ui, snapshot.state);
  useScreenKeys((input, key) => {
    const current = port.snapshot();
    const synced = syncCockpitUi(uiRef.current, current.state);
    const frame = cockpitFrame({
      snapshot: current,
      ui: synced,
      pane: paneRef.current,
      elapsed: port.elapsed(),
      cols,
      rows,
      facilitator,
      feed: feedItems(current.state),
    });
    const mode = current.state.setup.mode;
    const paned = paneKey(paneRef.current, synced, frame, facilitator, mode, input, key);
    if (paned) {
      paneRef.current = paned;
      setPane(paned);
      return;
    }
    const step = cockpitKey(synced, { ...current, facilitator }, input, key);
    uiRef.current = step.ui;
    setUi(step.ui);
    if (step.action) port.dispatch(step.action);
  }, keysActive);
  return (
    <Cockpit
      snapshot={snapshot}
      ui={shownUi}
      pane={pane}
      elapsed={elapsed}
      cols={cols}
      rows={rows}
      facilitator={facilitator}
    />
  );
}
