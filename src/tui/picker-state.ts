import { formatDuration } from "../model/duration.js";
import type { CatalogEntry } from "./drill-port.js";
import { daysAgo } from "./format.js";
import { type KeyPress, match, PICKER_KEYS } from "./keys.js";
import { editLine, emptyLine, type LineEdit } from "./line-edit.js";

export interface PickerUi {
  filter: LineEdit;
  cursor: number;
}

export const initialPickerUi: PickerUi = { filter: emptyLine, cursor: 0 };

/** Every word of the filter must appear in the id, title, service, owner or tags. */
export function filterEntries(entries: readonly CatalogEntry[], filter: string): CatalogEntry[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...entries];
  return entries.filter((e) => {
    const haystack = [e.id, e.title, e.service, e.owner ?? "", ...e.tags, ...e.modes]
      .join(" ")
      .toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
}

/** What the picker shows for its filter, and the row under the cursor (kept inside the list). */
export function pickerSelection(
  entries: readonly CatalogEntry[],
  ui: PickerUi,
): { shown: CatalogEntry[]; cursor: number; current: CatalogEntry | undefined } {
  const shown = filterEntries(entries, ui.filter.text);
  const cursor = Math.min(ui.cursor, Math.max(0, shown.length - 1));
  return { shown, cursor, current: shown[cursor] };
}

export type PickerOutcome =
  | { kind: "none" }
  | { kind: "choose"; scenario: string }
  | { kind: "history"; scenario: string }
  | { kind: "quit" };

export interface PickerStep {
  ui: PickerUi;
  outcome: PickerOutcome;
}

/** Typing filters; arrows move; Enter chooses; Tab opens history; Esc clears, then quits. */
export function pickerKey(
  ui: PickerUi,
  entries: readonly CatalogEntry[],
  input: string,
  key: KeyPress,
): PickerStep {
  const { shown, current } = pickerSelection(entries, ui);
  const none: PickerOutcome = { kind: "none" };
  switch (match(PICKER_KEYS, input, key)) {
    case "up":
      return { ui: { ...ui, cursor: Math.max(0, ui.cursor - 1) }, outcome: none };
    case "down":
      return {
        ui: { ...ui, cursor: Math.min(Math.max(0, shown.length - 1), ui.cursor + 1) },
        outcome: none,
      };
    case "choose":
      return { ui, outcome: current ? { kind: "choose", scenario: current.id } : none };
    case "history":
      return { ui, outcome: current ? { kind: "history", scenario: current.id } : none };
    case "clear":
      return { ui: initialPickerUi, outcome: none };
    case "quit":
      if (ui.filter.text !== "") return { ui: initialPickerUi, outcome: none };
      return { ui, outcome: { kind: "quit" } };
    default: {
      const filter = editLine(ui.filter, input, key);
      if (filter === ui.filter) return { ui, outcome: none };
      return { ui: { filter, cursor: 0 }, outcome: none };
    }
  }
}

export interface PickerRow {
  id: string;
  title: string;
  service: string;
  owner: string;
  modes: string;
  target: string;
  last: string;
  lastTtr: string;
}

export function pickerRow(entry: CatalogEntry, nowMs: number): PickerRow {
  return {
    id: entry.id,
    title: entry.title,
    service: entry.service,
    owner: entry.owner ?? "—",
    modes: entry.modes.map((m) => (m === "tabletop" ? "T" : "G")).join(""),
    target: formatDuration(entry.targetTtr),
    last: daysAgo(entry.lastDrilledAt, nowMs),
    lastTtr:
      entry.lastDrilledAt === undefined
        ? ""
        : entry.lastTtr === null
          ? "not rec."
          : formatDuration(entry.lastTtr),
  };
}
