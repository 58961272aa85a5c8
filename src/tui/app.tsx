import { Box, Text, useApp, useStdin, useStdout } from "ink";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { type DrillStop, signalExitCode } from "../drill/outcome.js";
import { messageOf } from "../model/message.js";
import { Line } from "./components/panel.js";
import { playedLine } from "./debrief-summary.js";
import type {
  Briefing,
  CatalogEntry,
  DrillClosing,
  DrillPort,
  PastDrill,
  StartOptions,
  TuiDeps,
} from "./drill-port.js";
import { INTERRUPT, type KeyPress, match } from "./keys.js";
import { MIN_COLS, MIN_ROWS } from "./layout.js";
import type { PickerOutcome } from "./picker-state.js";
import { BriefingScreen } from "./screens/briefing.js";
import { CockpitScreen } from "./screens/cockpit-screen.js";
import { DebriefScreen } from "./screens/debrief.js";
import { HistoryScreen } from "./screens/history.js";
import { PickerScreen } from "./screens/picker.js";
import { type Paint, ThemeProvider } from "./theme.js";
import { ScreenKeys } from "./use-keys.js";

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
  /** the launcher's handle to stop on a signal (SIGTERM, SIGHUP) or a closed terminal */
  interruptRef?: { current: ((stop: DrillStop) => void) | null };
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

/** The engine's closing words, as the TUI prints them once the terminal is restored. */
function closingResult(closing: DrillClosing): TuiResult {
  return {
    message: closing.lines.map((line) => `firedrill: ${line}`).join("\n"),
    exitCode: closing.exitCode,
  };
}

/** What stopping the TUI says when no drill is live: a signal ends it with 128+signal. */
function stopExitCode(stop: DrillStop): number {
  if (stop.kind === "signal") return signalExitCode(stop.signal);
  return stop.kind === "hangup" ? signalExitCode("SIGHUP") : 1;
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
  /**
   * A signal or a closed terminal. A live drill is stopped (the effect below follows it to its
   * end); otherwise the TUI ends at once, after any clean-up still running.
   */
  const interrupt = useCallback(
    (stop: DrillStop) => {
      const port = portRef.current;
      if (port && !port.snapshot().state.ended) {
        port.stop(stop);
        return;
      }
      if (closing.current) return;
      closing.current = true;
      if (!port) {
        finish({ message: "", exitCode: stopExitCode(stop) });
        return;
      }
      void port
        .closing()
        .then((c) =>
          finish({ ...closingResult(c), exitCode: c.exitCode === 3 ? 3 : stopExitCode(stop) }),
        );
    },
    [finish],
  );
  /** Ctrl-C: stops a live drill as SIGINT would; anywhere else it quits. */
  const ctrlC = useCallback(() => {
    const port = portRef.current;
    if (port && !port.snapshot().state.ended) {
      port.stop({ kind: "signal", signal: "SIGINT", label: "Ctrl-C" });
      return;
    }
    if (closing.current) return;
    closing.current = true;
    if (!port) finish({ message: "", exitCode: 0 });
    else void port.closing().then((c) => finish(closingResult(c)));
  }, [finish]);
  useLayoutEffect(() => {
    if (interruptRef) interruptRef.current = interrupt;
  }, [interruptRef, interrupt]);

  // Ctrl-C is the app's; the screen on show gets the rest, none while the terminal is too small.
  const interceptKey = (input: string, key: KeyPress) => {
    if (match([INTERRUPT], input, key) !== "interrupt") return tooSmall;
    ctrlC();
    return true;
  };

  // The cockpit hands over to the debrief as soon as the engine says the drill is over; a drill
  // stopped from outside (Ctrl-C, a signal, a closed terminal, the journal) ends the TUI instead,
  // once every fault is reverted.
  useEffect(() => {
    if (screen.name !== "cockpit") return;
    const { port, scenario: id } = screen;
    let moved = false;
    const check = () => {
      const snapshot = port.snapshot();
      if (moved || !snapshot.state.ended) return;
      moved = true;
      if (snapshot.stop) {
        closing.current = true;
        const why =
          snapshot.stop.kind === "signal"
            ? (snapshot.stop.label ?? snapshot.stop.signal)
            : "stopped";
        setScreen({
          name: "closing",
          message: `${why}: aborting the drill — reverting faults, closing the journal…`,
        });
        void port.closing().then((c) => finish(closingResult(c)));
        return;
      }
      setScreen({ name: "debrief", port, scenario: id, previous: null });
      void port.closing().finally(() => {
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
  }, [screen, deps, finish]);

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
          // The engine's refusal carries its exit code (2: nothing applied; 3: something stayed).
          const exitCode = (e as { exitCode?: unknown }).exitCode;
          if (scenario)
            finish({
              message: `firedrill: could not start the drill: ${message(e)}`,
              exitCode: typeof exitCode === "number" ? exitCode : 2,
            });
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
    if (action === "history") setScreen({ name: "history", scenario: s.scenario, back: s });
    else if (action === "picker") {
      played.current.push(playedLine(s.port.snapshot()));
      setDrill(null);
      // The drill just written changes "last drilled": read the catalog again.
      setEntries(null);
      setScreen({ name: "picker" });
    } else if (!closing.current) {
      // As the headless run: the engine's outcome decides the exit code. The drill's own line is
      // said once; the engine's words are added only when a fault is still applied.
      closing.current = true;
      played.current.push(playedLine(s.port.snapshot()));
      void s.port.closing().then((c) => {
        const said = closingResult(c);
        finish({ exitCode: said.exitCode, message: c.exitCode === 3 ? said.message : "" });
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
      <ScreenKeys active={keysOn} intercept={interceptKey}>
        {small}
        <Box display={tooSmall ? "none" : "flex"} flexDirection="column">
          {body}
        </Box>
      </ScreenKeys>
    </ThemeProvider>
  );
}
