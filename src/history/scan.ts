import { resolve } from "node:path";
import type { JournalHeader } from "../drill/journal-format.js";
import { parseJournal, type ReadResult, readJournalText } from "../drill/journal-reader.js";
import type { DrillRecord } from "../drill/journal-record.js";

export interface ScanOptions {
  /** Decide from a journal's header, and which file it is, whether the rest is worth parsing. */
  accept?: (header: JournalHeader, file: string) => boolean;
  /** As for readJournalFiles: false checks event lines instead of parsing them. */
  digest?: boolean;
  /** Whether `candidate` should replace `best` as the drill returned with its events. */
  prefer?: (candidate: DrillRecord, best: DrillRecord | null) => boolean;
}

export interface ScanResult extends ReadResult {
  /** The drill `prefer` settled on, with its events; null when it took none. */
  chosen: DrillRecord | null;
}

/**
 * Reads each journal file once. Drills come back without their events, which only a post-drill
 * report's timeline needs: the one drill `prefer` settles on is parsed again, with its events,
 * from the text already read, so a report never opens a journal twice.
 */
export function scanJournals(files: readonly string[], options: ScanOptions = {}): ScanResult {
  const result: ScanResult = { drills: [], problems: [], refused: [], chosen: null };
  const seen = new Set<string>();
  let best: { drill: DrillRecord; text: string } | null = null;
  for (const file of files) {
    // The same journal given twice (as an argument and in the journal dir) is read once.
    if (seen.has(resolve(file))) continue;
    seen.add(resolve(file));
    const text = readJournalText(file, result);
    if (text === undefined) continue;
    const { accept } = options;
    const drill = parseJournal(text, file, result, {
      ...(options.digest === undefined ? {} : { digest: options.digest }),
      ...(accept ? { accept: (header: JournalHeader) => accept(header, file) } : {}),
    });
    if (!drill) continue;
    result.drills.push(drill);
    if (options.prefer?.(drill, best?.drill ?? null)) best = { drill, text };
  }
  result.drills.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  if (best) {
    // Its problems were reported by the first parse.
    const again = parseJournal(
      best.text,
      best.drill.file,
      { problems: [], refused: [] },
      {
        keepEvents: true,
      },
    );
    result.chosen = again ?? best.drill;
  }
  return result;
}
