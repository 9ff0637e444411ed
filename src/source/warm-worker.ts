/**
 * Worker-thread entry of {@link warmSourceIndex}: loads the source index of
 * every installed family package, which builds (with ts-morph) and caches the
 * ones not cached yet. Off the main thread, a cold build cannot freeze the
 * stepper's screen. Reports nothing: the cache on disk is the result.
 */
import { workerData } from "node:worker_threads";
import { findInstalledFamily } from "./package-locate.js";
import { openSourceIndex } from "./source-index.js";

const { projectRoot, offline } = workerData as { projectRoot: string; offline: boolean };
const index = await openSourceIndex(projectRoot, { offline });
for (const pkg of await findInstalledFamily(projectRoot)) await index.functionsIn(`${pkg.dir}/package.json`);
