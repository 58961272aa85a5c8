import { Box, Text, useApp, useStdin, useStdout } from "ink";
import { useCallback, useEffect, useRef, useState } from "react";
import { messageOf } from "../model/message.js";
import { Line } from "./components/panel.js";
import { playedLine } from "./debrief-summary.js";
import { INTERRUPT, match } from "./keys.js";
import { MIN_COLS, MIN_ROWS } from "./layout.js";
import type { PickerOutcome } from "./picker-state.js";
import { BriefingScreen } from "./screens/briefing.js";
import { CockpitScreen } from "./screens/cockpit.js";
import { DebriefScreen } from "./screens/debrief.js";
import { HistoryScreen } from "./screens/history.js";
import { PickerScreen } from "./screens/picker.js";
import { type Paint, ThemeProvider } from "./theme.js";
import type {
  Briefing,
  CatalogEntry,
  DrillPort,
  PastDrill,
  StartOptions,
  TuiDeps,
} from "./types.js";
import { type KeyHandler, KeyRouter, useKeys } from "./use-keys.js";

export type Screen =
  | { name: "picker" }
  | { name: "loading"; message: string }
  | { name: "briefing"; briefing: Briefing }
  | { name: "cockpit"; port: DrillPort; scenario: string }
  | { name: "debrief"; port: DrillPort; scenario: string; previous: readonly PastDrill[] | null }
  | { name: "history"; scenario: string; back: Screen }
  | { name: "closing"; message: string };

/** Data loaded before the first frame (while ink itself was loading). */
export interface Preloaded {
  catalog?: readonly CatalogEntry[];
  briefing?: Briefing;
}

/** How the TUI ended, for the launcher to print once the terminal is restored. */
export interface TuiResult {
  message: string;
  exitCode: number;
}

export interface AppProps {
  deps: TuiDeps;
  /** a scenario id to open at its briefing; otherwise the picker */
  scenario?: string | undefined;
  preloaded?: Preloaded | undefined;
  paint: Paint;
  /** fixed size for tests; otherwise the terminal's, following resizes */
  size?: { cols: number; rows: number };
  nowMs?: () => number;
  onDone: (result: TuiResult) => void;
  /** the launcher's handle to abort from a signal (SIGTERM, SIGHUP) */
  interruptRef?: { current: ((why: string) => void) | null };
  /** the running drill, for the launcher to shut down when the TUI itself failed */
  drillRef?: { current: DrillPort | null };
}

export function useTerminalSize(fixed?: { cols: number; rows: number }): {
  cols: number;
  rows: number;
} {
  const { stdout } = useStdout();
  const read = useCallback(
    () => fixed ?? { cols: stdout.columns || 80, rows: stdout.rows || 24 },
    [fixed, stdout],
  );
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixed) return;
    const onResize = () => setSize(read());
    stdout.on("resize", onResize);
    return () => {
      stdout.off("resize", onResize);
    };
  }, [fixed, stdout, read]);
  return size;
}

function message(error: unknown): string {
  return messageOf(error);
}

export function App({
  deps,
  scenario,
  preloaded,
  paint,
  size,
  nowMs = Date.now,
  onDone,
  interruptRef,
  drillRef,
}: AppProps) {
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const keysOn = isRawModeSupported === true;
  const { cols, rows } = useTerminalSize(size);
  const tooSmall = cols < MIN_COLS || rows < MIN_ROWS;
  const [screen, setScreen] = useState<Screen>(() => {
    if (!scenario) return { name: "picker" };
    if (preloaded?.briefing) return { name: "briefing", briefing: preloaded.briefing };
    return { name: "loading", message: `loading ${scenario}…` };
  });
  const [entries, setEntries] = useState<readonly CatalogEntry[] | null>(
    preloaded?.catalog ?? null,
  );
  const [catalogError, setCatalogError] = useState<string>();
  const [error, setError] = useState<string>();
  const portRef = useRef<DrillPort | null>(null);
  // The next briefing suggests the name the last drill was started with.
  const [responder, setResponder] = useState(deps.defaultResponder);
  // One line per drill played, printed on leaving (the demo plays several).
  const played = useRef<string[]>([]);
  const setDrill = useCallback(
    (port: DrillPort | null) => {
      portRef.current = port;
      if (drillRef) drillRef.current = port;
    },
    [drillRef],
  );
  const finishing = useRef(false);

  const finish = useCallback(
    (result: TuiResult) => {
      if (finishing.current) return;
      finishing.current = true;
      onDone({
        ...result,
        message: [...played.current, result.message].filter(Boolean).join("\n"),
      });
      exit();
    },
    [exit, onDone],
  );

  const openBriefing = useCallback(
    (id: string) => {
      setError(undefined);
      setScreen({ name: "loading", message: `loading ${id}…` });
      deps.briefing(id).then(
        (briefing) => setScreen({ name: "briefing", briefing }),
        (e: unknown) => {
          if (scenario) finish({ message: `firedrill: ${message(e)}`, exitCode: 2 });
          else {
            setError(message(e));
            setScreen({ name: "picker" });
          }
        },
      );
    },
    [deps, scenario, finish],
  );

  const opened = useRef(false);
  useEffect(() => {
    // Only the first scenario: later choices come from the picker.
    if (opened.current || !scenario || preloaded?.briefing) return;
    opened.current = true;
    openBriefing(scenario);
  }, [scenario, openBriefing, preloaded]);

  useEffect(() => {
    if (entries !== null || catalogError) return;
    if (screen.name !== "picker" && screen.name !== "history") return;
    deps.catalog().then(setEntries, (e: unknown) => setCatalogError(message(e)));
  }, [screen.name, entries, catalogError, deps]);

  const closing = useRef(false);
  const interrupt = useCallback(
    (why: string) => {
      // Already reverting: a second Ctrl-C must not cut the clean-up short.
      if (closing.current) return;
      const port = portRef.current;
      if (!port || port.snapshot().state.ended) {
        const journal = port?.snapshot().journalPath;
        const result = port?.snapshot().state.result;
        if (port) void port.shutdown(why);
        finish({
          message: journal ? `firedrill: journal written to ${journal}` : "",
          exitCode: !result || result.withinTarget ? 0 : 1,
        });
        return;
      }
      closing.current = true;
      setScreen({
        name: "closing",
        message: `${why}: aborting the drill — reverting faults, closing the journal…`,
      });
      port.dispatch({ type: "abort", reason: why });
      port.shutdown(why).then(
        (report) => {
          const failed = report.failed.length
            ? `; could NOT revert: ${report.failed.join("; ")}`
            : "";
          finish({
            message: `firedrill: drill aborted (${why}): ${report.reverted} fault${report.reverted === 1 ? "" : "s"} reverted${failed}; journal ${report.journalPath ?? "not written"}`,
            exitCode: report.failed.length ? 1 : 130,
          });
        },
        (e: unknown) =>
          finish({
            message: `firedrill: drill aborted (${why}); cleanup failed: ${message(e)}`,
            exitCode: 1,
          }),
      );
    },
    [finish],
  );
  if (interruptRef) interruptRef.current = interrupt;

  const screenKeys = useRef<KeyHandler | null>(null);
  useKeys((input, key) => {
    if (match([INTERRUPT], input, key) === "interrupt") interrupt("Ctrl-C");
    else if (!tooSmall) screenKeys.current?.(input, key);
  }, keysOn);
  // The screen rendered below claims the keys again; a screen without keys gets none.
  screenKeys.current = null;

  // The cockpit hands over to the debrief as soon as the engine says the drill is over.
  useEffect(() => {
    if (screen.name !== "cockpit") return;
    const { port, scenario: id } = screen;
    let moved = false;
    const check = () => {
      if (moved || !port.snapshot().state.ended) return;
      moved = true;
      setScreen({ name: "debrief", port, scenario: id, previous: null });
      void port.shutdown("drill ended").finally(() => {
        const self = port.snapshot().drillId;
        deps.history(id).then(
          (all) => {
            const previous = all.filter((d) => d.drillId !== self);
            setScreen((s) => (s.name === "debrief" && s.port === port ? { ...s, previous } : s));
          },
          () =>
            setScreen((s) =>
              s.name === "debrief" && s.port === port ? { ...s, previous: [] } : s,
            ),
        );
      });
    };
    check();
    return port.subscribe(check);
  }, [screen, deps]);

  const start = useCallback(
    (options: StartOptions) => {
      setResponder(options.responder);
      deps.rememberResponder?.(options.responder);
      setScreen({ name: "loading", message: `starting ${options.scenario} (${options.mode})…` });
      deps.start(options).then(
        (port) => {
          setDrill(port);
          setScreen({ name: "cockpit", port, scenario: options.scenario });
        },
        (e: unknown) => {
          if (scenario)
            finish({ message: `firedrill: could not start the drill: ${message(e)}`, exitCode: 2 });
          else {
            setError(`could not start the drill: ${message(e)}`);
            setScreen({ name: "picker" });
          }
        },
      );
    },
    [deps, scenario, finish, setDrill],
  );

  const onPicker = useCallback(
    (outcome: PickerOutcome) => {
      if (outcome.kind === "choose") openBriefing(outcome.scenario);
      if (outcome.kind === "history")
        setScreen({ name: "history", scenario: outcome.scenario, back: { name: "picker" } });
      if (outcome.kind === "quit") finish({ message: "", exitCode: 0 });
    },
    [openBriefing, finish],
  );

  const debriefDone = (
    s: Extract<Screen, { name: "debrief" }>,
    action: "quit" | "picker" | "history",
  ) => {
    const result = s.port.snapshot().state.result;
    if (action === "history") setScreen({ name: "history", scenario: s.scenario, back: s });
    else if (action === "picker") {
      played.current.push(playedLine(s.port.snapshot()));
      setDrill(null);
      // The drill just written changes "last drilled": read the catalog again.
      setEntries(null);
      setScreen({ name: "picker" });
    } else {
      played.current.push(playedLine(s.port.snapshot()));
      finish({
        message: "",
        // As the headless run: 0 only when it recovered within the TTR target.
        exitCode: result?.withinTarget ? 0 : 1,
      });
    }
  };

  // One loader per briefed scenario: a new function each render (a resize) restarted the preflight.
  const briefedId = screen.name === "briefing" ? screen.briefing.scenario.id : null;
  const loadPreflight = useCallback(() => deps.preflight(briefedId ?? ""), [deps, briefedId]);

  let body: React.ReactNode;
  switch (screen.name) {
    case "picker":
      body = (
        <PickerScreen
          entries={entries}
          error={error ?? catalogError}
          nowMs={nowMs()}
          cols={cols}
          rows={rows}
          keysActive={keysOn}
          onOutcome={onPicker}
        />
      );
      break;
    case "loading":
    case "closing":
      body = (
        <Box height={Math.max(1, rows - 1)} flexDirection="column">
          <Line width={cols} bold>
            {screen.message}
          </Line>
        </Box>
      );
      break;
    case "briefing":
      body = (
        <BriefingScreen
          briefing={screen.briefing}
          defaultResponder={responder}
          defaultMode={deps.defaultMode}
          loadPreflight={loadPreflight}
          cols={cols}
          rows={rows}
          keysActive={keysOn}
          facilitator={deps.facilitator === true}
          onStart={start}
          onBack={() =>
            scenario ? finish({ message: "", exitCode: 0 }) : setScreen({ name: "picker" })
          }
        />
      );
      break;
    case "cockpit":
      body = (
        <CockpitScreen
          port={screen.port}
          cols={cols}
          rows={rows}
          keysActive={keysOn}
          facilitator={deps.facilitator === true}
        />
      );
      break;
    case "debrief":
      body = (
        <DebriefScreen
          port={screen.port}
          previous={screen.previous}
          cols={cols}
          rows={rows}
          keysActive={keysOn}
          onAction={(action) => debriefDone(screen, action)}
        />
      );
      break;
    case "history":
      body = entries ? (
        <HistoryScreen
          entries={entries}
          initial={screen.scenario}
          load={deps.histories}
          cols={cols}
          rows={rows}
          keysActive={keysOn}
          onBack={() => setScreen(screen.back)}
        />
      ) : (
        <Text>loading…</Text>
      );
      break;
  }
  // Smaller than the smallest layout would scroll and garble: say so until the terminal grows.
  // The screen stays mounted at the same place in the tree, hidden and deaf, so its cursor,
  // filter and notes survive.
  const small = tooSmall ? (
    <Text wrap="truncate-end">{`firedrill needs ${MIN_COLS}×${MIN_ROWS}; this terminal is ${cols}×${rows}`}</Text>
  ) : null;
  return (
    <ThemeProvider value={paint}>
      <KeyRouter.Provider value={screenKeys}>
        {small}
        <Box display={tooSmall ? "none" : "flex"} flexDirection="column">
          {body}
        </Box>
      </KeyRouter.Provider>
    </ThemeProvider>
  );
}
