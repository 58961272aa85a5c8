/**
 * Cockpit geometry for a terminal size. Every panel gets a fixed height so the frame is always
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
  probes: number;
  bottom: number;
  footer: number;
}

export const MIN_COLS = 60;
export const MIN_ROWS = 16;

/** Bordered panels lose two rows and two columns to the border. */
export const BORDER = 2;

export function cockpitLayout(
  cols: number,
  rows: number,
  probeCount: number,
  footerRows: number,
  /** a command's output is on show: on a short terminal its pane takes rows from the panels */
  commandShown = false,
): CockpitLayout {
  const width = Math.max(MIN_COLS, cols);
  const height = Math.max(MIN_ROWS, rows) - 1;
  const header = 2;
  const footer = Math.max(1, Math.min(4, footerRows));
  const base = height >= 40 ? 10 : height >= 30 ? 8 : footer > 2 ? 5 : 6;
  const bottom = commandShown && height < 30 ? base + 3 : base;
  const body = height - header - footer - bottom;
  const leftWidth = Math.floor(width * (width >= 140 ? 0.5 : 0.46));
  const rightWidth = width - leftWidth;
  const wantedProbes = probeCount === 0 ? 0 : Math.min(probeCount, 6) + BORDER + 1;
  const probes = Math.min(wantedProbes, Math.max(0, Math.floor(body / 2)));
  return {
    width,
    height,
    header,
    leftWidth,
    rightWidth,
    body,
    signals: body - probes,
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
