/**
 * What a step may do to the built-in client's process besides running its
 * script (`steps[].action` in a scenario's `steps.json`): things a script
 * cannot do to itself. `freeze` stops the process (SIGSTOP) for the step, so
 * it reads nothing and answers no ping but closes nothing either, like a
 * laptop lid shut; it is resumed (SIGCONT) once the step's `until` frame is on
 * the wire. `kill` ends it at once (SIGKILL): the operating system closes its
 * connections, with no close frame and no goodbye packet. Nothing here knows
 * a scenario: the steps say which action, the wire says when it is over.
 */
import type { ClientAction } from "../trace/scenario.js";
import { StepFailure } from "../runtime/child.js";

/** The client process, as an action needs it. */
export interface ActedClient {
  /** Sends `signal` to the client process; false when it is not running. */
  signal(signal: NodeJS.Signals): boolean;
}

/**
 * Runs `action` on the client; `until` waits for the step's awaited frame
 * and resolves to how that wait ended, which this returns. A frozen client
 * is always resumed, even when the wait fails, so that it can be stopped.
 */
export async function runClientAction<T>(action: ClientAction, client: ActedClient, until: () => Promise<T>): Promise<T> {
  if (action === "kill") {
    if (!client.signal("SIGKILL")) throw new StepFailure("the client is not running: nothing to kill (run a client step first)");
    return until();
  }
  if (!client.signal("SIGSTOP")) throw new StepFailure("the client is not running: nothing to freeze (run a client step first)");
  try {
    return await until();
  } finally {
    client.signal("SIGCONT");
  }
}
