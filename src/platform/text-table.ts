/**
 * Text cut and aligned to columns: the tables of line output (list, lint, demo, history) and the
 * cells of the TUI's panels. A width counts UTF-16 units without colour codes: one per letter,
 * two per emoji, as a terminal shows most of them.
 */
import { bold } from "./colour.js";

const SGR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

/** Columns `text` takes (colour codes do not count). */
export function textWidth(text: string): number {
  return text.replace(SGR, "").length;
}

/**
 * Cuts to `width` columns with an ellipsis, never through an emoji. A cell is one line: line
 * breaks inside it (YAML block text) become one space.
 */
export function clip(text: string, width: number): string {
  if (width <= 0) return "";
  const flat = text.replace(/\s*\n\s*/g, " ");
  if (flat.length <= width) return flat;
  if (width === 1) return "…";
  const cut = flat.slice(0, width - 1);
  return `${/[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut}…`;
}

/** Clipped, then filled with spaces to exactly `width` columns. */
export function pad(text: string, width: number): string {
  const cut = clip(text, width);
  return cut + " ".repeat(Math.max(0, width - cut.length));
}

export interface TableOptions {
  /** Bold the header row (only when colour is allowed: see `colorAllowed`). */
  color?: boolean;
  /** Terminal width; the `shrink` column is cut with `…` to fit. Omitted: never cut. */
  width?: number;
  /** Index of the column that gives up space when the table is too wide. */
  shrink?: number;
  /** Indices of right-aligned columns (numbers). */
  right?: readonly number[];
}

/** Rows under headers, columns two spaces apart, no trailing spaces. */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  options: TableOptions = {},
): string {
  return tableLines(headers, rows, options).join("\n");
}

/** The lines of `renderTable`, for output assembled line by line. */
export function tableLines(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  options: TableOptions = {},
): string[] {
  const widths = headers.map((header, column) =>
    Math.max(textWidth(header), ...rows.map((row) => textWidth(row[column] ?? ""))),
  );
  if (options.width !== undefined && options.shrink !== undefined) {
    const total = widths.reduce((sum, w) => sum + w, 0) + 2 * (widths.length - 1);
    const over = total - options.width;
    const current = widths[options.shrink];
    if (over > 0 && current !== undefined) {
      widths[options.shrink] = Math.max(
        textWidth(headers[options.shrink] ?? ""),
        current - over,
        8,
      );
    }
  }
  const right = new Set(options.right ?? []);
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        const text = textWidth(cell) > width ? clip(cell, width) : cell;
        const fill = " ".repeat(Math.max(0, width - textWidth(text)));
        if (column === cells.length - 1 && !right.has(column)) return text;
        return right.has(column) ? fill + text : text + fill;
      })
      .join("  ")
      .replace(/\s+$/, "");
  const header = line(headers);
  return [bold(header, options.color ?? false), ...rows.map(line)];
}
