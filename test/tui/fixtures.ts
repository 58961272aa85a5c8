import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeClock } from "../../src/drill/clock.js";
import { JournalWriter } from "../../src/drill/journal.js";
import { createSession, type DrillSession, type ResponderAction } from "../../src/drill/session.js";
import type { DrillState } from "../../src/drill/state.js";
import { createFaultBackend } from "../../src/faults/backend.js";
import { parseRunbook, parseScenario } from "../../src/model/load.js";
import type { Runbook } from "../../src/model/runbook.js";
import type { Mode, Scenario } from "../../src/model/scenario.js";
import type { ProbeRunner } from "../../src/probes/probe-types.js";
import type {
  DrillClosing,
  DrillPort,
  DrillSnapshot,
  ShutdownReport,
} from "../../src/tui/drill-port.js";
import { sessionPort } from "../../src/tui/session-port.js";

export function sampleScenario(id = "checkout-db-latency"): Scenario {
  const file = `scenarios/${id}.yaml`;
  const result = parseScenario(readFileSync(file, "utf8"), file, { env: {} });
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join("\n"));
  return result.loaded.value;
}

export function sampleRunbook(file = "runbooks/checkout-api.yaml"): Runbook {
  const result = parseRunbook(readFileSync(file, "utf8"), file, { env: {} });
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join("\n"));
  return result.loaded.value;
}

/** A real session on the simulated backend with a fake clock, journaling into a temp dir. */
export class Drill {
  readonly clock = new FakeClock();
  readonly dir = mkdtempSync(join(tmpdir(), "firedrill-tui-"));
  readonly session: DrillSession;
  readonly port: DrillPort;

  constructor(
    mode: Mode = "tabletop",
    scenario = sampleScenario(),
    runbook = sampleRunbook(),
    runProbe?: ProbeRunner,
  ) {
    const backend = createFaultBackend({
      drillId: "tui1",
      mode: "tabletop",
      ledgerPath: join(this.dir, "ledger.json"),
    });
    this.session = createSession({ scenario, runbook, mode, responder: "ana" }, "tui1", {
      clock: this.clock,
      scheduler: this.clock,
      backend,
      ...(runProbe ? { runProbe } : {}),
      wallClock: () => Date.parse("2026-11-25T10:00:00.000Z") + this.clock.now(),
      openJournal: (startedAt) =>
        JournalWriter.create(this.dir, {
          drillId: "tui1",
          startedAt: startedAt.toISOString(),
          firedrillVersion: "test",
          mode,
          responder: "ana",
          scenario: { id: scenario.id, title: scenario.title, service: scenario.service },
          targets: scenario.targets,
        }),
      tickMs: 1000,
    });
    this.port = sessionPort(this.session);
  }

  async start(): Promise<this> {
    await this.session.start();
    return this;
  }

  async act(action: ResponderAction): Promise<void> {
    const result = await this.session.dispatch(action);
    if (!result.ok) throw new Error(result.error);
  }

  get state(): DrillState {
    return this.session.getState();
  }

  async close(): Promise<void> {
    await this.session.shutdown("test over");
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A port over a fixed snapshot that records what the views dispatch. */
export class RecordingPort implements DrillPort {
  readonly dispatched: ResponderAction[] = [];
  private listeners = new Set<() => void>();
  constructor(
    public current: DrillSnapshot,
    public now = 0,
  ) {}
  snapshot = () => this.current;
  subscribe = (onChange: () => void) => {
    this.listeners.add(onChange);
    return () => {
      this.listeners.delete(onChange);
    };
  };
  elapsed = () => this.now;
  dispatch = (action: ResponderAction) => {
    this.dispatched.push(action);
  };
  shutdown = async (): Promise<ShutdownReport> => ({ reverted: 0, failed: [] });
  stop = () => {};
  closing = async (): Promise<DrillClosing> => ({ exitCode: 0, lines: [], stopped: false });
  set(next: DrillSnapshot): void {
    this.current = next;
    for (const l of this.listeners) l();
  }
}

/** Lets ink process a write to stdin and re-render. */
export function tick(ms = 20): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export const KEY = {
  up: "\u001b[A",
  down: "\u001b[B",
  enter: "\r",
  esc: "\u001b",
  tab: "\t",
  ctrlC: "\u0003",
  backspace: "\u007f",
};

import { until } from "../support/until.js";

export { until };

/** Until ink reads the test stdin: keys written before its input effect ran would be lost. */
export async function listening(stdin: { listenerCount(event: string): number }): Promise<void> {
  await until(() => stdin.listenerCount("readable") > 0, "ink to read stdin");
}
