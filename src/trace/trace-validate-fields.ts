/**
 * The trace validator's means: a position in the document, the one-line failure that names the
 * path to it, and the field checks every section's validator is written in. Pure.
 */
import { preview } from "./json-schema.js";

/** A file that cannot be read as a trace; the message is one line, fit for a CLI error. */
export class TraceFileError extends Error {
  override readonly name = "TraceFileError";
}

/** A position in the document; the path string is only built when something is wrong. */
export interface At {
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

/** Throws the one-line {@link TraceFileError}, prefixed with the path to `at` when there is one. */
export function fail(at: At | undefined, problem: string): never {
  const path = pathOf(at);
  throw new TraceFileError(path ? `${path}: ${problem}` : problem);
}

/** The position of `key` inside `parent` (the document's top when there is none). */
export function child(parent: At | undefined, key: string | number): At {
  return parent ? { parent, key } : { key };
}

/** A JSON object of the document, fields not yet checked. */
export type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `value` as an object, or a failure at `at` saying what it was instead. */
export function object(value: unknown, at: At | undefined, what = "an object"): Obj {
  if (!isObj(value)) fail(at, `expected ${what}, got ${preview(value)}`);
  return value;
}

/** The field `key` of `o`; a missing one fails unless `optional` (then it reads `undefined`). */
export function get(o: Obj, key: string, at: At | undefined, optional: boolean): unknown {
  const value = Object.hasOwn(o, key) ? o[key] : undefined;
  if (value === undefined && !optional) fail(at, `missing field ${key}`);
  return value;
}

/** Fails at the field `key` unless it passes `test`; `what` says what was expected. */
export function check(o: Obj, key: string, at: At | undefined, test: (v: unknown) => boolean, what: string, optional = false): void {
  const value = get(o, key, at, optional);
  if (value !== undefined && !test(value)) fail(child(at, key), `expected ${what}, got ${preview(value)}`);
}

/** A string. */
export const isString = (v: unknown): boolean => typeof v === "string";
/** A whole number that JSON carries exactly. */
export const isInt = (v: unknown): boolean => Number.isSafeInteger(v);
/** A finite number. */
export const isNumber = (v: unknown): boolean => typeof v === "number" && Number.isFinite(v);
/** `true` or `false`. */
export const isBool = (v: unknown): boolean => typeof v === "boolean";
/** A test for one of the strings `values`. */
export const oneOf = (values: readonly string[]) => (v: unknown): boolean => typeof v === "string" && values.includes(v);
/** An object of strings by name. */
export const isStringRecord = (v: unknown): boolean => isObj(v) && Object.values(v).every((x) => typeof x === "string");
/** An object of string lists by name. */
export const isListRecord = (v: unknown): boolean =>
  isObj(v) && Object.values(v).every((x) => Array.isArray(x) && x.every((y) => typeof y === "string"));

/** The list field `key` of `o`; missing or not a list fails. */
export function list(o: Obj, key: string, at: At | undefined): unknown[] {
  const value = get(o, key, at, false);
  if (!Array.isArray(value)) fail(child(at, key), `expected a list, got ${preview(value)}`);
  return value;
}
