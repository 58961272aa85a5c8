import { type Key, useInput } from "ink";
import { createContext, useContext, useRef } from "react";
import type { KeyPress } from "./keys.js";

export type KeyHandler = (input: string, key: KeyPress) => void;

/**
 * Ink hands a burst of plain keystrokes (fast typing, tmux send-keys, a paste) to the handler as
 * one string; "\t\r" would then mean nothing. Splits such a burst back into one keypress each.
 * Escape sequences (arrows, …) arrive alone and pass through untouched.
 */
export function keystrokes(input: string, key: KeyPress): [string, KeyPress][] {
  const chars = [...input];
  if (chars.length <= 1 || input.startsWith("\u001b")) return [[input, key]];
  return chars.map((ch): [string, KeyPress] => {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === "\r" || ch === "\n") return ["\r", { return: true }];
    if (ch === "\t") return ["\t", { tab: true }];
    if (ch === "\u007f" || ch === "\b") return ["", { backspace: true }];
    if (code < 0x20) return [String.fromCharCode(code + 96), { ctrl: true }];
    return [ch, {}];
  });
}

/** `useInput` with bursts split into keypresses; inactive (never crashing) without a TTY stdin. */
export function useKeys(handler: KeyHandler, isActive: boolean): void {
  const latest = useRef(handler);
  latest.current = handler;
  useInput(
    (input: string, key: Key) => {
      for (const [one, press] of keystrokes(input, key)) latest.current(one, press);
    },
    { isActive },
  );
}

/**
 * The app listens to stdin once, from its first frame, and hands each key to the screen on show.
 * A screen subscribing on its own would do so in an effect, after its first frame: keys typed in
 * that gap (a fast typist, tmux send-keys) would be lost.
 */
export const KeyRouter = createContext<{ current: KeyHandler | null } | null>(null);

/** A screen's keys: through the app's router when there is one, else straight from stdin. */
export function useScreenKeys(handler: KeyHandler, isActive: boolean): void {
  const router = useContext(KeyRouter);
  if (router && isActive) router.current = handler;
  useKeys(handler, isActive && router === null);
}
