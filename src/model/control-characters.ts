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
  const report = (at: PathSegment[], char: string, part?: "key") =>
    out.push(
      problemAt(
        locate([...at], part),
        [...at],
        `contains the control character ${codePoint(char)}; terminal control characters are not allowed in text (write the text without it)`,
        "text",
      ),
    );
  // One path stack pushed and popped while walking: copied only when reporting.
  const path: PathSegment[] = [];
  const walk = (node: unknown): void => {
    if (typeof node === "string") {
      const char = unsafeCharIn(node);
      if (char !== undefined) report(path, char);
      return;
    }
    if (Array.isArray(node)) {
      for (let index = 0; index < node.length; index++) {
        path.push(index);
        walk(node[index]);
        path.pop();
      }
      return;
    }
    if (node !== null && typeof node === "object") {
      for (const key of Object.keys(node)) {
        path.push(key);
        const char = unsafeCharIn(key);
        if (char !== undefined) report(path, char, "key");
        else walk((node as Record<string, unknown>)[key]);
        path.pop();
      }
    }
  };
  walk(value);
  return out;
}
