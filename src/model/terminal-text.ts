/**
 * Characters a terminal acts on instead of showing: C0 controls but tab and newline (ESC starts
 * escape sequences that recolour, move the cursor or retitle the window; BEL rings), DEL, C1
 * controls, and the bidirectional overrides and isolates that make text read differently from
 * what it is (U+202A–U+202E, U+2066–U+2069).
 */
const CONTROLS = "\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069";
const UNSAFE = new RegExp(`[${CONTROLS}]`);
const UNSAFE_ALL = new RegExp(`[${CONTROLS}]`, "g");
const UNSAFE_OR_LINE_BREAK = new RegExp(`[${CONTROLS}\\t\\n]`, "g");

const NAMES: Record<number, string> = {
  7: "BEL",
  8: "BS",
  13: "CR",
  27: "ESC",
  127: "DEL",
  8234: "LRE",
  8235: "RLE",
  8236: "PDF",
  8237: "LRO",
  8238: "RLO",
  8294: "LRI",
  8295: "RLI",
  8296: "FSI",
  8297: "PDI",
};

/** `U+001B (ESC)`: a character as a message names it. */
export function codePoint(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  const hex = code.toString(16).toUpperCase().padStart(4, "0");
  const name = NAMES[code];
  return name ? `U+${hex} (${name})` : `U+${hex}`;
}

function escaped(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (char === "\n") return "\\n";
  if (char === "\t") return "\\t";
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, "0")}`
    : `\\u${code.toString(16).padStart(4, "0")}`;
}

/**
 * Text from files, journals or commands made safe to print: every character a terminal would
 * act on is shown as an escape (`\x1b`, `\u202e`). `singleLine` escapes tab and newline too,
 * for table cells and one-line messages.
 */
export function terminalSafe(text: string, singleLine = false): string {
  return text.replace(singleLine ? UNSAFE_OR_LINE_BREAK : UNSAFE_ALL, escaped);
}

/** The first character of `text` a terminal would act on, or undefined. */
export function unsafeCharIn(text: string): string | undefined {
  return UNSAFE.exec(text)?.[0];
}
