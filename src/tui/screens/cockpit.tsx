import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { type CockpitUi, cockpitKey, initialCockpitUi, syncCockpitUi } from "../cockpit-state.js";
import { Cockpit } from "../components/cockpit.js";
import type { DrillPort } from "../types.js";
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
}

export function CockpitScreen({ port, cols, rows, keysActive }: CockpitScreenProps) {
  const snapshot = useSyncExternalStore(port.subscribe, port.snapshot);
  const clock = useDrillClock(port, !snapshot.state.ended);
  const elapsed = Math.max(clock, snapshot.state.elapsed);
  const [ui, setUi] = useState<CockpitUi>(initialCockpitUi);
  const uiRef = useRef(ui);
  const shownUi = syncCockpitUi(ui, snapshot.state);
  useScreenKeys((input, key) => {
    const current = port.snapshot();
    const step = cockpitKey(syncCockpitUi(uiRef.current, current.state), current, input, key);
    uiRef.current = step.ui;
    setUi(step.ui);
    if (step.action) port.dispatch(step.action);
  }, keysActive);
  return <Cockpit snapshot={snapshot} ui={shownUi} elapsed={elapsed} cols={cols} rows={rows} />;
}
