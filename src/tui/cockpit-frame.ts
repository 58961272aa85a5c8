import type { CockpitUi } from "./cockpit-state.js";
import { shownProcedure } from "./cockpit-state.js";
import {
  commandShown,
  type FeedItem,
  feedLines,
  feedTextWidth,
  probePanelSize,
  type ViewLine,
} from "./cockpit-view.js";
import { packFooter } from "./components/footer.js";
import type { DrillSnapshot } from "./drill-port.js";
import { facilitatorLines } from "./facilitator-view.js";
import { type Binding, cockpitKeys, footerItems, OUTPUT_KEYS } from "./keys.js";
import { BORDER, type CockpitLayout, cockpitLayout, MIN_COLS } from "./layout.js";
import { type PaneExtent, type PaneUi, paneScroll } from "./pane-state.js";
import { type PaneView, paneView } from "./pane-view.js";

export interface FrameInput {
  snapshot: DrillSnapshot;
  ui: CockpitUi;
  pane: PaneUi;
  elapsed: number;
  cols: number;
  rows: number;
  facilitator: boolean;
  /** the signals feed (memoised by the caller: it is rebuilt only when the state changes) */
  feed: readonly FeedItem[];
}

/** The command pane's lines in sight: `lines[start, end)` plus its pinned status lines. */
export interface PaneWindow {
  height: number;
  start: number;
  end: number;
  status: ViewLine[];
}

/** Everything a cockpit frame draws, decided in one place for the component and the keys. */
export interface CockpitFrame {
  layout: CockpitLayout;
  /** the keys of the frame on show, for the footer (the zoomed pane has its own) */
  keys: readonly Binding<string>[];
  pane: PaneView;
  window: PaneWindow;
  extent: PaneExtent;
  facilitator: ViewLine[] | null;
}

/** Lines the runbook panel would use: the procedure list, or the steps and their details. */
function runbookLines(input: FrameInput): number {
  const { state } = input.snapshot;
  const procedure = shownProcedure(input.ui, state);
  if (!procedure) return Math.max(1, state.procedures.length);
  return procedure.steps.length + 4;
}

/**
 * Which of the pane's lines show in `height` rows scrolled back `scroll` lines. A pane whose lines
 * do not all fit says so in its status line: how many are out of sight and the keys to read them.
 */
function paneWindow(pane: PaneView, height: number, scroll: number, zoomed: boolean): PaneWindow {
  const inner = Math.max(0, height - BORDER - 1);
  const pinned = pane.status.length + (pane.flash ? 1 : 0);
  const fits = pane.lines.length <= inner - pinned;
  const rows = Math.max(0, inner - pinned - (fits || pane.status.length > 0 ? 0 : 1));
  const end = Math.max(Math.min(rows, pane.lines.length), pane.lines.length - scroll);
  const start = Math.max(0, end - rows);
  if (fits) return { height, start: 0, end: pane.lines.length, status: pane.status };
  const out = [
    start > 0 ? `${start} line${start === 1 ? "" : "s"} above` : "",
    end < pane.lines.length ? `${pane.lines.length - end} below` : "",
  ]
    .filter(Boolean)
    .join(", ");
  const hint = `${out} · PgUp/PgDn scroll · ${zoomed ? "z back" : "z zoom"}`;
  const [first, ...rest] = pane.status;
  const status: ViewLine[] = first
    ? [{ ...first, text: `${first.text}   ${hint}` }, ...rest]
    : [{ text: hint, tone: "muted" }];
  return { height, start, end, status };
}

export function cockpitFrame(input: FrameInput): CockpitFrame {
  const { snapshot, ui, cols, rows, facilitator } = input;
  const { state, command } = snapshot;
  const cockpit = cockpitKeys(state.setup.mode, facilitator);
  const width = Math.max(MIN_COLS, cols);
  const footerRows = packFooter(footerItems(cockpit), width, 4).length;
  const leftWidth = Math.floor(width * (width >= 140 ? 0.5 : 0.46));
  const paneWidth = width - BORDER;
  const pane = paneView({
    state,
    ui,
    command,
    notice: snapshot.notice,
    elapsed: input.elapsed,
    width: paneWidth,
  });
  const facilitatorView = facilitator ? facilitatorLines(state, leftWidth - BORDER - 2) : null;
  const feedRows = feedLines(input.feed, feedTextWidth(leftWidth), rows).reduce(
    (sum, shown) => sum + shown.lines.length,
    0,
  );
  const layout = cockpitLayout(cols, rows, footerRows, {
    signals: feedRows,
    probes: probePanelSize(state),
    facilitator: facilitatorView?.length ?? 0,
    runbook: runbookLines(input),
    pane: pane.lines.length + pane.status.length + (pane.flash ? 1 : 0),
    command: commandShown(ui, state, command),
  });
  const zoomed = input.pane.zoomed;
  const height = zoomed ? layout.body + layout.bottom : layout.bottom;
  const probe = paneWindow(pane, height, 0, zoomed);
  const extent: PaneExtent = {
    id: pane.id,
    maxScroll: Math.max(0, pane.lines.length - (probe.end - probe.start)),
    page: probe.end - probe.start,
  };
  return {
    layout,
    keys: zoomed ? OUTPUT_KEYS : cockpit,
    pane,
    window: paneWindow(pane, height, paneScroll(input.pane, extent), zoomed),
    extent,
    facilitator: facilitatorView,
  };
}
