/**
 * `${VAR}` and `${VAR:-default}` in string values, so one scenario works on any port or host.
 * `$${` stays a literal `${`. Anything else with a `$` (shell `$HOME`, `${x:+y}`) is left alone.
 */
const REFERENCE = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export type Env = Readonly<Record<string, string | undefined>>;

export interface Interpolated {
  value: string;
  /** Variables referenced without a default that are not set. */
  missing: string[];
}

export function interpolate(text: string, env: Env): Interpolated {
  if (!text.includes("${")) return { value: text, missing: [] };
  const missing: string[] = [];
  const value = text.replace(
    REFERENCE,
    (whole, dollar: string, name: string, fallback: string | undefined) => {
      if (dollar === "$") return whole.slice(1);
      const set = env[name];
      if (set !== undefined && set !== "") return set;
      if (fallback !== undefined) return fallback;
      if (set === "") return "";
      missing.push(name);
      return whole;
    },
  );
  return { value, missing };
}
