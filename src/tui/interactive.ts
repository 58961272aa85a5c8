import { resolve } from "node:path";
import type { DrillPlan } from "../drill/launch.js";
import { closingLines, type DrillOutcome, exitCodeOf } from "../drill/outcome.js";
import type { Env } from "../model/env.js";
import type { Mode } from "../model/scenario.js";
import { openWorkspace, type Workspace } from "../model/workspace.js";
import { presenceText } from "../share/share-protocol.js";
import type { ShareServer } from "../share/share-server.js";
import { workspaceDeps } from "./deps.js";
import type { DrillPort, Preflight, TuiDeps } from "./drill-port.js";
import { preflightText } from "./preflight-view.js";
import { sessionPort } from "./session-port.js";

export interface InteractiveOptions {
  /** open this scenario's briefing (id or file); otherwise the picker */
  scenario?: string | undefined;
  cwd: string;
  bundledRoot: string;
  /**
   * the run command's plan builder, so the TUI runs exactly the drill `firedrill run` would, in
   * the workspace the TUI opened (not read again)
   */
  plan: (
    workspace: Workspace,
    scenario: string,
    mode: Mode,
    responder: string,
  ) => Promise<DrillPlan>;
  defaultResponder: string;
  /** `run --mode`: the briefing starts on this mode */
  mode?: Mode | undefined;
  journalDir?: string | undefined;
  /** `--facilitator`: this terminal also shows what is injected (see TuiDeps.facilitator) */
  facilitator?: boolean | undefined;
  /** `run --share`: the drill (the first one started) is served to the roles that join */
  share?: ShareServer | undefined;
  /** keeps the responder's name for the next drill (`.firedrill/responder`) */
  rememberResponder?: ((name: string) => void) | undefined;
  /** what `${VAR}` in scenarios and runbooks reads (the demo's ports); default process.env */
  env?: Env | undefined;
}

/**
 * yoga, ink's layout engine, fetches its inlined WebAssembly through `fetch("data:…")` whenever
 * `fetch` exists, and Node's first fetch loads undici. Without `fetch` it decodes the same bytes
 * itself. Measured on 2026-12-05 (bench of the bundle with and without this, 15 runs each, machine
 * at load 15 on 2 cores): the picker's first frame took 76 ms more CPU without it (688 → 764 ms),
 * the briefing's 112 ms (759 → 871 ms); undici's load alone is ~55 ms of CPU there, ~30 ms on a
 * quiet machine, enough to push the briefing past 400 ms with one core busy (359 ms with it).
 * The other start-up patches measured within noise and were removed (#17).
 * Nothing else runs fetch while the TUI loads (the workspace read beside it only reads files);
 * test/tui/preload-tui.test.ts fails when ink's load brings undici in again.
 */
async function importWithoutFetch<T>(load: () => Promise<T>): Promise<T> {
  const scope = globalThis as { fetch: typeof fetch | undefined };
  const saved = scope.fetch;
  scope.fetch = undefined;
  try {
    return await load();
  } finally {
    scope.fetch = saved;
  }
}

let loadingTui: Promise<typeof import("./launch.js")> | undefined;

/**
 * Starts loading ink, React and the screens (the longest part of opening the TUI) and returns the
 * same promise on every call, so a command that will open the TUI can start it before it parses
 * its arguments.
 */
export function preloadTui(): Promise<typeof import("./launch.js")> {
  loadingTui ??= importWithoutFetch(() => import("./launch.js"));
  return loadingTui;
}

/**
 * The interactive path of `firedrill` and `firedrill run <scenario>`: loaded with a dynamic import
 * so the headless commands never load ink. Resolves with the process exit code.
 */
export async function runInteractive(options: InteractiveOptions): Promise<number> {
  // ink and React take the longest to load: start now, read the workspace meanwhile. The drill
  // engine (faults, probes, execa) is not needed for the first screen: it loads once that is up.
  const loadingInk = preloadTui();
  let engine: Promise<typeof import("../drill/lifecycle.js")> | undefined;
  const loadingEngine = () => {
    engine ??= import("../drill/lifecycle.js");
    return engine;
  };
  const workspace = await openWorkspace({
    cwd: options.cwd,
    paths: [],
    bundledRoot: options.bundledRoot,
    ...(options.env ? { env: options.env } : {}),
  });
  const journalDir = resolve(options.cwd, options.journalDir ?? workspace.config.journalDir);
  // The screens name scenarios by id; one given as a file outside the catalog is planned by its file.
  const planArg = new Map<string, string>();
  const plan = (scenario: string, mode: Mode, responder: string) =>
    options.plan(workspace, planArg.get(scenario) ?? scenario, mode, responder);
  const start = async (scenario: string, mode: Mode, responder: string): Promise<DrillPort> => {
    const { startDrill } = await loadingEngine();
    const drillPlan = await plan(scenario, mode, responder);
    let port: DrillPort | undefined;
    let outcome: Promise<DrillOutcome> | undefined;
    const started = await startDrill(drillPlan, {
      terminal: { input: process.stdin, output: process.stdout },
      // The port follows the session from before its first event.
      beforeStart: (session) => {
        const share = options.share;
        share?.attach(session);
        port = sessionPort(session, {
          toxiproxyUrl: drillPlan.toxiproxyUrl,
          outcome: () => outcome,
          ...(share
            ? {
                joined: {
                  text: () => presenceText(share.presence()),
                  subscribe: (onChange: () => void) => share.onPresence(onChange),
                },
              }
            : {}),
        });
      },
    });
    if (started.ok) outcome = started.run.outcome;
    if (options.share) {
      const share = options.share;
      const closing = started.ok ? started.run.outcome : Promise.resolve(started.outcome);
      void closing.then((outcome) =>
        share.close({ lines: closingLines(outcome), exitCode: exitCodeOf(outcome) }),
      );
    }
    if (!started.ok || !port) {
      const outcome = started.ok ? await started.run.outcome : started.outcome;
      throw Object.assign(new Error(closingLines(outcome).join("; ")), {
        exitCode: exitCodeOf(outcome),
      });
    }
    return port;
  };
  const base = workspaceDeps({
    workspace,
    journalDir,
    defaultResponder: options.defaultResponder,
    start: (o) => start(o.scenario, o.mode, o.responder),
  });
  const deps: TuiDeps = {
    ...base,
    ...(options.mode ? { defaultMode: options.mode } : {}),
    ...(options.facilitator ? { facilitator: true } : {}),
    ...(options.rememberResponder ? { rememberResponder: options.rememberResponder } : {}),
    // The same checks the drill will run before applying anything, shown on the briefing.
    async preflight(scenario: string): Promise<Preflight> {
      const { checkBeforeDrill } = await import("../drill/launch.js");
      const drillPlan = await plan(scenario, "gameday", options.defaultResponder);
      const report = await checkBeforeDrill(drillPlan, "preflight");
      return {
        toxiproxyUrl: drillPlan.toxiproxyUrl,
        ok: report.ok,
        lines: [
          ...report.checks.map((c) => ({
            ok: c.ok,
            text: preflightText(c, options.facilitator === true),
          })),
          ...report.warnings.map((w) => ({ ok: false, text: `warning: ${w}` })),
        ],
      };
    },
  };
  // What the first screen shows is loaded before it is drawn, so its first frame is complete.
  // A failure here is left for the screen to report the way it reports it later.
  const first = options.scenario;
  const preloaded = await (first
    ? deps.briefing(first).then((briefing) => {
        planArg.set(briefing.scenario.id, first);
        return { briefing };
      })
    : deps.catalog().then((catalog) => ({ catalog }))
  ).catch(() => ({}));
  const { openTui } = await loadingInk;
  const running = openTui(deps, { scenario: options.scenario, preloaded });
  // The first frame is on screen by now: load the engine while the responder reads it.
  loadingEngine().catch(() => undefined);
  return running;
}
