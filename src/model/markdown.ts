import type { LoadOptions } from "./load.js";
import type { Location, PathSegment, Problem } from "./problem.js";
import { STEP_KINDS } from "./runbook.js";
import { interpolateValue, type ParseResult, parseYaml, problemAt } from "./source.js";
import { didYouMean } from "./suggest.js";

/**
 * Markdown runbooks: YAML front matter (service, owner, escalation, monitoring, reviewed), then
 *
 *   ## Procedure title {#procedure-id}
 *   Optional description paragraph.
 *   - [check] Step title {#step-id .optional timeout=30s}
 *     Indented text is the step's notes.
 *     ```sh
 *     the step's command, run with a shell
 *     ```
 *
 * Ids default to the slugified title. See docs/formats.md.
 */

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const ITEM = /^[-*+]\s+(.*)$/;
const ATTRIBUTES = /\s*\{([^{}]*)\}\s*$/;
const FENCE = /^(`{3,}|~{3,})(.*)$/;
const STEP_ATTRIBUTES = ["#id", ".optional", "timeout=<duration>"];

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

interface Draft {
  id?: string;
  title: string;
  attributes: string[];
  attributesCol: number;
}

/** Splits `Title {#id .optional}` into the title and its attribute tokens. */
function splitAttributes(text: string, col: number): Draft {
  const match = ATTRIBUTES.exec(text);
  if (!match) return { title: text.trim(), attributes: [], attributesCol: col };
  const tokens = match[1]!.trim().split(/\s+/).filter(Boolean);
  const id = tokens.find((t) => t.startsWith("#"))?.slice(1);
  return {
    ...(id !== undefined ? { id } : {}),
    title: text.slice(0, match.index).trim(),
    attributes: tokens.filter((t) => !t.startsWith("#")),
    attributesCol: col + match.index + match[0].indexOf("{"),
  };
}

interface StepDraft {
  value: Record<string, unknown>;
  notes: string[];
  hasRun: boolean;
  lastLineBlank: boolean;
}

export function parseMarkdownRunbook(
  text: string,
  file: string,
  options: LoadOptions = {},
): ParseResult {
  const lines = text.split(/\r?\n/);
  const at = (line: number, col = 1): Location => ({ file, line, col });
  const problems: Problem[] = [];
  if (lines[0]?.trim() !== "---") {
    return {
      problems: [
        problemAt(
          at(1),
          [],
          "a Markdown runbook starts with YAML front matter between --- lines (service, owner, escalation, monitoring, reviewed)",
          "markdown",
        ),
      ],
    };
  }
  const close = lines.findIndex((line, index) => index > 0 && /^(---|\.\.\.)\s*$/.test(line));
  if (close < 0) {
    return {
      problems: [
        problemAt(at(1), [], "front matter is not closed; end it with a --- line", "markdown"),
      ],
    };
  }
  const front = parseYaml(lines.slice(1, close).join("\n"), file, {
    ...options,
    lineOffset: 1,
    expected: "front matter with service and owner",
  });
  if (!front.source) return front;
  const frontValue = front.source.value;
  if (frontValue === null || typeof frontValue !== "object" || Array.isArray(frontValue)) {
    return {
      problems: [
        problemAt(at(2), [], "front matter must be a mapping (service: …, owner: …)", "markdown"),
      ],
    };
  }
  const runbook = frontValue as Record<string, unknown>;
  if ("procedures" in runbook) {
    problems.push(
      problemAt(
        front.source.locate(["procedures"], "key"),
        ["procedures"],
        "in a Markdown runbook procedures are `## Title {#id}` headings below the front matter, not front matter",
        "markdown",
      ),
    );
  }

  const positions = new Map<string, Location>();
  const key = (path: readonly PathSegment[]) => path.join("\u001f");
  const mark = (path: PathSegment[], location: Location) => positions.set(key(path), location);

  const procedures: Record<string, unknown>[] = [];
  let procedure:
    | { value: Record<string, unknown>; steps: Record<string, unknown>[]; description: string[] }
    | undefined;
  let step: StepDraft | undefined;
  const finishStep = () => {
    if (step && step.notes.length > 0) step.value.notes = step.notes.join("\n").trim();
    step = undefined;
  };
  const finishProcedure = () => {
    finishStep();
    if (procedure && procedure.description.length > 0) {
      procedure.value.description = procedure.description.join("\n").trim();
    }
    procedure = undefined;
  };

  let fence: { marker: string; indent: number } | undefined;
  let code: string[] = [];
  let codeStart = 0;
  for (let index = close + 1; index < lines.length; index++) {
    const line = lines[index]!;
    const lineNo = index + 1;
    if (fence) {
      if (line.trim().startsWith(fence.marker) && line.trim().replace(/[`~]/g, "") === "") {
        if (step) {
          const stepIndex = procedure!.steps.length - 1;
          const base: PathSegment[] = ["procedures", procedures.length - 1, "steps", stepIndex];
          if (step.hasRun) {
            problems.push(
              problemAt(
                at(codeStart, fence.indent + 1),
                [...base, "run"],
                "a step has one command; merge the code blocks or split the step",
                "markdown",
              ),
            );
          } else {
            step.value.run = code.join("\n");
            step.value.shell = true;
            step.hasRun = true;
            mark([...base, "run"], at(codeStart + 1, fence.indent + 1));
          }
        }
        fence = undefined;
        continue;
      }
      code.push(line.slice(Math.min(fence.indent, line.length - line.trimStart().length)));
      continue;
    }
    const indent = line.length - line.trimStart().length;
    const trimmed = line.trim();
    const fenceMatch = FENCE.exec(trimmed);
    if (fenceMatch) {
      // A fence at the margin ends the step: its content is prose, skipped so `#` lines in it are
      // not taken for headings.
      if (!(step && indent >= 2)) finishStep();
      fence = { marker: fenceMatch[1]!, indent };
      code = [];
      codeStart = lineNo;
      continue;
    }
    const heading = indent === 0 ? HEADING.exec(line) : null;
    if (heading) {
      const level = heading[1]!.length;
      const textCol = line.indexOf(heading[2]!) + 1;
      if (level === 1) {
        finishProcedure();
        if (runbook.title === undefined) {
          runbook.title = heading[2];
          mark(["title"], at(lineNo, textCol));
        }
        continue;
      }
      if (level === 2) {
        finishProcedure();
        const draft = splitAttributes(heading[2]!, textCol);
        const pIndex = procedures.length;
        const value: Record<string, unknown> = {
          id: draft.id ?? slugify(draft.title),
          title: draft.title,
          steps: [],
        };
        procedures.push(value);
        procedure = { value, steps: value.steps as Record<string, unknown>[], description: [] };
        mark(["procedures", pIndex], at(lineNo));
        mark(["procedures", pIndex, "title"], at(lineNo, textCol));
        mark(
          ["procedures", pIndex, "id"],
          at(lineNo, draft.id !== undefined ? draft.attributesCol : textCol),
        );
        for (const token of draft.attributes) {
          problems.push(
            problemAt(
              at(lineNo, draft.attributesCol),
              ["procedures", pIndex],
              `unknown heading attribute "${token}"; a procedure heading takes only {#id}`,
              "markdown",
            ),
          );
        }
        continue;
      }
      finishStep();
      continue;
    }
    if (trimmed === "") {
      if (step) step.lastLineBlank = true;
      continue;
    }
    const item = indent === 0 ? ITEM.exec(line) : null;
    if (item) {
      finishStep();
      if (!procedure) {
        problems.push(
          problemAt(
            at(lineNo),
            [],
            "a step must be under a procedure heading (## Title {#id})",
            "markdown",
          ),
        );
        continue;
      }
      const pIndex = procedures.length - 1;
      const sIndex = procedure.steps.length;
      const base: PathSegment[] = ["procedures", pIndex, "steps", sIndex];
      const bodyCol = line.indexOf(item[1]!) + 1;
      const kindMatch = /^\[([^\]]*)\]\s*/.exec(item[1]!);
      const rest = kindMatch ? item[1]!.slice(kindMatch[0].length) : item[1]!;
      const restCol = bodyCol + (kindMatch ? kindMatch[0].length : 0);
      const draft = splitAttributes(rest, restCol);
      const value: Record<string, unknown> = {
        id: draft.id ?? slugify(draft.title),
        kind: kindMatch ? kindMatch[1]!.trim() : undefined,
        title: draft.title,
      };
      mark(base, at(lineNo));
      mark([...base, "kind"], at(lineNo, bodyCol));
      mark([...base, "title"], at(lineNo, restCol));
      mark([...base, "id"], at(lineNo, draft.id !== undefined ? draft.attributesCol : restCol));
      if (!kindMatch) {
        problems.push(
          problemAt(
            at(lineNo, bodyCol),
            [...base, "kind"],
            `a step starts with its kind in brackets: - [${STEP_KINDS.join("|")}] Title`,
            "markdown",
          ),
        );
      }
      for (const token of draft.attributes) {
        const [name, raw] = token.split("=", 2);
        if (token === ".optional") value.optional = true;
        else if (name === "timeout" && raw !== undefined) {
          value.timeout = raw;
          mark([...base, "timeout"], at(lineNo, draft.attributesCol));
        } else {
          problems.push(
            problemAt(
              at(lineNo, draft.attributesCol),
              base,
              `unknown step attribute "${token}"${didYouMean(token, [".optional", "timeout="])}; valid: ${STEP_ATTRIBUTES.join(", ")}`,
              "markdown",
            ),
          );
        }
      }
      procedure.steps.push(value);
      step = { value, notes: [], hasRun: false, lastLineBlank: false };
      continue;
    }
    if (step && (indent >= 2 || !step.lastLineBlank)) {
      step.notes.push(trimmed);
      step.lastLineBlank = false;
      if (step.notes.length === 1) {
        const sIndex = procedure!.steps.length - 1;
        mark(
          ["procedures", procedures.length - 1, "steps", sIndex, "notes"],
          at(lineNo, indent + 1),
        );
      }
      continue;
    }
    if (procedure && procedure.steps.length === 0) {
      procedure.description.push(trimmed);
      if (procedure.description.length === 1) {
        mark(["procedures", procedures.length - 1, "description"], at(lineNo));
      }
    }
    finishStep();
  }
  finishProcedure();
  if (fence) {
    problems.push(
      problemAt(
        at(codeStart, fence.indent + 1),
        [],
        "code block is not closed; end it with a matching fence line",
        "markdown",
      ),
    );
  }
  const frontLocate = front.source.locate;
  const locate = (path: readonly PathSegment[], part?: "key" | "value"): Location => {
    if (path[0] !== "procedures" && path[0] !== "title") return frontLocate(path, part);
    if (path[0] === "title" && !positions.has(key(["title"]))) return frontLocate(path, part);
    for (let length = path.length; length > 0; length--) {
      const found = positions.get(key(path.slice(0, length)));
      if (found) return found;
    }
    return procedures.length > 0 ? at(close + 2) : at(close + 1);
  };
  runbook.procedures = interpolateValue(
    procedures,
    ["procedures"],
    options.env ?? process.env,
    (path, name) =>
      problems.push(
        problemAt(
          locate(path),
          path,
          `environment variable ${name} is not set; set it or give a default: \${${name}:-value}`,
          "env",
        ),
      ),
  );
  // Structural problems travel with the source: the loader merges them with schema problems.
  return { source: { file, value: runbook, locate }, problems };
}
