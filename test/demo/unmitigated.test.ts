import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { type DemoShop, startDemoShop } from "../../src/demo/index.js";
import { loadCatalog, resolveScenario } from "../../src/model/catalog.js";

// The other half of the demo's claim: the faults are real. Each sample scenario is drilled
// against the shop by a scripted responder who does everything the runbook says except its
// action steps, and checkout must stay broken until the drill times out. (That following the
// runbook recovers every sample is demo-command.test.ts.)
const run = promisify(execFile);
const CLI = resolve("dist/firedrill.js");
const ROOT = resolve(".");
const SAMPLES = [
  "checkout-db-latency",
  "payments-provider-timeout",
  "payments-receipts-bandwidth",
  "session-cache-resets",
];
/** Long enough for the fault to land (moved to 1 s) and for several failing probes. */
const MAX_DURATION = "10s";
const CONTROL_MAX_DURATION = "30s";

let shop: DemoShop;
let dir: string;

beforeAll(async () => {
  shop = await startDemoShop();
  dir = await mkdtemp(join(tmpdir(), "firedrill-unmitigated-"));
}, 30_000);
afterAll(async () => {
  await shop?.stop();
  await rm(dir, { recursive: true, force: true });
});

/**
 * A copy of the sample that ends quickly: fault at 1 s, maxDuration short, its own id (so it does
 * not clash with the bundled sample); and a script following the expected procedure but for its
 * action steps, which it skips.
 */
async function prepare(
  id: string,
  withAction = false,
): Promise<{ scenarioFile: string; scriptFile: string }> {
  const catalog = await loadCatalog([ROOT]);
  const resolved = resolveScenario(catalog, id);
  if (!resolved?.runbook || !resolved.procedure) throw new Error(`${id}: no runbook procedure`);
  const raw = parse(await readFile(resolved.scenario.file, "utf8")) as {
    id: string;
    faults: { at: string }[];
    safety: { maxDuration: string };
    signals?: unknown[];
    hints?: unknown[];
  };
  raw.id = `${id}-${withAction ? "mitigated" : "unmitigated"}`;
  for (const fault of raw.faults) fault.at = "1s";
  // The control ends at recovery (4–5 s on a quiet machine): a longer limit costs it nothing and
  // keeps a loaded machine from timing it out.
  raw.safety.maxDuration = withAction ? CONTROL_MAX_DURATION : MAX_DURATION;
  // Timed after this short drill would end, which a scenario may not be; they change no outcome.
  raw.signals = [];
  raw.hints = [];
  const scenarioFile = join(dir, `${raw.id}.yaml`);
  await writeFile(scenarioFile, stringify(raw));

  const actions: Record<string, unknown>[] = [
    { do: "acknowledge", waitFor: "fault.applied" },
    { do: "select", procedure: resolved.procedure.id },
  ];
  for (const step of resolved.procedure.steps) {
    if (step.kind === "action" && withAction)
      actions.push({ do: "run", step: step.id, complete: true });
    else if (step.kind === "action")
      actions.push({ do: "skip", step: step.id, reason: "left out" });
    // Checks are run and marked done; the verify is run too (it fails: checkout is still broken).
    else if ((step.kind === "check" || step.kind === "verify") && step.run)
      actions.push({ do: "run", step: step.id, complete: step.kind === "check" });
  }
  const scriptFile = join(dir, `${raw.id}.script.yaml`);
  await writeFile(scriptFile, stringify({ responder: "test", actions }));
  return { scenarioFile, scriptFile };
}

interface Line {
  type: string;
  outcome?: string;
  withinTarget?: boolean;
  event?: { type: string; probe?: string; ok?: boolean; step?: string };
}

/** Runs the copy with its script as a user would; the exit code and the JSON lines. */
async function drill(id: string, withAction: boolean): Promise<{ code: number; lines: Line[] }> {
  const { scenarioFile, scriptFile } = await prepare(id, withAction);
  let stdout = "";
  let code = 0;
  try {
    ({ stdout } = await run(
      process.execPath,
      [
        CLI,
        ...["run", scenarioFile, "--mode", "gameday", "--script", scriptFile, "--json"],
        ...["--journal-dir", join(dir, "journals"), "--url", shop.toxiproxyUrl],
      ],
      { cwd: dir, env: { ...process.env, ...shop.env, CI: "true" }, timeout: 45_000 },
    ));
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    ({ stdout, code } = e);
    if (code !== 1) throw new Error(`firedrill run exited ${code}: ${e.stderr}`);
  }
  const lines = stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Line);
  return { code, lines };
}

describe("sample faults are real: leaving out the runbook's action, checkout stays broken", () => {
  it.each(SAMPLES)("%s does not recover", { timeout: 60_000 }, async (id) => {
    await shop.reset();
    const { code, lines } = await drill(id, false);
    expect(code).toBe(1);
    const events = lines.flatMap((l) => (l.event ? [l.event] : []));
    expect(events.some((e) => e.type === "fault.applied")).toBe(true);
    expect(events.some((e) => e.type === "step.skipped")).toBe(true);
    // The recovery probe saw the fault and never came back.
    const health = events.filter((e) => e.type === "probe.result" && e.probe === "checkout-health");
    expect(health.some((e) => e.ok === false)).toBe(true);
    expect(events.some((e) => e.type === "recovered")).toBe(false);
    expect(lines.at(-1)).toMatchObject({
      type: "summary",
      outcome: "timed-out",
      withinTarget: false,
    });
  });

  it("control: the same short copy and script, with the action run, does recover", {
    timeout: 60_000,
  }, async () => {
    await shop.reset();
    const { code, lines } = await drill("checkout-db-latency", true);
    if (lines.at(-1)?.outcome !== "recovered")
      console.log(JSON.stringify(lines.slice(-25), null, 0));
    expect(lines.at(-1)).toMatchObject({
      type: "summary",
      outcome: "recovered",
      withinTarget: true,
    });
    expect(code).toBe(0);
  });
});
