import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { isMap, isSeq, parse, parseDocument } from "yaml";
import { commandKind } from "./command-kind.js";
import type { OffRunbookDrift } from "./drift.js";

export interface RunbookSource {
  file: string;
  text: string;
}

/**
 * Finds the runbook file that holds a procedure. This is the seam to the catalog loader in
 * src/model: until that is wired here, YAML runbooks are read minimally from the runbooks dir.
 */
export type RunbookLocator = (service: string, procedure: string) => RunbookSource | null;

function yamlFiles(dir: string, depth = 2): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && depth > 0) files.push(...yamlFiles(path, depth - 1));
    else if (entry.isFile() && /\.ya?ml$/.test(entry.name)) files.push(path);
  }
  return files.sort();
}

/** A locator over a directory of YAML runbooks, preferring the file whose `service` matches. */
export function yamlRunbookLocator(dir: string): RunbookLocator {
  let cache: { file: string; text: string; service: unknown; procedures: string[] }[] | null = null;
  return (service, procedure) => {
    cache ??= yamlFiles(dir).flatMap((file) => {
      try {
        const text = readFileSync(file, "utf8");
        const value = parse(text) as { service?: unknown; procedures?: { id?: unknown }[] } | null;
        const procedures = Array.isArray(value?.procedures)
          ? value.procedures.map((p) => String(p?.id ?? ""))
          : [];
        return [{ file, text, service: value?.service, procedures }];
      } catch {
        return []; // lint reports broken runbooks; a report only needs the good ones
      }
    });
    const holding = cache.filter((r) => r.procedures.includes(procedure));
    const hit = holding.find((r) => r.service === service) ?? holding[0];
    return hit ? { file: hit.file, text: hit.text } : null;
  };
}

const ID_OK = /^[a-z0-9][a-z0-9._-]*$/;

/** A step id from a command's first words: `kubectl rollout restart deploy/x` → `kubectl-rollout-restart`. */
export function stepIdFor(command: string, taken: ReadonlySet<string>): string {
  const words = command
    .toLowerCase()
    .split(/\s+/)
    .map((w) => w.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, ""))
    .filter((w) => w !== "")
    .slice(0, 3);
  let base = words.join("-").slice(0, 40).replace(/-+$/, "");
  if (!ID_OK.test(base)) base = "ad-hoc-step";
  let id = base;
  for (let i = 2; taken.has(id); i++) id = `${base}-${i}`;
  return id;
}

interface Insertion {
  /** Insert after this many original lines. */
  at: number;
  lines: string[];
}

/**
 * A unified diff adding each off-runbook command as a new step of `procedure`, after the step the
 * responders were on when they typed it (else at the end): a `check` when it only reads (see
 * commandKind), else an `action`. Null when the procedure is not in the
 * file or there is nothing to add. Only commands that succeeded at least once are proposed.
 */
export function suggestRunbookPatch(
  source: RunbookSource,
  procedure: string,
  commands: readonly OffRunbookDrift[],
  label = source.file,
): string | null {
  const wanted = commands.filter((c) => c.exitCodes.includes(0));
  if (wanted.length === 0) return null;
  const doc = parseDocument(source.text, { keepSourceTokens: false });
  if (doc.errors.length > 0) return null;
  const procedures = doc.get("procedures", true);
  if (!isSeq(procedures)) return null;
  const proc = procedures.items.find((p) => isMap(p) && p.get("id") === procedure);
  if (!isMap(proc)) return null;
  const steps = proc.get("steps", true);
  if (!isSeq(steps) || steps.items.length === 0) return null;

  const text = source.text.endsWith("\n") ? source.text : `${source.text}\n`;
  const lines = text.slice(0, -1).split("\n");
  const lineStarts: number[] = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") lineStarts.push(i + 1);
  const lineOf = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };

  const taken = new Set<string>();
  const ends = new Map<string, number>();
  let lastEnd = 0;
  let dashIndent = "";
  let keyIndent = "  ";
  for (const [i, item] of steps.items.entries()) {
    if (!isMap(item) || !item.range) return null; // a flow-style list: not worth guessing the layout
    const id = String(item.get("id") ?? "");
    taken.add(id);
    const startLine = lineOf(item.range[0]);
    const endLine = lineOf(Math.max(item.range[0], item.range[1] - 1));
    ends.set(id, endLine + 1);
    lastEnd = endLine + 1;
    if (i === 0) {
      const line = lines[startLine] ?? "";
      const col = item.range[0] - lineStarts[startLine]!;
      const dash = line.lastIndexOf("-", col);
      if (dash === -1) return null;
      dashIndent = line.slice(0, dash);
      keyIndent = " ".repeat(col - dash);
    }
  }

  const insertions = new Map<number, string[]>();
  for (const c of wanted) {
    const id = stepIdFor(c.command, taken);
    taken.add(id);
    const at = (c.afterStep && ends.get(c.afterStep)) || lastEnd;
    const run = c.argv
      ? `[${c.argv.map((a) => JSON.stringify(a)).join(", ")}]`
      : JSON.stringify(c.command);
    const note = `typed off-runbook in ${c.drills} drill${c.drills === 1 ? "" : "s"}${c.afterStep ? ` during step ${c.afterStep}` : ""}; review before merging`;
    const block = [
      `${dashIndent}- id: ${id}`,
      `${dashIndent}${keyIndent}kind: ${commandKind(c.command, c.argv)}`,
      `${dashIndent}${keyIndent}title: ${JSON.stringify(`Run ${c.command}`)}`,
      `${dashIndent}${keyIndent}run: ${run}`,
      ...(c.argv ? [] : [`${dashIndent}${keyIndent}shell: true`]),
      `${dashIndent}${keyIndent}notes: ${JSON.stringify(note)}`,
    ];
    const list = insertions.get(at) ?? [];
    list.push(...block);
    insertions.set(at, list);
  }
  const sorted = [...insertions.entries()]
    .map(([at, added]) => ({ at, lines: added }))
    .sort((a, b) => a.at - b.at);
  return unifiedDiff(lines, sorted, label);
}

/** A unified diff for pure insertions, three lines of context, nearby hunks merged. */
function unifiedDiff(
  lines: readonly string[],
  insertions: readonly Insertion[],
  label: string,
): string {
  const CONTEXT = 3;
  const groups: Insertion[][] = [];
  for (const ins of insertions) {
    const group = groups[groups.length - 1];
    const prev = group?.[group.length - 1];
    if (group && prev && ins.at - prev.at <= CONTEXT * 2) group.push(ins);
    else groups.push([ins]);
  }
  // git's a/ b/ prefixes only make sense for a path relative to the repository.
  const [from, to] = label.startsWith("/") ? [label, label] : [`a/${label}`, `b/${label}`];
  const out = [`--- ${from}`, `+++ ${to}`];
  let added = 0;
  for (const group of groups) {
    const from = Math.max(0, group[0]!.at - CONTEXT);
    const to = Math.min(lines.length, group[group.length - 1]!.at + CONTEXT);
    const body: string[] = [];
    let inserted = 0;
    for (let i = from; i <= to; i++) {
      for (const ins of group) {
        if (ins.at === i) {
          for (const l of ins.lines) body.push(`+${l}`);
          inserted += ins.lines.length;
        }
      }
      if (i < to) body.push(` ${lines[i]}`);
    }
    const oldLen = to - from;
    const oldStart = oldLen === 0 ? from : from + 1;
    out.push(`@@ -${oldStart},${oldLen} +${from + 1 + added},${oldLen + inserted} @@`);
    out.push(...body);
    added += inserted;
  }
  return `${out.join("\n")}\n`;
}
