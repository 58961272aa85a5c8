import { afterEach, describe, expect, it } from "vitest";
import type { ResponderAction } from "../../src/drill/actions.js";
import { cockpitKey, initialCockpitUi } from "../../src/tui/cockpit-state.js";
import { Drill } from "./fixtures.js";

// The cockpit answers a key at once with the engine's own refusal: the same words the session
// gives when the action is dispatched, because both ask the one refusal function.
let drill: Drill;
afterEach(async () => {
  await drill.close();
});

async function agree(key: string, action: ResponderAction): Promise<string> {
  const flash = cockpitKey(initialCockpitUi, drill.port.snapshot(), key, {}).ui.flash;
  const result = await drill.session.dispatch(action);
  expect(result.ok).toBe(false);
  expect(flash).toBe(result.ok ? undefined : result.error);
  return flash ?? "";
}

describe("cockpit keys refuse as the engine does", () => {
  it("a second acknowledgement, a second mitigation, a hint not yet due", async () => {
    drill = await new Drill("tabletop").start();
    expect(await agree("h", { type: "takeHint" })).toMatch(
      /^no hint available yet: the next one opens at /,
    );
    await drill.act({ type: "acknowledge" });
    expect(await agree("a", { type: "acknowledge" })).toBe("already acknowledged by ana");
    await drill.act({ type: "declareMitigated" });
    expect(await agree("m", { type: "declareMitigated" })).toBe("already declared mitigated");
  });

  it("a step already done", async () => {
    drill = await new Drill("tabletop").start();
    const procedure = drill.state.procedures[0]?.id ?? "";
    await drill.act({ type: "selectProcedure", procedure });
    const first = drill.state.procedures[0]?.steps[0]?.id ?? "";
    await drill.act({ type: "completeStep", step: first });
    const ui = { ...initialCockpitUi, browsing: false, cursor: 0 };
    const flash = cockpitKey(ui, drill.port.snapshot(), "s", {}).ui.flash;
    const result = await drill.session.dispatch({ type: "skipStep", step: first });
    expect(result).toEqual({ ok: false, error: `step ${first} is already done` });
    expect(flash).toBe(`step ${first} is already done`);
  });
});
