/**
 * The trace validator's wire: the chunks (their bytes must be base64), the connections, and the links between processes.
 */
import { check, child, get, isBool, isInt, isNumber, isString, list, object, oneOf, type Obj } from "./trace-validate-fields.js";

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Checks `chunks` and returns their seqs, which steps must name. */
export function checkChunks(chunks: unknown[]): Set<number> {
  const seqs = new Set<number>();
  chunks.forEach((value, i) => {
    const at = child(child(undefined, "chunks"), i);
    const chunk = object(value, at);
    check(chunk, "seq", at, isInt, "an integer");
    check(chunk, "conn", at, isInt, "an integer");
    check(chunk, "dir", at, oneOf(["in", "out"]), "\"in\" or \"out\"");
    check(chunk, "time", at, isNumber, "a number");
    check(chunk, "data", at, (v) => typeof v === "string" && v.length % 4 === 0 && BASE64.test(v), "base64 bytes");
    check(chunk, "size", at, isInt, "an integer");
    check(chunk, "truncated", at, isBool, "true or false", true);
    check(chunk, "call", at, isInt, "an integer", true);
    check(chunk, "process", at, isInt, "an integer", true);
    seqs.add(chunk.seq as number);
  });
  return seqs;
}

/** Checks the trace's `connections`. */
export function checkConnections(trace: Obj): void {
  list(trace, "connections", undefined).forEach((value, i) => {
    const at = child(child(undefined, "connections"), i);
    const connection = object(value, at);
    check(connection, "id", at, isInt, "an integer");
    check(connection, "remote", at, isString, "a string");
    check(connection, "local", at, isString, "a string");
    check(connection, "opened", at, isNumber, "a number");
    check(connection, "closed", at, isNumber, "a number", true);
    check(connection, "process", at, isInt, "an integer", true);
    check(connection, "outgoing", at, isBool, "true or false", true);
    check(connection, "service", at, isString, "a string", true);
  });
}

/** `links` (a run of several processes): each a channel and two ends, a process name and a chunk each. */
export function checkLinks(document: Obj): void {
  if (get(document, "links", undefined, true) === undefined) return;
  list(document, "links", undefined).forEach((value, i) => {
    const at = child(child(undefined, "links"), i);
    const link = object(value, at);
    check(link, "channel", at, isString, "a string");
    for (const side of ["from", "to"]) {
      const endAt = child(at, side);
      const end = object(get(link, side, at, false), endAt);
      check(end, "process", endAt, isString, "a string");
      for (const key of ["chunk", "call", "callEnd"]) check(end, key, endAt, isInt, "an integer", key !== "chunk");
    }
  });
}
