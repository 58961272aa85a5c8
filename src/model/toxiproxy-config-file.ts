import { z } from "zod";
import { ProxySpec } from "./scenario.js";

/**
 * Toxiproxy's `-config` file: a JSON array of {name, listen, upstream, enabled}. One schema, read
 * in one of two modes:
 * - `strict`: a scenario's `proxies: { file }`; each proxy as in a scenario's `proxies:` list
 *   (names and host:port checked, unknown keys refused), so a drill fails before it starts.
 * - `lenient`: `firedrill proxy --config`, which reads files written for toxiproxy-server the way
 *   toxiproxy-server does: unknown keys ignored, name and upstream any non-empty text, listen any
 *   text. Addresses are checked when the proxy listens and dials, with the error Toxiproxy gives.
 */
export type ToxiproxyConfigMode = "strict" | "lenient";

const text = (field: string, hint = "") =>
  z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? `field ${field} is required${hint}`
          : `field ${field} must be a string`,
    })
    .min(1, `field ${field} is required${hint}`);

const LenientProxy = z.object(
  {
    name: text("name"),
    listen: z.string({ error: "field listen must be a string" }).optional(),
    upstream: text("upstream", " (host:port)"),
    enabled: z.boolean({ error: "field enabled must be true or false" }).optional(),
  },
  { error: "expected an object with name, listen, upstream, enabled" },
);

const EXAMPLE = `[{"name": "redis", "listen": "127.0.0.1:26379", "upstream": "127.0.0.1:6379"}]`;

export function toxiproxyConfig(mode: "strict"): z.ZodArray<typeof ProxySpec>;
export function toxiproxyConfig(mode: "lenient"): z.ZodArray<typeof LenientProxy>;
export function toxiproxyConfig(mode: ToxiproxyConfigMode) {
  if (mode === "strict") return z.array(ProxySpec);
  return z.array(LenientProxy, { error: `expected an array of proxies like ${EXAMPLE}` });
}

/** A proxy as `firedrill proxy --config` reads it (the lenient mode). */
export type ToxiproxyConfigEntry = z.output<typeof LenientProxy>;
