import { describe, expect, it } from "vitest";
import { bold, paint } from "../../src/platform/colour.js";
import { clip, pad, renderTable, tableLines } from "../../src/platform/text-table.js";

const ESC = String.fromCharCode(27);

describe("text tables (list, lint, demo, history and the TUI's cells share them)", () => {
  it("aligns columns two spaces apart, numbers right, no trailing spaces, colour not counted", () => {
    const green = paint("3m", "green", true);
    expect(
      renderTable(
        ["ID", "TTR", "NOTE"],
        [
          ["a", green, "x"],
          ["bbbb", "10m", ""],
        ],
        { right: [1] },
      ),
    ).toBe(`ID    TTR  NOTE\na      ${green}  x\nbbbb  10m`);
  });

  it("cuts the shrinking column to the width, and bolds the header only with colour", () => {
    const lines = tableLines(["ID", "TITLE"], [["id", "a title far too long to fit"]], {
      color: true,
      width: 12,
      shrink: 1,
    });
    expect(lines).toEqual([`${ESC}[1mID  TITLE${ESC}[22m`, "id  a title…"]);
  });

  // Changed when the three table writers became one (#17): list, lint and demo counted an emoji
  // as one column, history as two, as most terminals draw it; now every table counts two, and a
  // cut never leaves half of one behind (the TUI's cells could).
  it("counts an emoji as two columns and never cuts through one", () => {
    expect(
      renderTable(
        ["WHO", "N"],
        [
          ["🔥ana", "1"],
          ["bob", "2"],
        ],
      ),
    ).toBe("WHO    N\n🔥ana  1\nbob    2");
    expect(clip("ab🔥cd", 4)).toBe("ab…");
    expect(clip("ab🔥cd", 5)).toBe("ab🔥…");
    expect(pad("ab🔥", 6)).toBe("ab🔥  ");
  });

  it("keeps a cell on one line", () => {
    expect(clip("first line\n  second", 40)).toBe("first line second");
  });
});

describe("colour", () => {
  // Changed for history (#17): it reset every attribute after a coloured cell (ESC[0m); like
  // every other command it now closes only the colour it opened.
  it("closes only what it opened, and writes nothing when colour is off", () => {
    expect(paint("late", "red", true)).toBe(`${ESC}[31mlate${ESC}[39m`);
    expect(paint("where", "dim", true)).toBe(`${ESC}[2mwhere${ESC}[22m`);
    expect(bold("HEAD", true)).toBe(`${ESC}[1mHEAD${ESC}[22m`);
    expect(paint("late", "red", false)).toBe("late");
    expect(bold("HEAD", false)).toBe("HEAD");
  });
});
