import { Box, Text } from "ink";
import { useEffect, useRef, useState } from "react";
import type { Mode } from "../../model/scenario.js";
import { clip } from "../../platform/text-table.js";
import { type BriefingUi, briefingKey, initialBriefingUi } from "../briefing-state.js";
import { briefingSections, modeSwitch } from "../briefing-view.js";
import { Footer } from "../components/footer.js";
import { Line } from "../components/panel.js";
import type { Briefing, Preflight, StartOptions } from "../drill-port.js";
import { withCaret } from "../format.js";
import { BRIEFING_KEYS } from "../keys.js";
import { failedPreflight, wantsPreflight } from "../preflight-view.js";
import { useTone } from "../theme.js";
import { useScreenKeys } from "../use-keys.js";

export interface BriefingViewProps {
  briefing: Briefing;
  ui: BriefingUi;
  preflight: Preflight | null;
  cols: number;
  rows: number;
  /** `--facilitator`: also what is injected, where and when */
  facilitator?: boolean;
}

export function BriefingView({
  briefing,
  ui,
  preflight,
  cols,
  rows,
  facilitator = false,
}: BriefingViewProps) {
  const tone = useTone();
  const height = Math.max(12, rows) - 1;
  const bottom = 4;
  const lines = briefingSections(briefing, ui.mode, preflight, cols, height - bottom, facilitator);
  const responder = withCaret(ui.responder);
  return (
    <Box flexDirection="column" width={cols} height={height}>
      <Box flexDirection="column" height={height - bottom}>
        {lines.slice(0, height - bottom).map((line, i) => (
          <Text
            // biome-ignore lint/suspicious/noArrayIndexKey: briefing lines are positional
            key={i}
            wrap="truncate-end"
            bold={line.bold === true}
            color={line.tone ? tone(line.tone) : undefined}
          >
            {line.text === "" ? " " : clip(line.text, cols)}
          </Text>
        ))}
      </Box>
      <Text wrap="truncate-end">
        <Text bold>Mode </Text>
        <Text color={tone("accent")}>{modeSwitch(briefing.scenario.modes, ui.mode)}</Text>
        <Text bold>{"   Responder "}</Text>
        <Text color={tone("accent")}>{responder}</Text>
      </Text>
      <Line width={cols} color={tone("warn")}>
        {ui.flash ? `! ${ui.flash}` : " "}
      </Line>
      <Footer
        bindings={BRIEFING_KEYS}
        extra={["type your name", "Ctrl-C quit"]}
        width={cols}
        rows={2}
      />
    </Box>
  );
}

export interface BriefingScreenProps {
  briefing: Briefing;
  defaultResponder: string;
  defaultMode?: Mode | undefined;
  loadPreflight: () => Promise<Preflight>;
  cols: number;
  rows: number;
  keysActive: boolean;
  facilitator?: boolean;
  onStart: (options: StartOptions) => void;
  onBack: () => void;
}

export function BriefingScreen(props: BriefingScreenProps) {
  const { briefing, loadPreflight, keysActive, onStart, onBack } = props;
  const [ui, setUi] = useState(() =>
    initialBriefingUi(briefing.scenario.modes, props.defaultResponder, props.defaultMode),
  );
  const uiRef = useRef(ui);
  const [preflight, setPreflight] = useState<Preflight | null>(null);
  const wantPreflight = wantsPreflight(ui.mode);
  useEffect(() => {
    if (!wantPreflight || preflight) return;
    let live = true;
    loadPreflight().then(
      (result) => live && setPreflight(result),
      (error: unknown) => live && setPreflight(failedPreflight(error)),
    );
    return () => {
      live = false;
    };
  }, [wantPreflight, preflight, loadPreflight]);
  useScreenKeys((input, key) => {
    const step = briefingKey(
      uiRef.current,
      { modes: briefing.scenario.modes, preflightOk: preflight ? preflight.ok : null },
      input,
      key,
    );
    uiRef.current = step.ui;
    setUi(step.ui);
    if (step.outcome.kind === "start")
      onStart({
        scenario: briefing.scenario.id,
        mode: step.outcome.mode,
        responder: step.outcome.responder,
      });
    if (step.outcome.kind === "back") onBack();
  }, keysActive);
  return (
    <BriefingView
      briefing={briefing}
      ui={ui}
      preflight={preflight}
      cols={props.cols}
      rows={props.rows}
      facilitator={props.facilitator === true}
    />
  );
}
