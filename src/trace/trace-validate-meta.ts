/**
 * The trace validator's frame: the meta (schema, version, packages, processes), the log lines
 * and the counts of what was dropped.
 */
import { preview } from "./json-schema.js";
import { check, child, fail, get, isInt, isNumber, isString, isStringRecord, list, object, oneOf, type Obj } from "./trace-validate-fields.js";

const LOG_SOURCES = ["stdout", "stderr", "debug", "client"];

/** Checks the meta of a file of schema `version`. */
export function checkMeta(value: unknown, version: number): void {
  const at = child(undefined, "meta");
  const meta = object(value, at);
  check(meta, "schema", at, (v) => v === "trace-socket", "\"trace-socket\"");
  check(meta, "version", at, (v) => v === version, `${version} (the file's version)`);
  for (const key of ["tool", "node", "platform", "startedAt", "command", "scenario"]) check(meta, key, at, isString, "a string");
  check(meta, "packages", at, isStringRecord, "package versions by name");
  check(meta, "address", at, isString, "a string", true);
  check(meta, "ownApp", at, (v) => v === true, "true (or absent)", true);
  check(meta, "sampledTurns", at, (v) => Number.isInteger(v) && (v as number) > 0, "a positive integer (or absent)", true);
  check(meta, "untimedTurns", at, (v) => Number.isInteger(v) && (v as number) > 0, "a positive integer (or absent)", true);
  const processes = get(meta, "processes", at, true);
  if (processes === undefined) return;
  const listAt = child(at, "processes");
  if (!Array.isArray(processes)) fail(listAt, `expected a list, got ${preview(processes)}`);
  (processes as unknown[]).forEach((value, i) => {
    const processAt = child(listAt, i);
    const info = object(value, processAt);
    check(info, "id", processAt, isInt, "an integer");
    check(info, "name", processAt, isString, "a string");
    check(info, "address", processAt, isString, "a string", true);
  });
}

/** Checks the trace's `logs` and `dropped`. */
export function checkLogsAndDropped(trace: Obj): void {
  list(trace, "logs", undefined).forEach((value, i) => {
    const at = child(child(undefined, "logs"), i);
    const log = object(value, at);
    check(log, "time", at, isNumber, "a number");
    check(log, "source", at, oneOf(LOG_SOURCES), LOG_SOURCES.join(", "));
    check(log, "text", at, isString, "a string");
    check(log, "call", at, isInt, "an integer", true);
    check(log, "process", at, isInt, "an integer", true);
  });
  const droppedAt = child(undefined, "dropped");
  const dropped = object(get(trace, "dropped", undefined, false), droppedAt);
  for (const key of ["calls", "chunks", "bytes", "logs"]) check(dropped, key, droppedAt, isInt, "an integer");
}
