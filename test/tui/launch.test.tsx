import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { DrillPort, TuiDeps } from "../../src/tui/drill-port.js";
import { openTui } from "../../src/tui/launch.js";
import { Drill, sampleRunbook, sampleScenario, tick, until } from "./fixtures.js";

// ink decides when it is imported (is-in-ci) to draw nothing until unmount when CI is set; this
// test reads frames off a terminal as a responder's terminal shows them, so it runs as outside CI.
vi.hoisted(() => {
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
});

const drills: Drill[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const d of drills.splice(0)) await d.close();
});

/** A terminal made of two pipes: sized output, raw-capable input, everything written kept. */
function fakeTerminal() {
  const stdout = Object.assign(new PassThrough(), { columns: 100, rows: 30, isTTY: true });
  let written = "";
  stdout.on("data", (chunk: Buffer) => {
    written += chunk.toString();
  });
  const raw: boolean[] = [];
  const stdin = Object.assign(new PassThrough(), {
    isTTY: true,
    setRawMode(on: boolean) {
      raw.push(on);
      return stdin;
    },
    ref() {
      return stdin;
    },
    unref() {
      return stdin;
    },
  });
  return { stdin, stdout, raw, output: () => written };
}

describe("leaving the TUI", () => {
  it("after a screen throws mid-drill: the terminal is restored and the drill still ends, reverted", async () => {
    const term = fakeTerminal();
    // React reports the render error as uncaught too; the TUI's handler then exits with 70.
    const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    let drill: Drill | undefined;
    let broken = false;
    const deps: TuiDeps = {
      defaultResponder: "ana",
      catalog: async () => [],
      briefing: async () => ({ scenario: sampleScenario(), runbook: sampleRunbook() }),
      preflight: async () => ({ toxiproxyUrl: "", ok: true, lines: [] }),
      history: async () => [],
      histories: async (ids) => new Map(ids.map((id) => [id, []])),
      start: async () => {
        drill = new Drill("tabletop");
        drills.push(drill);
        await drill.start();
        const port = drill.port;
        // A port whose state turns unreadable: the cockpit throws on its next frame.
        const faulty: DrillPort = {
          ...port,
          snapshot: () => (broken ? ({} as ReturnType<DrillPort["snapshot"]>) : port.snapshot()),
        };
        return faulty;
      },
    };
    const running = openTui(deps, {
      scenario: "checkout-db-latency",
      stdin: term.stdin as unknown as NodeJS.ReadStream,
      stdout: term.stdout as unknown as NodeJS.WriteStream,
    });
    const settled = running.then(
      () => "resolved",
      (error: unknown) => `rejected: ${error instanceof Error ? error.message : String(error)}`,
    );
    await until(() => term.output().includes("Enter start drill"), "the briefing");
    term.stdin.write("\r");
    await until(() => term.output().includes("choose a procedure"), "the cockpit");
    await drill!.clock.advanceAsync(6000);
    broken = true;
    term.stdin.write("j");
    expect(await settled).toBe("resolved");
    await until(() => drill?.session.getSnapshot().status === "finished", "the drill to end");
    expect(await running).toBe(70);
    expect(drill!.session.getSnapshot().status).toBe("finished");
    expect(drill!.state.phase).toBe("aborted");
    expect(drill!.session.getSnapshot().revert?.reverted).toHaveLength(1);
    expect(term.raw.at(-1)).toBe(false);
    // The main screen is back, and nothing was drawn on it after.
    expect(term.output().endsWith("\u001b[?25h\u001b[?1049l")).toBe(true);
    await tick(50);
    expect(exit).toHaveBeenCalledWith(70);
  });
});
