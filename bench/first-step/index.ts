// How soon the first step *could* be printed: the time from process start to the end of
// step 1 through the runner's own API (what a streaming headless mode would wait for).
// Prints one JSON line: { startMs, firstStepMs, allStepsMs } since this process started.
import { Runner } from "../../src/scenario/runner.js";
import { nodeRuntime } from "../../src/runtime/node/node-runtime.js";
import { loadScenario, PACKAGE_ROOT } from "../../src/trace/scenario.js";

const loadedMs = performance.now();
const runner = await Runner.start({ scenario: loadScenario("chat"), projectRoot: PACKAGE_ROOT, command: "bench", runtime: nodeRuntime({ host: "127.0.0.1", port: 0 }) });
const startMs = performance.now();
await runner.runNext();
const firstStepMs = performance.now();
await runner.runAll();
const allStepsMs = performance.now();
await runner.close();
console.log(JSON.stringify({ loadedMs, startMs, firstStepMs, allStepsMs }));
