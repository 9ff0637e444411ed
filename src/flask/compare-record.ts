/**
 * `--compare` in the stepper: the Flask chat is recorded first, whole and
 * headless, and handed to the stepper as the trace to compare with, while the
 * socket.io chat runs live, one step per key.
 */
import { RunError, UsageError } from "../cli/errors.js";
import type { Trace } from "../trace/model.js";
import { startFlaskRunner, type FlaskFlags } from "./command.js";

function asRunError(error: unknown): Error {
  if (error instanceof UsageError || error instanceof RunError) return error;
  return new RunError((error as Error)?.message ?? String(error));
}

/**
 * Records every step of the Flask chat and closes its processes. Resolves to
 * undefined when SIGINT came first; a missing Python side is a
 * {@link UsageError}, a failed run a {@link RunError}.
 *
 * @example
 * const compare = await recordFlaskForCompare(flags, argv);
 * if (compare) await runInteractive({ live, color, compare });
 */
export async function recordFlaskForCompare(flags: FlaskFlags, argv: readonly string[]): Promise<Trace | undefined> {
  let interrupted = false;
  const onSigint = (): void => {
    interrupted = true;
  };
  process.once("SIGINT", onSigint);
  try {
    const runner = await startFlaskRunner(flags, argv).catch((error: unknown) => {
      throw asRunError(error);
    });
    try {
      while (!interrupted && runner.nextStep < runner.stepCount) await runner.runNext();
    } catch (error) {
      throw asRunError(error);
    } finally {
      await runner.close();
    }
    if (runner.failure) throw new RunError(runner.failure);
    return interrupted ? undefined : runner.trace();
  } finally {
    process.off("SIGINT", onSigint);
  }
}
