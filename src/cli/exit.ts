/** Exit codes every command follows: 0 ok, 1 a finding (lint errors, failed drill), 2 usage or input error. */
export const EXIT_OK = 0;
export const EXIT_FINDING = 1;
export const EXIT_USAGE = 2;

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
