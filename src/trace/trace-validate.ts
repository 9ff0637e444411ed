/**
 * Checks that parsed JSON really is a trace of the current schema, field by
 * field, and says what is wrong in one line with the path to it
 * (`steps[3].calls[0].children[2]: missing field fn`). Iterative over call
 * trees, which can be deep. Pure; unknown extra fields are allowed (additions
 * do not bump the schema version).
 */
import { preview } from "./json-schema.js";
import type { Trace } from "./model.js";

/** A file that cannot be read as a trace; the message is one line, fit for a CLI error. */
export class TraceFileError extends Error {
  override readonly name = "TraceFileError";
}

const KINDS = ["function", "method", "constructor", "getter", "setter", "arrow", "closure"];
const ASYNC_KINDS = ["promise", "tick", "timer", "immediate", "io", "other"];
const LOG_SOURCES = ["stdout", "stderr", "debug", "client"];
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A position in the document; the path string is only built when something is wrong. */
interface At {
  readonly parent?: At;
  readonly key: string | number;
}

function pathOf(at: At | undefined): string {
  const keys: (string | number)[] = [];
  for (let a = at; a; a = a.parent) keys.push(a.key);
  keys.reverse();
  // Deep call trees make absurd paths: keep both ends, cut between a name and its index.
  let shown: (string | number)[] = keys;
  if (keys.length > 24) {
    const tail = typeof keys[keys.length - 10] === "number" ? keys.slice(-11) : keys.slice(-10);
    shown = [...keys.slice(0, 10), `…(${keys.length - 10 - tail.length} more)…`, ...tail];
  }
  return shown.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 || k.startsWith("…") || String(shown[i - 1]).startsWith("…") ? k : `.${k}`)).join("");
}

function fail(at: At | undefined, problem: string): never {
  const path = pathOf(at);
  throw new TraceFileError(path ? `${path}: ${problem}` : problem);
}

function child(parent: At | undefined, key: string | number): At {
  return parent ? { parent, key } : { key };
}

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function object(value: unknown, at: At | undefined, what = "an object"): Obj {
  if (!isObj(value)) fail(at, `expected ${what}, got ${preview(value)}`);
  return value;
}

function get(o: Obj, key: string, at: At | undefined, optional: boolean): unknown {
  const value = Object.hasOwn(o, key) ? o[key] : undefined;
  if (value === undefined && !optional) fail(at, `missing field ${key}`);
  return value;
}

function check(o: Obj, key: string, at: At | undefined, test: (v: unknown) => boolean, what: string, optional = false): void {
  const value = get(o, key, at, optional);
  if (value !== undefined && !test(value)) fail(child(at, key), `expected ${what}, got ${preview(value)}`);
}

const isString = (v: unknown): boolean => typeof v === "string";
const isInt = (v: unknown): boolean => Number.isSafeInteger(v);
const isNumber = (v: unknown): boolean => typeof v === "number" && Number.isFinite(v);
const isBool = (v: unknown): boolean => typeof v === "boolean";
const oneOf = (values: readonly string[]) => (v: unknown): boolean => typeof v === "string" && values.includes(v);
const isStringRecord = (v: unknown): boolean => isObj(v) && Object.values(v).every((x) => typeof x === "string");
const isListRecord = (v: unknown): boolean =>
  isObj(v) && Object.values(v).every((x) => Array.isArray(x) && x.every((y) => typeof y === "string"));

function list(o: Obj, key: string, at: At | undefined): unknown[] {
  const value = get(o, key, at, false);
  if (!Array.isArray(value)) fail(child(at, key), `expected a list, got ${preview(value)}`);
  return value;
}

function checkMeta(value: unknown, version: number): void {
  const at = child(undefined, "meta");
  const meta = object(value, at);
  check(meta, "schema", at, (v) => v === "trace-socket", "\"trace-socket\"");
  check(meta, "version", at, (v) => v === version, `${version} (the file's version)`);
  for (const key of ["tool", "node", "platform", "startedAt", "command", "scenario"]) check(meta, key, at, isString, "a string");
  check(meta, "packages", at, isStringRecord, "package versions by name");
  check(meta, "address", at, isString, "a string", true);
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

function checkFunctions(functions: unknown[]): Set<number> {
  const ids = new Set<number>();
  functions.forEach((value, i) => {
    const at = child(child(undefined, "functions"), i);
    const fn = object(value, at);
    check(fn, "id", at, isInt, "an integer");
    check(fn, "name", at, isString, "a string");
    check(fn, "file", at, isString, "a string");
    for (const key of ["line", "column", "endLine"]) check(fn, key, at, isInt, "an integer");
    check(fn, "pkg", at, isString, "a package name");
    check(fn, "version", at, isString, "a string", true);
    check(fn, "kind", at, oneOf(KINDS), KINDS.join(", "));
    for (const key of ["className", "member", "enclosing"]) check(fn, key, at, isString, "a string", true);
    check(fn, "generated", at, isBool, "true or false", true);
    check(fn, "process", at, isInt, "an integer", true);
    ids.add(fn.id as number);
  });
  return ids;
}

function checkCalls(roots: unknown[], rootAt: At, functions: Set<number>): void {
  const pending: [unknown, At][] = roots.map((node, i) => [node, child(rootAt, i)]);
  while (pending.length) {
    const [value, at] = pending.pop()!;
    const node = object(value, at, "a call");
    check(node, "seq", at, isInt, "an integer");
    check(node, "fn", at, isInt, "an integer");
    if (!functions.has(node.fn as number)) fail(child(at, "fn"), `no function with id ${node.fn as number} in functions`);
    check(node, "start", at, isNumber, "a number");
    check(node, "end", at, isNumber, "a number");
    check(node, "detached", at, isBool, "true or false", true);
    check(node, "process", at, isInt, "an integer", true);
    checkAsync(node, at);
    const children = list(node, "children", at);
    const childrenAt = child(at, "children");
    for (let i = children.length - 1; i >= 0; i--) pending.push([children[i], child(childrenAt, i)]);
  }
}

function checkAsync(node: Obj, at: At): void {
  const asyncLink = get(node, "async", at, true);
  if (asyncLink === undefined) return;
  const linkAt = child(at, "async");
  const link = object(asyncLink, linkAt);
  check(link, "kind", linkAt, oneOf(ASYNC_KINDS), ASYNC_KINDS.join(", "));
  check(link, "from", linkAt, isInt, "an integer");
}

/** A step's repeated turns: each names a root of the step's `calls` it repeats. */
function checkTurns(step: Obj, at: At): void {
  if (get(step, "turns", at, true) === undefined) return;
  const roots = new Set((list(step, "calls", at) as { seq?: unknown }[]).map((root) => root?.seq));
  list(step, "turns", at).forEach((value, i) => {
    const turnAt = child(child(at, "turns"), i);
    const turn = object(value, turnAt);
    for (const key of ["like", "seq"]) check(turn, key, turnAt, isInt, "an integer");
    if (!roots.has(turn.like)) fail(child(turnAt, "like"), `no call with seq ${turn.like as number} among the step's top-level calls`);
    check(turn, "start", turnAt, isNumber, "a number");
    check(turn, "end", turnAt, isNumber, "a number");
    check(turn, "process", turnAt, isInt, "an integer", true);
    checkAsync(turn, turnAt);
  });
}

function checkClaimResults(value: unknown, at: At): void {
  if (!Array.isArray(value)) fail(at, `expected a list, got ${preview(value)}`);
  (value as unknown[]).forEach((item, i) => {
    const claimAt = child(at, i);
    const claim = object(item, claimAt);
    check(claim, "text", claimAt, isString, "a string");
    check(claim, "status", claimAt, oneOf(["held", "not-seen", "unchecked", "pending"]), "held, not-seen, unchecked or pending");
    if (get(claim, "reason", claimAt, true) !== undefined) check(claim, "reason", claimAt, isString, "a string");
  });
}

const isStringList = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === "string");

/** A step's `state`: the servers' namespaces, their middlewares, sockets and rooms. */
function checkState(value: unknown, at: At): void {
  const state = object(value, at);
  list(state, "servers", at).forEach((serverValue, i) => {
    const serverAt = child(child(at, "servers"), i);
    const server = object(serverValue, serverAt);
    check(server, "path", serverAt, isString, "a string");
    list(server, "namespaces", serverAt).forEach((nspValue, j) => {
      const nspAt = child(child(serverAt, "namespaces"), j);
      const nsp = object(nspValue, nspAt);
      check(nsp, "name", nspAt, isString, "a string");
      list(nsp, "middlewares", nspAt).forEach((fnValue, k) => {
        const fnAt = child(child(nspAt, "middlewares"), k);
        const fn = object(fnValue, fnAt);
        check(fn, "name", fnAt, isString, "a string");
        check(fn, "fn", fnAt, isInt, "an integer", true);
      });
      list(nsp, "sockets", nspAt).forEach((socketValue, k) => {
        const socketAt = child(child(nspAt, "sockets"), k);
        const socket = object(socketValue, socketAt);
        for (const key of ["id", "address", "transport", "auth"]) check(socket, key, socketAt, isString, "a string");
        check(socket, "rooms", socketAt, isStringList, "a list of room names");
        check(socket, "query", socketAt, isStringRecord, "string values by name");
      });
      list(nsp, "rooms", nspAt).forEach((roomValue, k) => {
        const roomAt = child(child(nspAt, "rooms"), k);
        const room = object(roomValue, roomAt);
        check(room, "name", roomAt, isString, "a string");
        check(room, "members", roomAt, isStringList, "a list of socket ids");
      });
    });
  });
}

function checkSteps(steps: unknown[], functions: Set<number>, chunkSeqs: Set<number>): void {
  steps.forEach((value, i) => {
    const at = child(child(undefined, "steps"), i);
    const step = object(value, at);
    check(step, "index", at, isInt, "an integer");
    for (const key of ["id", "title", "explanation"]) check(step, key, at, isString, "a string");
    check(step, "values", at, isStringRecord, "string values by name");
    check(step, "started", at, isNumber, "a number");
    check(step, "ended", at, isNumber, "a number");
    const codeValue = get(step, "code", at, true);
    if (codeValue !== undefined) {
      const codeAt = child(at, "code");
      const code = object(codeValue, codeAt);
      check(code, "file", codeAt, isString, "a string");
      check(code, "line", codeAt, isInt, "an integer");
      check(code, "text", codeAt, isString, "a string");
      check(code, "side", codeAt, oneOf(["server", "client", "stepper"]), "server, client or stepper");
    }
    const listenersValue = get(step, "listeners", at, true);
    if (listenersValue !== undefined) {
      const listenersAt = child(at, "listeners");
      const listeners = object(listenersValue, listenersAt);
      check(listeners, "before", listenersAt, isListRecord, "listener names by event");
      check(listeners, "after", listenersAt, isListRecord, "listener names by event");
    }
    const claimsValue = get(step, "claims", at, true);
    if (claimsValue !== undefined) checkClaimResults(claimsValue, child(at, "claims"));
    const stateValue = get(step, "state", at, true);
    if (stateValue !== undefined) checkState(stateValue, child(at, "state"));
    const chunks = list(step, "chunks", at);
    chunks.forEach((seq, j) => {
      if (!isInt(seq)) fail(child(child(at, "chunks"), j), `expected an integer, got ${preview(seq)}`);
      if (!chunkSeqs.has(seq as number)) fail(child(child(at, "chunks"), j), `no chunk with seq ${seq as number} in chunks`);
    });
    checkCalls(list(step, "calls", at), child(at, "calls"), functions);
    checkTurns(step, at);
  });
}

function checkChunks(chunks: unknown[]): Set<number> {
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

function checkRest(trace: Obj): void {
  list(trace, "connections", undefined).forEach((value, i) => {
    const at = child(child(undefined, "connections"), i);
    const connection = object(value, at);
    check(connection, "id", at, isInt, "an integer");
    check(connection, "remote", at, isString, "a string");
    check(connection, "local", at, isString, "a string");
    check(connection, "opened", at, isNumber, "a number");
    check(connection, "closed", at, isNumber, "a number", true);
    check(connection, "process", at, isInt, "an integer", true);
  });
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

/**
 * Validates a parsed trace document of schema `version` (already checked to
 * be one this build reads) and returns it typed. Throws {@link TraceFileError}.
 */
export function validateTrace(document: Obj, version: number): Trace {
  checkMeta(get(document, "meta", undefined, false), version);
  const functions = checkFunctions(list(document, "functions", undefined));
  const chunkSeqs = checkChunks(list(document, "chunks", undefined));
  checkSteps(list(document, "steps", undefined), functions, chunkSeqs);
  checkRest(document);
  const { meta, functions: fns, steps, connections, chunks, logs, dropped } = document;
  return { meta, functions: fns, steps, connections, chunks, logs, dropped } as unknown as Trace;
}
