/**
 * Running every step of one runner, or of several side by side (`--compare`),
 * until the last step or Ctrl-C; and the one place where a runner's failure
 * becomes the CLI's one-line `RunError`.
 */
import { ChildExitedError, ChildTimeoutError, StepFailure } from "../scenario/child.js";
import type { Trace } from "../trace/model.js";
import { RunError, UsageError } from "./errors.js";

/** Something that runs steps: the Node runner or the Flask one. */
export interface StepRunner {
  readonly nextStep: number;
  readonly stepCount: number;
  readonly failure?: string;
  runNext(): Promise<void>;
  close(): Promise<void>;
  trace(): Trace;
}

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

/** Runs every step of `runners` side by side and closes them; resolves to true when Ctrl-C stopped it. */
export async function runAllSteps(runners: readonly StepRunner[]): Promise<boolean> {
  let interrupted = false;
  const onSigint = (): void => {
    interrupted = true;
  };
  process.once("SIGINT", onSigint);
  let failure: unknown;
  try {
    await Promise.all(
      runners.map(async (runner) => {
        while (!interrupted && runner.nextStep < runner.stepCount) await runner.runNext();
      }),
    );
  } catch (error) {
    failure = error;
  } finally {
    process.off("SIGINT", onSigint);
    await Promise.all(runners.map((runner) => runner.close()));
  }
  for (const runner of runners) if (runner.failure) throw new RunError(runner.failure);
  if (failure) throw asRunError(failure);
  return interrupted;
}
