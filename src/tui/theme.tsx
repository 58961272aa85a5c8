import { createContext, useContext } from "react";

/** Colour names the views use; mapped to terminal colours, or to nothing under NO_COLOR. */
export type Tone =
  | "alert"
  | "log"
  | "metric"
  | "probe"
  | "good"
  | "bad"
  | "warn"
  | "accent"
  | "muted"
  | "title";

const COLORS: Record<Tone, string> = {
  alert: "red",
  log: "gray",
  metric: "cyan",
  probe: "magenta",
  good: "green",
  bad: "red",
  warn: "yellow",
  accent: "cyan",
  muted: "gray",
  title: "blueBright",
};

export type Paint = (tone: Tone) => string | undefined;

const colored: Paint = (tone) => COLORS[tone];
const plain: Paint = () => undefined;

export function paintFor(color: boolean): Paint {
  return color ? colored : plain;
}

const ThemeContext = createContext<Paint>(plain);

export const ThemeProvider = ThemeContext.Provider;

/** `color={tone("alert")}`: undefined (terminal default) when colour is off. */
export function useTone(): Paint {
  return useContext(ThemeContext);
}
