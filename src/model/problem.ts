import { terminalSafe } from "./terminal-text.js";

/** A position in a source file, 1-based like editors show it. */
export interface Location {
  file: string;
  line: number;
  col: number;
}

export type Severity = "error" | "warning";

/** Something wrong with an input file, pinned to the node the user has to edit. */
export interface Problem extends Location {
  /** Field path such as `faults[0].attributes.latency`; empty when the problem is the file itself. */
  path: string;
  message: string;
  severity: Severity;
  /** Stable name of the lint rule or loader check, for filtering and `--json` consumers. */
  rule: string;
}

export type PathSegment = string | number;

/** Renders `["faults", 0, "toxic"]` as `faults[0].toxic`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/**
 * `file:line:col: field.path: message`, the shape editors and CI annotators understand. One
 * line, safe for a terminal: messages quote what files say, control characters included.
 */
export function formatProblem(problem: Problem): string {
  const where = `${problem.file}:${problem.line}:${problem.col}`;
  const field = problem.path === "" ? "" : `${problem.path}: `;
  const tag = problem.severity === "warning" ? "warning: " : "";
  return terminalSafe(`${where}: ${tag}${field}${problem.message}`, true);
}

export function compareProblems(a: Problem, b: Problem): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.col - b.col;
}
