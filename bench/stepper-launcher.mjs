#!/usr/bin/env node
// Opens the stepper on the live chat scenario through dist/cli/interactive.js, the way the
// binary will once its main wires interactive mode in; bench/startup.mjs uses it to time
// the first paint until then.
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { runInteractive } = await import(pathToFileURL(join(root, "dist/cli/interactive.js")).href);
const { loadScenario, PACKAGE_ROOT } = await import(pathToFileURL(join(root, "dist/trace/scenario.js")).href);
process.exitCode = await runInteractive({
  live: { scenario: loadScenario("chat"), projectRoot: PACKAGE_ROOT, host: "127.0.0.1", port: 0, command: "trace-socket" },
  color: false,
  offline: true,
});
