import { RE2JS } from "re2js";
import { z } from "zod";

/**
 * Regular expressions a user writes (probe `bodyMatches`, `outputMatches`, …) run on RE2, whose
 * matching time is linear in the text: JavaScript's backtracking engine takes exponential time
 * on patterns like `^(a+)+$`, and a probe that never returns freezes the drill with its fault
 * applied. RE2 has no lookaround and no backreferences; everything else users write works alike.
 */
export interface UserPattern {
  readonly source: string;
  /** Whether the pattern matches anywhere in `text` (as RegExp.prototype.test). */
  test(text: string): boolean;
}

export const PATTERN_SYNTAX =
  "RE2 syntax: no lookahead, lookbehind or backreferences, so matching takes linear time";

const FLAGS: Record<string, number> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
};

/** Compiles a user's pattern; the error says why it is not valid, in RE2's words. */
export function compilePattern(
  source: string,
  flags = "",
): { ok: true; pattern: UserPattern } | { ok: false; error: string } {
  let bits = 0;
  for (const flag of flags) {
    const bit = FLAGS[flag];
    if (bit === undefined) return { ok: false, error: `unknown flag "${flag}" (use i, m or s)` };
    bits |= bit;
  }
  try {
    const compiled = RE2JS.compile(source, bits);
    return { ok: true, pattern: { source, test: (text) => compiled.test(text) } };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: message.replace(/^error parsing regexp: /, "") };
  }
}

const cache = new Map<string, UserPattern>();
const CACHE_LIMIT = 256;

/**
 * A pattern already validated at load time (the schema's `Pattern`), compiled once per source:
 * probes match the same few patterns every second.
 */
export function userPattern(source: string): UserPattern {
  let pattern = cache.get(source);
  if (pattern === undefined) {
    const compiled = compilePattern(source);
    // Unreachable for a loaded scenario; a pattern that matches nothing keeps a probe failing.
    pattern = compiled.ok ? compiled.pattern : { source, test: () => false };
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(source, pattern);
  }
  return pattern;
}

/** A regular expression field: refused at load time unless RE2 compiles it. */
export const Pattern = z
  .string()
  .superRefine((source, ctx) => {
    const compiled = compilePattern(source);
    if (!compiled.ok) {
      ctx.addIssue({
        code: "custom",
        message: `${JSON.stringify(source)} is not a valid regular expression: ${compiled.error} (${PATTERN_SYNTAX})`,
      });
    }
  })
  .meta({ description: `a regular expression (${PATTERN_SYNTAX})` });
