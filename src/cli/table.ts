/** Plain-text tables for line output: aligned columns, optional bold header, width-aware. */

export interface TableOptions {
  /** Bold the header row (only when colour is allowed: see `useColor`). */
  color?: boolean;
  /** Terminal width; the `shrink` column is cut with `…` to fit. Omitted: never truncate. */
  width?: number;
  /** Index of the column that gives up space when the table is too wide. */
  shrink?: number;
  /** Indices of right-aligned columns (numbers). */
  right?: readonly number[];
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

/** Display width of plain text (escape codes do not count). */
export function textWidth(text: string): number {
  return [...text.replace(ANSI, "")].length;
}

export function truncate(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 1) return chars.slice(0, width).join("");
  return `${chars.slice(0, width - 1).join("")}…`;
}

export function bold(text: string, color: boolean): string {
  return color ? `\u001b[1m${text}\u001b[22m` : text;
}

export function paint(
  text: string,
  code: "red" | "yellow" | "green" | "dim",
  color: boolean,
): string {
  if (!color) return text;
  const open = { red: 31, yellow: 33, green: 32, dim: 2 }[code];
  const close = code === "dim" ? 22 : 39;
  return `\u001b[${open}m${text}\u001b[${close}m`;
}

/** Renders rows under headers, columns separated by two spaces, no trailing spaces. */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  options: TableOptions = {},
): string {
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
        const text = textWidth(cell) > width ? truncate(cell, width) : cell;
        const pad = " ".repeat(Math.max(0, width - textWidth(text)));
        if (column === cells.length - 1 && !right.has(column)) return text;
        return right.has(column) ? pad + text : text + pad;
      })
      .join("  ")
      .replace(/\s+$/, "");
  const header = line(headers);
  return [bold(header, options.color ?? false), ...rows.map(line)].join("\n");
}
