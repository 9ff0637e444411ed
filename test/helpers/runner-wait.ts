/**
 * Waiting on a traced run as an event: the traced process sends what it recorded every
 * few ms, and each batch the runner takes in wakes the check. No polling, no sleeps.
 */
import type { Runner } from "../../src/scenario/runner.js";

/**
 * Resolves once `ready()` holds, checked now and after every batch the runner takes in;
 * at `timeoutMs` it resolves anyway, so the test's own assertion says what is missing.
 */
export function recordedWhen(runner: Runner, ready: () => boolean, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stop();
      clearTimeout(timer);
      resolve();
    };
    const stop = runner.addChangeListener(() => {
      if (ready()) done();
    });
    const timer = setTimeout(done, timeoutMs);
    runner.flush();
    if (ready()) done();
  });
}
