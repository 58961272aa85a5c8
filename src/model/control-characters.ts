import type { PathSegment, Problem } from "./problem.js";
import { type Locate, problemAt } from "./source.js";
import { codePoint, unsafeCharIn } from "./terminal-text.js";

/**
 * Refuses terminal control characters anywhere in a file's text (keys and values, after
 * `${VAR}` interpolation): they would reach the terminal through `list`, `run` and the TUI.
 * Depth is bounded by the parser's nesting cap.
 */
export function controlCharacterProblems(value: unknown, locate: Locate): Problem[] {
  const out: Problem[] = [];
  const report = (path: PathSegment[], char: string, part?: "key") =>
    out.push(
      problemAt(
        locate(path, part),
        [...path],
        `contains the control character ${codePoint(char)}; terminal control characters are not allowed in text (write the text without it)`,
        "text",
      ),
    );
  const walk = (node: unknown, path: PathSegment[]): void => {
    if (typeof node === "string") {
      const char = unsafeCharIn(node);
      if (char !== undefined) report(path, char);
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, index) => {
        walk(item, [...path, index]);
      });
      return;
    }
    if (node !== null && typeof node === "object") {
      for (const [key, item] of Object.entries(node)) {
        const char = unsafeCharIn(key);
        if (char !== undefined) report([...path, key], char, "key");
        else walk(item, [...path, key]);
      }
    }
  };
  walk(value, []);
  return out;
}
