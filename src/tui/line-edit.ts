import type { KeyPress } from "./keys.js";

/** A one-line text field's state: the text and the caret position. */
export interface LineEdit {
  text: string;
  caret: number;
}

export const emptyLine: LineEdit = { text: "", caret: 0 };

export function lineOf(text: string): LineEdit {
  return { text, caret: text.length };
}

/**
 * Applies one keypress to a text field. Enter and Esc are the caller's business and leave the
 * field as it is; so do other control keys. Pasted text arrives as one multi-character input.
 */
export function editLine(state: LineEdit, input: string, key: KeyPress): LineEdit {
  const { text, caret } = state;
  if (key.return || key.escape || key.tab || key.upArrow || key.downArrow) return state;
  if (key.leftArrow) return { text, caret: Math.max(0, caret - 1) };
  if (key.rightArrow) return { text, caret: Math.min(text.length, caret + 1) };
  if (key.backspace || key.delete) {
    // Terminals send DEL (0x7f) for Backspace, which ink reports as `delete`: both erase leftwards.
    if (caret === 0) return state;
    return { text: text.slice(0, caret - 1) + text.slice(caret), caret: caret - 1 };
  }
  if (key.ctrl) {
    if (input === "u") return emptyLine;
    if (input === "a") return { text, caret: 0 };
    if (input === "e") return { text, caret: text.length };
    if (input === "w") {
      const before = text.slice(0, caret).replace(/\S+\s*$/, "");
      return { text: before + text.slice(caret), caret: before.length };
    }
    return state;
  }
  if (key.meta) return state;
  const printable = [...input].filter((ch) => ch >= " " && ch !== "\u007f").join("");
  if (printable === "") return state;
  return {
    text: text.slice(0, caret) + printable + text.slice(caret),
    caret: caret + printable.length,
  };
}
