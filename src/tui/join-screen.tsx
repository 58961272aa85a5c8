import { Box, Text, useInput } from "ink";
import { useEffect, useState, useSyncExternalStore } from "react";
import type { ResponderAction } from "../drill/actions.js";
import type { NoteTag } from "../drill/events.js";
import type { DrillState } from "../drill/state.js";
import { clip } from "../platform/text-table.js";
import { presenceText } from "../share/share-protocol.js";
import { headerView, type ViewLine } from "./cockpit-view.js";
import { clock } from "./format.js";
import { JOIN_KEYS, type JoinAction } from "./join-keys.js";
import type { JoinStore } from "./join-store.js";
import { facilitatorPanel, joinTimeline, watchSummary } from "./join-view.js";
import { footerItems, match } from "./keys.js";
import { useTone } from "./theme.js";

interface Prompt {
  label: string;
  text: string;
  submit: (text: string) => ResponderAction;
}

const NOTE_PROMPTS: Partial<Record<JoinAction, { label: string; tag?: NoteTag }>> = {
  note: { label: "note" },
  observation: { label: "observation", tag: "observation" },
  decision: { label: "decision", tag: "decision" },
  actionItem: { label: "action item", tag: "action" },
};

function Lines({ lines }: { lines: readonly ViewLine[] }) {
  const tone = useTone();
  return (
    <>
      {lines.map((line, i) => (
        <Text
          // biome-ignore lint/suspicious/noArrayIndexKey: lines are positional, redrawn whole
          key={i}
          wrap="truncate-end"
          {...(line.tone ? { color: tone(line.tone) } : {})}
        >
          {line.text}
        </Text>
      ))}
    </>
  );
}

/** The drill clock as the joined screen shows it: the last event's time plus what has passed. */
function useDrillClock(state: DrillState | null, receivedAt: number): number {
  const [, setNow] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (!state) return 0;
  if (state.ended || state.paused) return state.elapsed;
  return state.elapsed + Math.max(0, Date.now() - receivedAt);
}

/** A joined role's screen: what the role may know, the timeline, and the role's keys. */
export function JoinScreen({
  store,
  width,
  height,
  onQuit,
}: {
  store: JoinStore;
  width: number;
  height: number;
  onQuit: () => void;
}) {
  const view = useSyncExternalStore(store.subscribe, store.snapshot);
  const tone = useTone();
  const [prompt, setPrompt] = useState<Prompt | null>(null);
  const { role, state } = view;
  const keys = JOIN_KEYS[role];
  const elapsed = useDrillClock(state, view.receivedAt);

  useInput((input, key) => {
    if (prompt) {
      if (key.escape) setPrompt(null);
      else if (key.return) {
        if (prompt.text.trim() !== "") store.act(prompt.submit(prompt.text.trim()));
        setPrompt(null);
      } else if (key.backspace || key.delete)
        setPrompt({ ...prompt, text: prompt.text.slice(0, -1) });
      else if (!key.ctrl && !key.meta && input) setPrompt({ ...prompt, text: prompt.text + input });
      return;
    }
    if (key.ctrl && input === "c") return onQuit();
    const action = match(keys, input, key);
    if (!action) return;
    const note = NOTE_PROMPTS[action];
    if (note) {
      setPrompt({
        label: note.label,
        text: "",
        submit: (text) => ({ type: "note", text, ...(note.tag ? { tag: note.tag } : {}) }),
      });
      return;
    }
    switch (action) {
      case "quit":
        return onQuit();
      case "reveal":
        return store.act({ type: "revealNextSignal" });
      case "inject":
        return store.act({ type: "injectNextFault" });
      case "hint":
        return store.act({ type: "giveHint" });
      case "pause":
        return store.act(state?.paused ? { type: "resumeClock" } : { type: "pauseClock" });
      case "end":
      case "abort":
        setPrompt({
          label: `${action} because`,
          text: "",
          submit: (reason) =>
            action === "end" ? { type: "endDrill", reason } : { type: "abort", reason },
        });
        return;
    }
  });

  if (!state || !view.hello) {
    return <Text>joining the drill as {role}…</Text>;
  }
  const { scenario, mode } = state.setup;
  // The same words as the responder's header (the facilitator's: WAITING until the first fault).
  const phase = headerView(state, elapsed, role === "facilitator").phase;
  const panel =
    role === "facilitator" ? facilitatorPanel(state, width) : watchSummary(state, width);
  const footer = footerItems(keys).join("  ");
  const fixed = 3 + panel.length + 1 + (prompt || view.notice ? 1 : 0) + 1;
  const timeline = joinTimeline(state.events, width);
  const room = Math.max(1, height - fixed);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate-end">
        {clip(`firedrill join · ${scenario.title} · ${role}`, width)}
      </Text>
      <Text wrap="truncate-end">
        {clip(
          `${mode} · ${phase} · ⏱ ${clock(elapsed)} · responder ${state.setup.responder} · joined: ${presenceText(view.presence)}`,
          width,
        )}
      </Text>
      <Text> </Text>
      <Lines lines={panel} />
      <Text bold>timeline</Text>
      <Lines lines={timeline.slice(-room)} />
      <Box flexGrow={1} />
      {prompt ? (
        <Text wrap="truncate-end">
          {clip(`${prompt.label}: ${prompt.text}▏ (Enter sends, Esc cancels)`, width)}
        </Text>
      ) : view.notice ? (
        <Text wrap="truncate-end" color={tone("warn")}>
          {clip(view.notice, width)}
        </Text>
      ) : null}
      <Text wrap="truncate-end" color={tone("muted")}>
        {clip(footer, width)}
      </Text>
    </Box>
  );
}
