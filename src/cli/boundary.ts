/**
 * The CLI's one error boundary: what a failure of a traced process becomes
 * (`asRunError`), and how any error ends the command (`exitCodeFor`): one
 * readable line and exit 2 for usage (a broken scenario folder too), 1 for a
 * failed run, the stack for a bug.
 */
import { CommanderError } from "commander";
import { ChildExitedError, ChildTimeoutError, StepFailure } from "../runtime/child.js";
import { ScenarioFileError } from "../trace/scenario.js";
import { EXIT, RunError, UsageError } from "./errors.js";

/**
 * A failure of a child process, of the traced app or of the client as a
 * `RunError` (one line, exit 1); usage errors stay what they are, and anything
 * else is a bug and is returned unchanged, so its stack is shown.
 */
export function asRunError(error: unknown): unknown {
  if (error instanceof UsageError || error instanceof RunError) return error;
  if (error instanceof ChildExitedError || error instanceof ChildTimeoutError || error instanceof StepFailure) return new RunError(error.message);
  return error;
}

/** Reports `error` on `stderr` as the user's contract says and returns the exit code. */
export function exitCodeFor(error: unknown, stderr: { write(text: string): unknown } = process.stderr): number {
  if (error instanceof CommanderError) {
    // Commander has printed its own one line (or the help) already.
    return error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  const known = asRunError(error);
  // A scenario folder that breaks its schema is bad input like a bad flag: its message names the file and the field.
  if (known instanceof UsageError || known instanceof ScenarioFileError) {
    stderr.write(`trace-socket: ${known.message}\n`);
    return EXIT.usage;
  }
  if (known instanceof RunError) {
    stderr.write(`trace-socket: ${known.message}\n`);
    return EXIT.failure;
  }
  stderr.write(`trace-socket: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
  return EXIT.failure;
}
