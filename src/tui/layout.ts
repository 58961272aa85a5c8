/**
 * The cockpit's geometry. Every panel gets a fixed height so the frame is always
 * exactly `rows - 1` lines: ink clears the whole terminal (a visible flicker) on every frame once
 * its output reaches the terminal's height, and anything taller would scroll.
 */
export interface CockpitLayout {
  width: number;
  height: number;
  header: number;
  /** left column (signals over probes) and right column (runbook) */
  leftWidth: number;
  rightWidth: number;
  body: number;
  signals: number;
  /** the facilitator's panel (faults, next signal), 0 when not shown */
  facilitator: number;
  probes: number;
  bottom: number;
  footer: number;
}

export const MIN_COLS = 60;
export const MIN_ROWS = 16;

/** Bordered panels lose two rows and two columns to the border. */
export const BORDER = 2;

/** A bordered panel with a title line holding `content` lines. */
export function panelHeight(content: number): number {
  return content + BORDER + 1;
}

/** The command pane never gets less than two lines; the panels never less than this when they can. */
const MIN_BOTTOM = panelHeight(2);
const MIN_BODY = 10;
const MAX_PROBE_ROWS = 6;

/** How many lines each part of the cockpit would use, to share the rows out by need. */
export interface CockpitNeeds {
  /** lines of the signals feed (every signal, wrapped as the panel wraps it) */
  signals: number;
  /** probes listed (gameday), 0 for no probe panel */
  probes: number;
  /** lines of the facilitator's panel, 0 without `--facilitator` */
  facilitator: number;
  /** lines of the runbook panel (the list and the step's details) */
  runbook: number;
  /** lines of the command pane (output, question, hint) */
  pane: number;
  /**
   * a command's output is on show: the pane takes every row the panels do not need (down to half
   * the screen), fixed while the output streams rather than growing line by line
   */
  command: boolean;
}

const NO_NEEDS: CockpitNeeds = {
  signals: 0,
  probes: 0,
  facilitator: 0,
  runbook: 0,
  pane: 0,
  command: false,
};

/**
 * Cockpit geometry for a terminal size. The panels get the rows they need and the command pane the
 * rest: its output is what the responder reads when it is on show, and idle it takes one line.
 */
export function cockpitLayout(
  cols: number,
  rows: number,
  footerRows: number,
  needs: Partial<CockpitNeeds> = {},
): CockpitLayout {
  const need = { ...NO_NEEDS, ...needs };
  const width = Math.max(MIN_COLS, cols);
  const height = Math.max(MIN_ROWS, rows) - 1;
  const header = 2;
  const footer = Math.max(1, Math.min(4, footerRows));
  const avail = height - header - footer;
  const probesWanted = need.probes === 0 ? 0 : panelHeight(Math.min(need.probes, MAX_PROBE_ROWS));
  const facilitatorWanted = need.facilitator === 0 ? 0 : panelHeight(need.facilitator);
  const left = panelHeight(Math.max(1, need.signals)) + probesWanted + facilitatorWanted;
  const bodyNeed = Math.max(left, panelHeight(need.runbook));
  const smallest = Math.max(0, Math.min(MIN_BODY, avail - MIN_BOTTOM));
  // With output on show the panels give up rows down to half the screen; otherwise only what
  // the pane's question or hint needs.
  const squeezed = need.command
    ? Math.min(bodyNeed, Math.max(smallest, Math.ceil(avail / 2)))
    : bodyNeed;
  const bodyFloor = Math.max(smallest, squeezed);
  const bottomMost = Math.max(MIN_BOTTOM, avail - bodyFloor);
  const bottomWanted = need.command ? bottomMost : panelHeight(need.pane);
  const bottom = Math.max(MIN_BOTTOM, Math.min(bottomWanted, bottomMost));
  const body = avail - bottom;
  const leftWidth = Math.floor(width * (width >= 140 ? 0.5 : 0.46));
  const rightWidth = width - leftWidth;
  const probes = Math.min(probesWanted, Math.max(0, Math.floor(body / 2)));
  // The facilitator's panel takes up to half of what the probes leave, the signals the rest.
  const spare = Math.floor((body - probes) / 2);
  const facilitatorRows = Math.min(facilitatorWanted, Math.max(0, spare));
  const facilitator = facilitatorRows >= panelHeight(1) ? facilitatorRows : 0;
  return {
    width,
    height,
    header,
    leftWidth,
    rightWidth,
    body,
    signals: body - probes - facilitator,
    facilitator,
    probes,
    bottom,
    footer,
  };
}

/** The slice of a list that keeps `cursor` visible in `size` rows, scrolling as little as possible. */
export function windowAround(
  length: number,
  cursor: number,
  size: number,
): { start: number; end: number } {
  if (size <= 0) return { start: 0, end: 0 };
  if (length <= size) return { start: 0, end: length };
  const half = Math.floor(size / 2);
  const start = Math.max(0, Math.min(length - size, cursor - half));
  return { start, end: start + size };
}
