/**
 * The trace validator's functions and calls: every function's fields, every call tree
 * (iteratively, since trees can be deep) and the turns that repeat one of a step's roots.
 */
import { check, child, fail, get, isBool, isInt, isNumber, isString, list, object, oneOf, type At, type Obj } from "./trace-validate-fields.js";

const KINDS = ["function", "method", "constructor", "getter", "setter", "arrow", "closure"];
const ASYNC_KINDS = ["promise", "tick", "timer", "immediate", "io", "other"];

/** Checks `functions` and returns their ids, which calls must name. */
export function checkFunctions(functions: unknown[]): Set<number> {
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

/** Checks the call trees `roots` (at `rootAt`); every call must name one of `functions`. */
export function checkCalls(roots: unknown[], rootAt: At, functions: Set<number>): void {
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
export function checkTurns(step: Obj, at: At): void {
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
