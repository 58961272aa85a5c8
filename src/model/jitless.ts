import { z } from "zod";

/**
 * zod compiles a parser for each object schema (`new Function`) the first time it is used. That
 * pays off for `lint` over a thousand files; for the TUI, which parses a handful before its first
 * frame, it was ~13 ms of that frame. Global to zod, so only a process that parses little calls it.
 */
export function parseWithoutCompiling(): void {
  z.config({ jitless: true });
}
