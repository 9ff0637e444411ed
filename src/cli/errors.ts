/**
 * Typed errors of the CLI; `src/cli/main.ts` is the one place they become exit codes.
 */

/** Exit codes of the user's contract. */
export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;

/** Bad flags, arguments or input files: one readable line, exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** The traced app or a child process failed: a readable message, exit 1. */
export class RunError extends Error {
  override readonly name = "RunError";
}
