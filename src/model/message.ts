/** What to tell a user about a thrown value: an Error's message, anything else as text. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The system error code (ECONNREFUSED, ENOTFOUND…) behind a failed connection, if any: fetch
 * hides it in `cause`, and a connection tried on several addresses in `errors`.
 */
export function systemErrorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z_]+$/.test(code)) return code;
    const errors = (current as { errors?: unknown }).errors;
    current =
      Array.isArray(errors) && errors.length > 0
        ? errors[0]
        : (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The message of the innermost cause: fetch's own is a bare "fetch failed". */
export function innermostMessage(error: unknown): string {
  let innermost: unknown = error;
  while (innermost instanceof Error && innermost.cause instanceof Error)
    innermost = innermost.cause;
  return messageOf(innermost);
}
