/**
 * Runs the built-in scenario headless, every step in order, and hands back the
 * trace: what `export` renders when it is not given `--from`. Ctrl-C stops
 * after the current step; the servers are always closed.
 */
import { Runner } from "../scenario/runner.js";
import { loadScenario, PACKAGE_ROOT } from "../trace/scenario.js";
import type { Trace } from "../trace/model.js";
import { asRunError, runAllSteps } from "./run-steps.js";

/** How to run the scenario. */
export interface RecordOptions {
  readonly scenario?: string;
  readonly host: string;
  readonly port: number;
  /** The command line, for the trace's metadata. */
  readonly command: string;
}

/** A finished (or interrupted) run. */
export interface Recording {
  readonly trace: Trace;
  /** Ctrl-C came before the last step. */
  readonly interrupted: boolean;
}

/** Runs all steps of the scenario and returns the trace. Throws `RunError` when the traced app or a child fails. */
export async function recordScenario(options: RecordOptions): Promise<Recording> {
  const runner = await Runner.start({
    scenario: loadScenario(options.scenario),
    projectRoot: PACKAGE_ROOT,
    host: options.host,
    port: options.port,
    command: options.command,
  }).catch((error: unknown) => {
    throw asRunError(error);
  });
  const interrupted = await runAllSteps([runner]);
  return { trace: runner.trace(), interrupted };
}
