/**
 * The trace model: what a traced run produced, as plain immutable data.
 *
 * Everything here is JSON-safe (raw bytes travel as base64 strings) so that the
 * same objects are streamed as JSON lines, written to a trace file, replayed in
 * the stepper and rendered to markdown. See `SCHEMA.md` beside this file.
 *
 * The types live by concern in `model-calls.ts`, `model-wire.ts`, `model-steps.ts` and
 * `model-meta.ts`; this file re-exports them so that every importer names one module.
 */

import type { FunctionInfo } from "./model-calls.js";
import type { CrossLink, Dropped, LogLine, TraceMeta } from "./model-meta.js";
import type { Step } from "./model-steps.js";
import type { Chunk, Connection } from "./model-wire.js";

export * from "./model-calls.js";
export * from "./model-meta.js";
export * from "./model-steps.js";
export * from "./model-wire.js";

/** A whole trace. */
export interface Trace {
  readonly meta: TraceMeta;
  readonly functions: readonly FunctionInfo[];
  readonly steps: readonly Step[];
  readonly connections: readonly Connection[];
  readonly chunks: readonly Chunk[];
  readonly logs: readonly LogLine[];
  readonly dropped: Dropped;
  /** Messages between the processes of a run of several (`meta.processes`), each linked from its sender to each receiver. */
  readonly links?: readonly CrossLink[];
}
