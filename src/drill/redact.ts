import type { Env } from "../model/env.js";
import { type Redact, redactDeep, textRedactor } from "../model/secrets.js";

export type { Redact } from "../model/secrets.js";

/**
 * The redactor for text leaving the process: values of secret variables in `env` (`*_TOKEN*`,
 * `*_SECRET*`, `*PASSWORD*`, `*_KEY`, `DATABASE_URL`, `*_URL` with credentials…) become
 * `[redacted NAME]`, and credentials recognised by their shape (`user:pass@` in a URL, `token=`
 * query values, bearer tokens) become `[redacted]`. The rules are in `model/secrets.ts`.
 */
export function secretRedactor(env: Env = process.env): Redact {
  return textRedactor(env);
}

/** A copy of an object to store or print (an event, a summary) with every string redacted. */
export function redactValue<T>(value: T, redact: Redact): T {
  return redactDeep(value, redact);
}
