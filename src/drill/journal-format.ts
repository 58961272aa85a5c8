// The journal's lines are defined once, as its schema: model/journal-file.ts.
import {
  type JournalEventLine,
  type JournalHeader,
  type JournalSummary,
  RESPONDER_KINDS,
  type ResponderKind,
} from "../model/journal-file.js";

export {
  JOURNAL_SCHEMA,
  type JournalEventLine,
  type JournalHeader,
  type JournalSummary,
  type Outcome,
  RESPONDER_KINDS,
  type ResponderKind,
  type ScoreItem,
} from "../model/journal-file.js";

/** Below this, an acknowledgement after the first fault was a driver's, not a person's. */
export const MACHINE_ACK_MS = 50;

/**
 * The header's responderKind; for a journal written before it was recorded: \`auto\` or \`script\`
 * when the responder is named so, \`auto\` when the drill was acknowledged under 50 ms after the
 * first fault (the old \`--auto\` did so in 1–3 ms; no person reads a screen that fast), else a
 * person.
 */
export function responderKindOf(
  header: Pick<JournalHeader, "responder" | "responderKind">,
  tta: number | null,
): ResponderKind {
  if (header.responderKind !== undefined && RESPONDER_KINDS.includes(header.responderKind))
    return header.responderKind;
  const name = header.responder.trim().toLowerCase();
  if (name === "auto" || name === "firedrill-auto") return "auto";
  if (name === "script" || name === "firedrill-script") return "script";
  if (tta !== null && tta < MACHINE_ACK_MS) return "auto";
  return "person";
}

export type JournalLine = JournalHeader | JournalEventLine | JournalSummary;
