import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeClock } from "../../src/drill/clock.js";
import type { DrillPlan, LaunchedDrill } from "../../src/drill/launch.js";
import { startDrill } from "../../src/drill/lifecycle.js";
import type { DrillOutcome } from "../../src/drill/outcome.js";
import { createSession } from "../../src/drill/session.js";
import { sessionPort } from "../../src/tui/session-port.js";
import { scenario, setup } from "../drill/builders.js";
import { RecordingBackend } from "../drill/fake-backend.js";
import {
  PUSHGATEWAY_BIN,
  PUSHGATEWAY_MISSING,
  type Pushgateway,
  seriesOf,
  startPushgateway,
} from "../support/pushgateway.js";

// The TUI's end of a drill goes through the same lifecycle as the headless run: its closing
// lines (printed once the terminal is restored) say where the figures went.
describe.skipIf(!PUSHGATEWAY_BIN)(
  `the TUI's closing lines after --push (${PUSHGATEWAY_MISSING})`,
  () => {
    let gateway: Pushgateway;
    let dir: string;
    beforeAll(async () => {
      gateway = await startPushgateway();
      dir = mkdtempSync(join(tmpdir(), "firedrill-push-tui-"));
    });
    afterAll(async () => {
      await gateway?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("push once from the lifecycle, and the port's closing says so without changing the exit code", async () => {
      const clock = new FakeClock();
      const s = scenario();
      const plan: DrillPlan = {
        scenario: s,
        mode: "gameday",
        responder: "ana",
        journalDir: "drills",
        toxiproxyUrl: "http://127.0.0.1:8474",
        allowHosts: ["127.0.0.1"],
        productionPatterns: [],
        firedrillVersion: "test",
        cwd: dir,
        pushgateway: gateway.url,
      };
      const launch = (): LaunchedDrill => ({
        drillId: "tui-push",
        session: createSession(setup("gameday", s), "tui-push", {
          clock,
          scheduler: clock,
          backend: new RecordingBackend(),
          runProbe: async () => ({ ok: false, latencyMs: 900, detail: "503" }),
        }),
        scheduler: clock,
        prepareProxies: async () => ({ created: [], existing: [], claimed: [] }),
      });
      // as src/tui/interactive.ts wires it
      let outcome: Promise<DrillOutcome> | undefined;
      let port: ReturnType<typeof sessionPort> | undefined;
      const started = await startDrill(plan, {
        launch,
        check: async () => ({ ok: true, checks: [], warnings: [] }),
        processHandlers: false,
        beforeStart: (session) => {
          port = sessionPort(session, { toxiproxyUrl: plan.toxiproxyUrl, outcome: () => outcome });
        },
      });
      if (!started.ok || !port) throw new Error("did not start");
      outcome = started.run.outcome;
      await clock.advanceAsync(10_000);
      port.stop({ kind: "signal", signal: "SIGINT", label: "Ctrl-C" });
      const closing = await port.closing();
      expect(closing.exitCode).toBe(130);
      const pushed = closing.lines.filter((l) => l.includes("pushed"));
      expect(pushed).toEqual([
        `figures pushed to ${gateway.url}/metrics/job/firedrill/scenario/${s.id}/mode/gameday/responder_kind/human`,
      ]);
      const score = seriesOf(await gateway.groups(), "firedrill_drill_score");
      expect(score.map((m) => m.labels.drill_id)).toEqual(["tui-push"]);
      expect(seriesOf(await gateway.groups(), "firedrill_drill_recovered")[0]?.value).toBe("0");
    });
  },
);
