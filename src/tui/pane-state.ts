import type { OutputAction } from "./keys.js";

/**
 * The command pane's own state: how far its lines are scrolled back and whether it fills the
 * screen. Kept apart from the cockpit's cursor and questions: it changes nothing in the drill.
 */
export interface PaneUi {
  zoomed: boolean;
  /** lines scrolled back from the newest; 0 follows the output as it streams */
  scroll: number;
  /** the `PaneView.id` the scroll belongs to: a new command starts at its newest lines again */
  of: string | null;
}

export const initialPaneUi: PaneUi = { zoomed: false, scroll: 0, of: null };

/** What the pane can scroll: its id, how far back it can go, how many lines a page is. */
export interface PaneExtent {
  id: string;
  maxScroll: number;
  page: number;
}

/** The scroll as it applies to what is on show now. */
export function paneScroll(pane: PaneUi, extent: PaneExtent): number {
  return pane.of === extent.id ? Math.min(pane.scroll, extent.maxScroll) : 0;
}

export function scrollPane(pane: PaneUi, extent: PaneExtent, by: number): PaneUi {
  const scroll = Math.max(0, Math.min(extent.maxScroll, paneScroll(pane, extent) + by));
  return { ...pane, scroll, of: extent.id };
}

/** A key while the pane is zoomed: scroll by a line or a page, or close. */
export function zoomedKey(
  pane: PaneUi,
  extent: PaneExtent,
  action: OutputAction | undefined,
): PaneUi {
  const page = Math.max(1, extent.page - 1);
  switch (action) {
    case "up":
      return scrollPane(pane, extent, 1);
    case "down":
      return scrollPane(pane, extent, -1);
    case "pageUp":
      return scrollPane(pane, extent, page);
    case "pageDown":
      return scrollPane(pane, extent, -page);
    case "close":
      return { ...pane, zoomed: false };
    default:
      return pane;
  }
}
