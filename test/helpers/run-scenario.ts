/**
 * Runs a Node scenario for real, every step, and returns its trace: the
 * set-up of the integration tests that read a whole run. The runner is
 * always closed, whatever the run did.
 */
import { Runner } from "../../src/scenario/runner.js";
import { nodeRuntime } from "../../src/runtime/node/node-runtime.js";
import { PACKAGE_ROOT, type ScenarioDefinition } from "../../src/trace/scenario.js";
import type { Trace } from "../../src/trace/model.js";

/** Every step of `scenario` on a loopback ephemeral port, then the trace. */
export async function runScenario(scenario: ScenarioDefinition, command = "test"): Promise<Trace> {
  const runner = await Runner.start({ scenario, projectRoot: PACKAGE_ROOT, command, runtime: nodeRuntime({ host: "127.0.0.1", port: 0 }) });
  try {
    await runner.runAll();
  } finally {
    await runner.close();
  }
  return runner.trace();
}
