import { type Key, useInput } from "ink";
import {
  createContext,
  createElement,
  type ReactNode,
  useContext,
  useLayoutEffect,
  useRef,
} from "react";
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
  const latest = useLatest(handler);
  useInput(
    (input: string, key: Key) => {
      for (const [one, press] of keystrokes(input, key)) latest.current(one, press);
    },
    { isActive },
  );
}

/**
 * A ref to the handler of the last committed render. Written in a layout effect, not during
 * render: a render React throws away (StrictMode, a memoised child skipped) never leaves its
 * handler behind, and a key that arrives after a commit sees that commit's handler.
 */
function useLatest(handler: KeyHandler): { readonly current: KeyHandler } {
  const latest = useRef(handler);
  useLayoutEffect(() => {
    latest.current = handler;
  });
  return latest;
}

interface KeyRoute {
  current: KeyHandler | null;
}

const KeyRouter = createContext<KeyRoute | null>(null);

export interface ScreenKeysProps {
  active: boolean;
  /** Sees each key first; true when it took the key (Ctrl-C), or to keep it from the screen. */
  intercept: (input: string, key: KeyPress) => boolean;
  children?: ReactNode;
}

/**
 * The app listens to stdin once, from its first frame, and hands each key to the screen on show.
 * A screen registers in a layout effect, which runs in the same commit as its first frame: no key
 * typed after that frame (a fast typist, tmux send-keys) can miss it, as one could if each screen
 * subscribed to stdin in a passive effect of its own.
 */
export function ScreenKeys({ active, intercept, children }: ScreenKeysProps): ReactNode {
  const route = useRef<KeyHandler | null>(null);
  useKeys((input, key) => {
    if (!intercept(input, key)) route.current?.(input, key);
  }, active);
  return createElement(KeyRouter.Provider, { value: route }, children);
}

/** A screen's keys: through the app's router when there is one, else straight from stdin. */
export function useScreenKeys(handler: KeyHandler, isActive: boolean): void {
  const router = useContext(KeyRouter);
  const latest = useLatest(handler);
  useLayoutEffect(() => {
    if (!router || !isActive) return;
    const dispatch: KeyHandler = (input, key) => latest.current(input, key);
    router.current = dispatch;
    return () => {
      if (router.current === dispatch) router.current = null;
    };
  }, [router, isActive, latest]);
  useKeys(handler, isActive && router === null);
}
