import { EXIT } from "../drill/outcome.js";

/**
 * Exit codes every command follows: 0 ok, 1 a finding (lint errors, failed drill), 2 usage or input
 * error. A drill adds 3 (a fault could not be reverted) and 128+signal when interrupted: see
 * `exitCodeOf` in src/drill/outcome.ts.
 */
export const EXIT_OK = EXIT.ok;
export const EXIT_FINDING = EXIT.finding;
export const EXIT_USAGE = EXIT.usage;

/** A problem the user can fix (bad flag, unreadable file); printed without a stack trace, exit 2. */
export class UsageError extends Error {
  readonly exitCode = EXIT_USAGE;
}

/** Ends the command with this exit code after its output has been written. */
export class ExitWith extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}
