/**
 * Every key the TUI understands, in one table per screen. Screens ask `match()` what a keypress
 * means and the footer and `?` help are printed from the same tables, so a key can never work
 * without being shown or be shown without working.
 */

/** The subset of ink's `Key` this file reads; tests build it with `keyOf`. */
export interface KeyPress {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  return?: boolean;
  escape?: boolean;
  tab?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
  shift?: boolean;
}

type Named =
  | "up"
  | "down"
  | "left"
  | "right"
  | "pageUp"
  | "pageDown"
  | "enter"
  | "esc"
  | "tab"
  | "backTab";

/** A key: a named key, a printable character, or ctrl+character. */
export type KeySpec = Named | { char: string } | { ctrl: string };

export interface Binding<A extends string> {
  action: A;
  keys: readonly KeySpec[];
  /** short label for the footer */
  label: string;
  /** one line for the `?` help */
  help: string;
  /** false: only in the help; a string: the footer's text for it (a pair of cursor keys shares one) */
  footer?: boolean | string;
}

const NAMED_LABEL: Record<Named, string> = {
  up: "↑",
  down: "↓",
  left: "←",
  right: "→",
  pageUp: "PgUp",
  pageDown: "PgDn",
  enter: "Enter",
  esc: "Esc",
  tab: "Tab",
  backTab: "Shift-Tab",
};

/** Shift-Tab as terminals send it (CSI Z); ink reports it as Tab with shift, and input "". */
const BACK_TAB = "\u001b[Z";

function isBackTab(input: string, key: KeyPress): boolean {
  return input === BACK_TAB || (key.tab === true && key.shift === true);
}

function isNamed(spec: KeySpec, input: string, key: KeyPress): boolean {
  switch (spec) {
    case "up":
      return key.upArrow === true;
    case "down":
      return key.downArrow === true;
    case "left":
      return key.leftArrow === true;
    case "right":
      return key.rightArrow === true;
    case "pageUp":
      return key.pageUp === true;
    case "pageDown":
      return key.pageDown === true;
    case "enter":
      return key.return === true;
    case "esc":
      return key.escape === true;
    case "tab":
      return key.tab === true && !isBackTab(input, key);
    case "backTab":
      return isBackTab(input, key);
    default:
      return false;
  }
}

export function matches(spec: KeySpec, input: string, key: KeyPress): boolean {
  if (typeof spec === "string") return isNamed(spec, input, key);
  if ("ctrl" in spec) return key.ctrl === true && input.toLowerCase() === spec.ctrl;
  if (key.ctrl === true || key.meta === true) return false;
  return input === spec.char;
}

export function match<A extends string>(
  bindings: readonly Binding<A>[],
  input: string,
  key: KeyPress,
): A | undefined {
  for (const binding of bindings) {
    if (binding.keys.some((spec) => matches(spec, input, key))) return binding.action;
  }
  return undefined;
}

export function keyLabel(spec: KeySpec): string {
  if (typeof spec === "string") return NAMED_LABEL[spec];
  if ("ctrl" in spec) return `Ctrl-${spec.ctrl.toUpperCase()}`;
  return spec.char === " " ? "space" : spec.char;
}

export function keysLabel(binding: Binding<string>): string {
  return binding.keys.map(keyLabel).join("/");
}

/** `key label` pairs for the footer, in table order. */
export function footerItems(bindings: readonly Binding<string>[]): string[] {
  const items: string[] = [];
  for (const b of bindings) {
    if (typeof b.footer === "string") items.push(b.footer);
    else if (b.footer !== false) items.push(`${keysLabel(b)} ${b.label}`);
  }
  return items;
}

const c = (char: string): KeySpec => ({ char });

export const INTERRUPT: Binding<"interrupt"> = {
  action: "interrupt",
  keys: [{ ctrl: "c" }],
  label: "abort & quit",
  help: "abort safely at any time: faults reverted, journal closed",
  footer: false,
};

export type PickerAction = "up" | "down" | "choose" | "history" | "clear" | "quit";
export const PICKER_KEYS: readonly Binding<PickerAction>[] = [
  { action: "up", keys: ["up"], label: "", help: "previous scenario", footer: "↑↓ move" },
  { action: "down", keys: ["down"], label: "", help: "next scenario", footer: false },
  { action: "choose", keys: ["enter"], label: "brief", help: "open the scenario's briefing" },
  { action: "history", keys: ["tab"], label: "history", help: "TTR history of the scenario" },
  { action: "clear", keys: [{ ctrl: "u" }], label: "clear filter", help: "clear the filter" },
  { action: "quit", keys: ["esc"], label: "quit", help: "quit" },
];

export type BriefingAction = "start" | "mode" | "modeBack" | "back";
export const BRIEFING_KEYS: readonly Binding<BriefingAction>[] = [
  { action: "start", keys: ["enter"], label: "start drill", help: "start the drill" },
  { action: "mode", keys: ["tab"], label: "mode", help: "switch tabletop / gameday" },
  {
    action: "modeBack",
    keys: ["backTab"],
    label: "mode",
    help: "switch the mode the other way",
    footer: false,
  },
  { action: "back", keys: ["esc"], label: "back", help: "back to the picker (or quit)" },
];

export type CockpitAction =
  | "up"
  | "down"
  | "complete"
  | "skip"
  | "run"
  | "note"
  | "procedures"
  | "adhoc"
  | "hint"
  | "ack"
  | "escalate"
  | "mitigate"
  | "abort"
  | "cancel"
  | "help"
  | "scrollUp"
  | "scrollDown"
  | "zoom"
  | "revealSignal"
  | "injectFault";
export const COCKPIT_KEYS: readonly Binding<CockpitAction>[] = [
  { action: "up", keys: ["up", c("k")], label: "", help: "cursor up", footer: "↑↓/jk move" },
  { action: "down", keys: ["down", c("j")], label: "", help: "cursor down", footer: false },
  {
    action: "complete",
    keys: ["enter", c(" ")],
    label: "done",
    help: "pick the procedure / mark the step done",
  },
  { action: "skip", keys: [c("s")], label: "skip", help: "skip the step" },
  { action: "run", keys: [c("r")], label: "run", help: "run the step's command (asks first)" },
  { action: "note", keys: [c("n")], label: "note", help: "write a note on the step" },
  { action: "procedures", keys: [c("p")], label: "procs", help: "back to the procedure list" },
  { action: "adhoc", keys: [c("!")], label: "cmd", help: "run an ad-hoc command (off-runbook)" },
  { action: "hint", keys: [c("h")], label: "hint", help: "take a hint (shows its cost first)" },
  { action: "ack", keys: [c("a")], label: "ack", help: "acknowledge the incident" },
  { action: "escalate", keys: [c("e")], label: "escalate", help: "escalate to a level" },
  { action: "mitigate", keys: [c("m")], label: "mitigated", help: "declare the impact mitigated" },
  { action: "abort", keys: [c("x")], label: "abort", help: "abort the drill (asks first)" },
  { action: "cancel", keys: ["esc"], label: "cancel", help: "cancel the running command" },
  {
    action: "scrollUp",
    keys: ["pageUp"],
    label: "",
    help: "scroll the output pane up",
    // The pane's status line shows these when its lines do not all fit: the only time they do anything.
    footer: false,
  },
  {
    action: "scrollDown",
    keys: ["pageDown"],
    label: "",
    help: "scroll the output pane down",
    footer: false,
  },
  {
    action: "zoom",
    keys: [c("z")],
    label: "zoom",
    help: "the output pane full screen (z again closes)",
    footer: false,
  },
  { action: "help", keys: [c("?")], label: "help", help: "show every key" },
  {
    action: "revealSignal",
    keys: [c("R")],
    label: "reveal",
    help: "facilitator (tabletop): reveal the next signal now",
  },
  {
    action: "injectFault",
    keys: [c("F")],
    label: "inject",
    help: "facilitator (tabletop): inject the next fault now",
  },
];

const FACILITATOR_ACTIONS: readonly CockpitAction[] = ["revealSignal", "injectFault"];

/**
 * The responder never sees the facilitator's keys: they exist only with `--facilitator`, and only
 * in tabletop (a gameday's faults and signals run on their own clock).
 */
export function cockpitKeys(
  mode: "tabletop" | "gameday",
  facilitator = false,
): readonly Binding<CockpitAction>[] {
  if (facilitator && mode === "tabletop") return COCKPIT_KEYS;
  return COCKPIT_KEYS.filter((b) => !FACILITATOR_ACTIONS.includes(b.action));
}

export type OutputAction = "up" | "down" | "pageUp" | "pageDown" | "close";
/** The output pane zoomed to the whole screen: it has every key until it is closed. */
export const OUTPUT_KEYS: readonly Binding<OutputAction>[] = [
  {
    action: "up",
    keys: ["up", c("k")],
    label: "",
    help: "scroll up a line",
    footer: "↑↓/jk scroll",
  },
  { action: "down", keys: ["down", c("j")], label: "", help: "scroll down a line", footer: false },
  {
    action: "pageUp",
    keys: ["pageUp"],
    label: "",
    help: "scroll up a page",
    footer: "PgUp/PgDn page",
  },
  { action: "pageDown", keys: ["pageDown"], label: "", help: "scroll down a page", footer: false },
  {
    action: "close",
    keys: [c("z"), "esc", c("q")],
    label: "back to the cockpit",
    help: "close the zoomed output",
  },
];

export type ConfirmAction = "yes" | "no";
export const CONFIRM_KEYS: readonly Binding<ConfirmAction>[] = [
  { action: "yes", keys: [c("y"), "enter"], label: "yes", help: "confirm" },
  { action: "no", keys: [c("n"), "esc"], label: "no", help: "cancel" },
];

export type PromptAction = "submit" | "cancel";
export const PROMPT_KEYS: readonly Binding<PromptAction>[] = [
  { action: "submit", keys: ["enter"], label: "ok", help: "submit" },
  { action: "cancel", keys: ["esc"], label: "cancel", help: "cancel" },
];

export type ChooseAction = "up" | "down" | "submit" | "cancel";
export const CHOOSE_KEYS: readonly Binding<ChooseAction>[] = [
  { action: "up", keys: ["up", c("k")], label: "", help: "previous", footer: "↑↓ move" },
  { action: "down", keys: ["down", c("j")], label: "", help: "next", footer: false },
  { action: "submit", keys: ["enter"], label: "choose", help: "choose" },
  { action: "cancel", keys: ["esc"], label: "cancel", help: "cancel" },
];

export type DebriefAction = "quit" | "picker" | "history" | "up" | "down";
export const DEBRIEF_KEYS: readonly Binding<DebriefAction>[] = [
  {
    action: "up",
    keys: ["up", c("k")],
    label: "",
    help: "scroll timeline up",
    footer: "↑↓ scroll",
  },
  {
    action: "down",
    keys: ["down", c("j")],
    label: "",
    help: "scroll timeline down",
    footer: false,
  },
  { action: "history", keys: ["tab"], label: "history", help: "TTR history of this scenario" },
  { action: "picker", keys: [c("p")], label: "picker", help: "back to the scenario picker" },
  { action: "quit", keys: [c("q"), "enter"], label: "quit", help: "quit" },
];

export type HistoryAction = "up" | "down" | "back";
export const HISTORY_KEYS: readonly Binding<HistoryAction>[] = [
  { action: "up", keys: ["up", c("k")], label: "", help: "previous scenario", footer: "↑↓ move" },
  { action: "down", keys: ["down", c("j")], label: "", help: "next scenario", footer: false },
  { action: "back", keys: ["esc", c("q")], label: "back", help: "back" },
];
