/**
 * Reading a trace file named on the command line (`replay trace.json`,
 * `export --from trace.json`): any problem with the file — missing, cut,
 * foreign, from a newer trace-socket — is a `UsageError` with one line naming
 * the file and the problem (exit 2), never a stack trace.
 */
import { readTraceFile, TraceFileError } from "../trace/trace-file.js";
import type { Trace } from "../trace/model.js";
import { UsageError } from "./errors.js";

/** Reads and validates the trace file at `path`. Throws `UsageError`. */
export async function readTraceInput(path: string): Promise<Trace> {
  try {
    return await readTraceFile(path);
  } catch (error) {
    if (error instanceof TraceFileError) throw new UsageError(`cannot read ${path}: ${error.message}`);
    throw error;
  }
}
