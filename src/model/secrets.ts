import type { Env } from "./env.js";

/**
 * The rules that say what a secret is, and text with them taken out. Pure: every layer that lets
 * text leave the process (journal, stdout, reports, ledger, logs) redacts with these, so one list
 * decides for all of them. docs/safety.md ("Secrets") documents the rules; keep the two in step.
 */

export type Redact = (text: string) => string;

/** `*_TOKEN*`, `*_SECRET*`, `*PASSWORD*`/`*PASSWD*`, `*_CREDENTIAL*`, `*_KEY`: the value is a secret. */
const SECRET_NAME = /(^|_)(TOKEN|SECRET|CREDENTIALS?)|PASSWORD|PASSWD|(^|_)KEY$/i;
/** The value is a secret when it carries credentials (`user:pass@`, `?token=`). */
const URL_NAME = /(^|_)(URL|URI|DSN)$/i;
/** Always a secret, credentials or not: it names the production database more often than not. */
const ALWAYS_SECRET = new Set(["DATABASE_URL"]);

/** Shorter values are left alone: replacing "1" or "on" everywhere would garble every line. */
const MIN_SECRET_LENGTH = 4;
/** A flag, not a secret, whatever the variable is called (`GITHUB_TOKEN_ENABLED=true`). */
const NOT_A_SECRET = /^(true|false|yes|no|on|off|null|none|undefined)$/i;
/** The least of a secret worth hiding when a truncation (`…`) cut it. */
const MIN_PART = 4;

/** Query parameters whose value is a credential wherever the URL appears. */
const CREDENTIAL_KEY =
  "[A-Za-z0-9_.-]*(?:token|secret|passw(?:or)?d|pwd|api[_-]?key|apikey|signature|credential)[A-Za-z0-9_.-]*";
/** Too common as words to redact outside a query string (`exit code=1`). */
const QUERY_ONLY_KEY = "key|sig|auth|code";
/** Characters a redacted value runs over: stops at quotes, spaces, markup, and our own `[redacted …]`. */
const VALUE = `[^\\s&#"'<>\\[\\]\\\\]+`;

const PATTERNS: readonly [RegExp, string][] = [
  // scheme://user:password@host: the password goes, the user stays to say whose it was.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/?#"'<>[\]\\]*:)([^\s@/?#"'<>[\]\\]+)@/gi, "$1[redacted]@"],
  [new RegExp(`([?&;](?:${CREDENTIAL_KEY}|${QUERY_ONLY_KEY})=)${VALUE}`, "gi"), "$1[redacted]"],
  [new RegExp(`((?<![A-Za-z0-9_])${CREDENTIAL_KEY}=)${VALUE}`, "gi"), "$1[redacted]"],
  [/(authorization:\s*(?:(?:bearer|basic|token|digest)\s+)?)[^\s"'<>[\]\\]+/gi, "$1[redacted]"],
  [/\b(bearer\s+)[A-Za-z0-9._~+/-]{8,}=*/gi, "$1[redacted]"],
  // Token shapes that say what they are, for a token pasted in a file rather than set in the env.
  [
    /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|sk_live_[A-Za-z0-9]{16,})/g,
    "[redacted]",
  ],
];

interface Secret {
  name: string;
  value: string;
}

/** Whether a variable of this name holds a secret, judging by the name alone. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) || ALWAYS_SECRET.has(name.toUpperCase());
}

/** Whether the variable `name=value` holds a secret: by its name, or a URL that carries credentials. */
export function isSecretVariable(name: string, value: string): boolean {
  if (value.length < MIN_SECRET_LENGTH || NOT_A_SECRET.test(value)) return false;
  if (isSecretName(name)) return true;
  return URL_NAME.test(name) && redactCredentials(value) !== value;
}

/** The environment's secrets, whole values only: what `referenceSecrets` can put back. */
function wholeSecrets(env: Env): Secret[] {
  const secrets: Secret[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (typeof value === "string" && isSecretVariable(name, value)) secrets.push({ name, value });
  }
  return secrets;
}

/**
 * Every form a secret can take in text we write: the value, its parts that are secrets on their
 * own (a URL's password and credential query values), and each of those as JSON, HTML and a URL
 * escape them, since reports and `--json` lines are redacted after they were rendered.
 */
function secretForms(env: Env): Secret[] {
  const forms = new Map<string, string>();
  const add = (name: string, value: string) => {
    if (value.length < MIN_SECRET_LENGTH || forms.has(value)) return;
    forms.set(value, name);
  };
  for (const { name, value } of wholeSecrets(env)) {
    for (const part of [value, ...credentialParts(value)]) {
      for (const form of escapes(part)) add(name, form);
    }
  }
  // Longest first, so a secret that contains another is replaced whole.
  return [...forms]
    .map(([value, name]) => ({ name, value }))
    .sort((a, b) => b.value.length - a.value.length);
}

function credentialParts(value: string): string[] {
  const parts: string[] = [];
  for (const match of value.matchAll(/:\/\/[^\s:@/?#]*:([^\s@/?#]+)@/g)) {
    if (match[1]) parts.push(match[1], safeDecode(match[1]));
  }
  const query = new RegExp(`[?&](?:${CREDENTIAL_KEY}|${QUERY_ONLY_KEY})=([^&#\\s]+)`, "gi");
  for (const match of value.matchAll(query)) {
    if (match[1]) parts.push(match[1], safeDecode(match[1]));
  }
  return parts;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function escapes(value: string): string[] {
  const html = value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
  return [
    value,
    JSON.stringify(value).slice(1, -1),
    html,
    html.replaceAll("'", "&apos;"),
    encodeURIComponent(value),
    value.replaceAll('"', '""'),
  ];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Credentials that text shows by its shape, whatever the environment: URL passwords, tokens. */
export function redactCredentials(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/**
 * Builds the redactor for an environment: the value of every secret variable becomes
 * `[redacted NAME]` (also when a truncation marked `…` left only a piece of it), then credentials
 * recognised by their shape become `[redacted]`. Build it once per boundary; it is cheap to call.
 */
export function textRedactor(env: Env): Redact {
  const secrets = secretForms(env);
  const byValue = new Map(secrets.map((s) => [s.value, s.name]));
  // One pass, so a `[redacted NAME]` just written is never matched again.
  const whole =
    secrets.length > 0
      ? new RegExp(secrets.map((s) => escapeRegExp(s.value)).join("|"), "g")
      : null;
  return (text) => {
    if (text === "") return text;
    let out = whole ? text.replace(whole, (value) => `[redacted ${byValue.get(value)}]`) : text;
    if (secrets.length > 0 && out.includes("…")) out = redactCutSecrets(out, secrets);
    return redactCredentials(out);
  };
}

/**
 * A secret cut by a truncation survives in part: `…` then its end, or its start then `…`. The part
 * is replaced and the `…` kept, so redacting after someone else's truncation still hides it.
 */
function redactCutSecrets(text: string, secrets: readonly Secret[]): string {
  let out = "";
  let from = 0;
  for (let at = text.indexOf("…"); at !== -1; at = text.indexOf("…", at + 1)) {
    const head = longestPart(secrets, (value, k) => {
      return at - k >= from && text.slice(at - k, at) === value.slice(0, k);
    });
    const tail = longestPart(secrets, (value, k) => text.startsWith(value.slice(-k), at + 1));
    if (!head && !tail) continue;
    out += text.slice(from, head ? at - head.length : at);
    if (head) out += `[redacted ${head.name}]`;
    out += "…";
    if (tail) out += `[redacted ${tail.name}]`;
    from = at + 1 + (tail?.length ?? 0);
    at = from - 1;
  }
  return out + text.slice(from);
}

/** The secret with the longest part (MIN_PART ≤ length < the whole) for which `matches` holds. */
function longestPart(
  secrets: readonly Secret[],
  matches: (value: string, length: number) => boolean,
): { name: string; length: number } | undefined {
  let best: { name: string; length: number } | undefined;
  for (const { name, value } of secrets) {
    for (let k = value.length - 1; k >= Math.max(MIN_PART, (best?.length ?? 0) + 1); k--) {
      if (matches(value, k)) {
        best = { name, length: k };
        break;
      }
    }
  }
  return best;
}

/** A copy of a JSON-like value with every string (not the keys) redacted. */
export function redactDeep<T>(value: T, redact: Redact): T {
  return walk(value, redact) as T;
}

function walk(value: unknown, redact: Redact): unknown {
  if (typeof value === "string") return redact(value);
  if (Array.isArray(value)) return value.map((item) => walk(item, redact));
  if (value !== null && typeof value === "object") {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = walk(item, redact);
    return copy;
  }
  return value;
}

/**
 * For text that must still work once read back (the ledger's revert commands): every secret value
 * from the environment becomes a `${NAME}` reference, which `interpolate` with the same environment
 * restores; a `${` already in the text is escaped as `$${` so it reads back unchanged.
 */
export function secretReferencer(env: Env): Redact {
  const secrets = wholeSecrets(env).sort((a, b) => b.value.length - a.value.length);
  const byValue = new Map(secrets.map((s) => [s.value, s.name]));
  const pattern = new RegExp(
    [...secrets.map((s) => escapeRegExp(s.value)), "\\$\\{"].join("|"),
    "g",
  );
  return (text) =>
    text.replace(pattern, (found) => (found === "${" ? "$${" : `\${${byValue.get(found)}}`));
}

/** One text redacted with the process's environment, for the odd message built outside a boundary. */
export function redactSecrets(text: string, env: Env = process.env): string {
  return textRedactor(env)(text);
}
