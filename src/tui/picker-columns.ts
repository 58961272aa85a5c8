import type { PickerRow } from "./picker-state.js";

export interface PickerColumn {
  key: keyof PickerRow;
  title: string;
  width: number;
  /** cut in the middle: names that share a start (`payments-…`) stay apart */
  middle: boolean;
}

type Spec = Omit<PickerColumn, "width"> & { min: number };

const ID: Spec = { key: "id", title: "SCENARIO", min: 18, middle: true };
const SERVICE: Spec = { key: "service", title: "SERVICE", min: 10, middle: true };
const OWNER: Spec = { key: "owner", title: "OWNER", min: 10, middle: true };
const FIXED: readonly Spec[] = [
  { key: "modes", title: "MODES", min: 5, middle: false },
  { key: "target", title: "TARGET", min: 6, middle: false },
  { key: "last", title: "LAST DRILL", min: 10, middle: false },
  { key: "lastTtr", title: "LAST TTR", min: 8, middle: false },
];

function longest(rows: readonly PickerRow[], key: keyof PickerRow, min: number): number {
  return rows.reduce((most, row) => Math.max(most, row[key].length), min);
}

/**
 * The picker's columns for `cols` and the rows to show. The scenario id is what the responder
 * chooses by, so it is widened first, up to the longest id; then the service, then the owner.
 * The owner, then the service, give up their column (the line under the list names them) before
 * an id is cut. What is still too long is cut in the middle.
 */
export function pickerColumns(cols: number, rows: readonly PickerRow[]): PickerColumn[] {
  const fixed = FIXED.reduce((sum, c) => sum + c.min, 0);
  const wantId = longest(rows, "id", ID.min);
  const wantService = longest(rows, "service", SERVICE.min);
  const wantOwner = longest(rows, "owner", OWNER.min);
  // One column for the cursor mark, one space between columns.
  const room = (columns: number) => cols - 1 - (columns - 1) - fixed;
  const withOwner = room(FIXED.length + 3);
  const ownerFits = withOwner >= wantId + wantService + OWNER.min;
  const serviceFits = ownerFits || room(FIXED.length + 2) >= ID.min + SERVICE.min;
  const flexible = room(FIXED.length + 1 + (serviceFits ? 1 : 0) + (ownerFits ? 1 : 0));
  const others = (serviceFits ? SERVICE.min : 0) + (ownerFits ? OWNER.min : 0);
  const id = Math.max(Math.min(ID.min, flexible), Math.min(wantId, flexible - others));
  const service = serviceFits
    ? Math.max(SERVICE.min, Math.min(wantService, flexible - id - (ownerFits ? OWNER.min : 0)))
    : 0;
  const owner = ownerFits ? Math.max(OWNER.min, Math.min(wantOwner, flexible - id - service)) : 0;
  // Room left over goes to the names, so a wide terminal is not left empty on the right.
  const spare = Math.max(0, flexible - id - service - owner);
  const names = 1 + (serviceFits ? 1 : 0) + (ownerFits ? 1 : 0);
  const share = Math.floor(spare / names);
  const columns: PickerColumn[] = [
    { ...ID, width: id + share },
    ...(serviceFits ? [{ ...SERVICE, width: service + share }] : []),
    ...(ownerFits ? [{ ...OWNER, width: owner + share }] : []),
    ...FIXED.map((c) => ({ ...c, width: c.min })),
  ];
  return columns.map(({ key, title, width, middle }) => ({ key, title, width, middle }));
}
