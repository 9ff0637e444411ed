/**
 * The trace as JSON lines: one self-describing record a line, so that a
 * consumer can stream it. Documented in `src/trace/SCHEMA.md`.
 */
import { stringifyAny } from "../trace/json-write.js";
import type { Trace } from "../trace/model.js";

/** Yields the lines (without newlines) of a trace's JSON-lines form. Call trees of any depth are fine. */
export function* jsonLines(trace: Trace): Generator<string> {
  yield JSON.stringify({ type: "meta", ...trace.meta });
  for (const fn of trace.functions) yield JSON.stringify({ type: "function", ...fn });
  for (const connection of trace.connections) yield JSON.stringify({ type: "connection", ...connection });
  for (const chunk of trace.chunks) yield JSON.stringify({ type: "chunk", ...chunk });
  for (const step of trace.steps) yield stringifyAny({ type: "step", ...step });
  for (const log of trace.logs) yield JSON.stringify({ type: "log", ...log });
  yield JSON.stringify({ type: "dropped", ...trace.dropped });
}
