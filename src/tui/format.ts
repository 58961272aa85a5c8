import { stripVTControlCharacters } from "node:util";
import { clip } from "../platform/text-table.js";
import type { LineEdit } from "./line-edit.js";

export { clock } from "../model/duration.js";

/** How long ago, compact: `now`, `12s`, `3m`, `2h`. */
export function ago(ms: number): string {
  if (ms < 1000) return "now";
  if (ms < 60_000) return `${Math.floor(ms / 1000)}s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)}m`;
  return `${Math.floor(ms / 3_600_000)}h`;
}

/** Calendar distance for "last drilled": `today`, `3d ago`, `5w ago`. */
export function daysAgo(iso: string | undefined, nowMs: number): string {
  if (iso === undefined) return "never";
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return "?";
  const days = Math.floor((nowMs - then) / 86_400_000);
  if (days <= 0) return "today";
  if (days < 14) return `${days}d ago`;
  if (days < 120) return `${Math.floor(days / 7)}w ago`;
  return `${Math.floor(days / 30)}mo ago`;
}

/**
 * Word-wraps to `width`, at most `maxLines` lines (the last one ellipsised). Single newlines are
 * YAML block-text line breaks and flow on; a blank line starts a new paragraph.
 */
export function wrap(text: string, width: number, maxLines = Number.POSITIVE_INFINITY): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split(/\n\s*\n/)) {
    if (lines.length > 0) lines.push("");
    let line = "";
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line === "") line = word;
      else if (line.length + 1 + word.length <= width) line += ` ${word}`;
      else {
        lines.push(line);
        line = word;
      }
    }
    lines.push(line);
  }
  while (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  const fitted = lines.map((l) => clip(l, width));
  if (fitted.length <= maxLines) return fitted;
  const kept = fitted.slice(0, maxLines);
  kept[maxLines - 1] = clip(`${kept[maxLines - 1]} …`, width);
  return kept;
}

/** A text field with its caret drawn as a block. */
export function withCaret(line: LineEdit): string {
  return `${line.text.slice(0, line.caret)}█${line.text.slice(line.caret)}`;
}

/** Control characters left in command output would move the cursor in the frame. */
function printable(text: string): string {
  let out = "";
  for (const ch of stripVTControlCharacters(text)) {
    if (ch === "\t") out += "  ";
    else if (ch >= " " && ch !== "\u007f") out += ch;
  }
  return out;
}

/**
 * One line of command output folded to `width` columns, every character kept (a line of JSON
 * has to be read to its end): breaks at the last space of a row when there is one in its second
 * half, otherwise mid-word.
 */
export function foldLine(text: string, width: number): string[] {
  if (width <= 0) return [];
  const rows: string[] = [];
  let rest = printable(text).trimEnd();
  while (rest.length > width) {
    const space = rest.lastIndexOf(" ", width);
    const cut = space > width / 2 ? space : width;
    rows.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^ /, "");
  }
  rows.push(rest);
  return rows;
}

/**
 * Cuts to `width` columns in the middle, so names that share a start stay apart
 * (`payments-pro…-timeout`, `payments-rec…-bandwidth`).
 */
export function clipMiddle(text: string, width: number): string {
  if (text.length <= width) return text;
  if (width <= 2) return clip(text, width);
  const tail = Math.floor((width - 1) / 2);
  const head = width - 1 - tail;
  return `${text.slice(0, head)}…${text.slice(text.length - tail)}`;
}
