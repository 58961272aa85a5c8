/** Environment variable names whose values are treated as secrets. */
const SECRET_NAME = /(_TOKEN|_SECRET|_KEY)$|PASSWORD/i;

/** Values shorter than this are not redacted: replacing "1" or "on" everywhere would garble output. */
const MIN_SECRET_LENGTH = 4;

/**
 * Builds a function that replaces the values of secret-looking environment variables
 * (`*_TOKEN`, `*_SECRET`, `*PASSWORD*`, `*_KEY`) with `[redacted NAME]`, so command output
 * can be journaled without leaking credentials.
 */
export function secretRedactor(env: NodeJS.ProcessEnv = process.env): (text: string) => string {
  const secrets = Object.entries(env)
    .filter((entry): entry is [string, string] => {
      const [name, value] = entry;
      return (
        SECRET_NAME.test(name) && typeof value === "string" && value.length >= MIN_SECRET_LENGTH
      );
    })
    // Longest first, so a secret that contains another is replaced whole.
    .sort((a, b) => b[1].length - a[1].length);
  if (secrets.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const [name, value] of secrets) out = out.split(value).join(`[redacted ${name}]`);
    return out;
  };
}
