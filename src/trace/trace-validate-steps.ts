/**
 * The trace validator's steps: each step's fields, its user code, listeners, claims and live
 * state, the chunks it names (which must exist) and its calls and turns.
 */
import { preview } from "./json-schema.js";
import { checkCalls, checkTurns } from "./trace-validate-calls.js";
import { check, child, fail, get, isInt, isListRecord, isNumber, isString, isStringRecord, list, object, oneOf, type At } from "./trace-validate-fields.js";

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

/** Checks `steps`; their calls must name `functions`, their chunks `chunkSeqs`. */
export function checkSteps(steps: unknown[], functions: Set<number>, chunkSeqs: Set<number>): void {
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
