/**
 * The one step loop of a headless run: every step of one runner, or of
 * several side by side (`--compare`), until the last step, Ctrl-C or the
 * output's reader going away; then every traced process is closed.
 *
 * Stopping is at once, not after the current step: the step in flight is
 * abandoned (what it recorded so far stays in the trace) and the runners are
 * closed, which ends their child processes. A second Ctrl-C while closing
 * exits on the spot; the children end with the IPC channel they were given.
 */
import type { Trace } from "../trace/model.js";
import { asRunError } from "./boundary.js";
import { EXIT, RunError } from "./errors.js";
import type { Output } from "./output.js";

/** Something that runs steps: the Node runner or the Flask one. */
export interface StepRunner {
  readonly nextStep: number;
  readonly stepCount: number;
  readonly failure?: string;
  /** The planned steps, when the runner knows them (for the steps a stopped run never ran). */
  readonly steps?: readonly { readonly title: string }[];
  runNext(): Promise<void>;
  close(): Promise<void>;
  trace(): Trace;
}

/** Why a run ended before its last step. */
export type StopReason = "interrupted" | "output-closed";

/** What may stop a headless run early: SIGINT, and the output's end. Dispose of it when the run is over. */
export class RunStop {
  private why?: StopReason;
  private markStopped!: (reason: StopReason) => void;
  /** Resolves with the first reason the run was stopped. */
  readonly stopped: Promise<StopReason>;
  private readonly onSigint = (): void => {
    // The first Ctrl-C stops the run; one more means the closing itself is stuck.
    if (this.why === "interrupted") process.exit(EXIT.interrupted);
    this.stop("interrupted");
  };

  constructor(output?: Output) {
    this.stopped = new Promise((resolve) => (this.markStopped = resolve));
    process.on("SIGINT", this.onSigint);
    void output?.closed.then(() => this.stop("output-closed"));
  }

  /** Why the run was stopped, if it was. */
  get reason(): StopReason | undefined {
    return this.why;
  }

  /** Stops the run (the first reason given is kept, except that Ctrl-C always counts). */
  stop(reason: StopReason): void {
    if (this.why && !(reason === "interrupted" && this.why !== "interrupted")) return;
    this.why = reason;
    this.markStopped(reason);
  }

  /** Removes the SIGINT handler: outside a run, Ctrl-C is Node's again. */
  dispose(): void {
    process.off("SIGINT", this.onSigint);
  }
}

/** Hooks of {@link runSteps}. */
export interface StepLoopOptions<R extends StepRunner> {
  /** Whether `runner` has a step left to run (default: until its last step). */
  more?(runner: R): boolean;
  /** Called after each step (to print what is final); a rejection fails the run. */
  afterStep?(runner: R): Promise<void>;
  /** Called once every step ran and before the runners close (to wait for external clients). */
  beforeClose?(stopped: Promise<StopReason>): Promise<void>;
}

/**
 * Runs every step of `runners` side by side and closes them all, whatever
 * happens. Resolves to the reason the run stopped early, or undefined when
 * it ran to the end. A failure of a traced process or of a step is thrown as
 * a one-line {@link RunError}; after a stop, a child ending because of it
 * (the terminal's Ctrl-C reaches the children too) is not a failure.
 */
export async function runSteps<R extends StepRunner>(runners: readonly R[], stop: RunStop, options: StepLoopOptions<R> = {}): Promise<StopReason | undefined> {
  const more = (runner: R): boolean => (options.more ? options.more(runner) : runner.nextStep < runner.stepCount);
  let failure: unknown;
  try {
    const all = Promise.all(
      runners.map(async (runner) => {
        while (!stop.reason && more(runner)) {
          const step = runner.runNext();
          // A step abandoned by a stop fails once its processes are closed: that is expected.
          step.catch(() => undefined);
          await Promise.race([step, stop.stopped]);
          if (!stop.reason) await options.afterStep?.(runner);
        }
      }),
    );
    all.catch(() => undefined);
    await Promise.race([stop.stopped, all]);
    if (!stop.reason) await options.beforeClose?.(stop.stopped);
  } catch (error) {
    failure = error;
  } finally {
    await Promise.all(runners.map((runner) => runner.close()));
  }
  if (stop.reason) return stop.reason;
  for (const runner of runners) if (runner.failure) throw new RunError(runner.failure);
  if (failure) throw asRunError(failure);
  return undefined;
}

/**
 * Starts runners together. If one fails to start, the others are closed and
 * its error is thrown (as a {@link RunError} when it is a run's failure). If
 * the run is stopped meanwhile, each is closed once it is up and the result
 * is undefined.
 */
export async function startRunners<R extends StepRunner>(starts: readonly Promise<R>[], stop: RunStop): Promise<R[] | undefined> {
  const settled = await Promise.allSettled(starts);
  const up = settled.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (!failed && !stop.reason) return up;
  await Promise.all(up.map((runner) => runner.close()));
  if (stop.reason) return undefined;
  throw asRunError(failed!.reason);
}
