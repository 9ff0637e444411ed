/**
 * Checks a scenario's facts (`facts` in its `scenario.json`; for the Flask
 * chat, the checked facts of `FLASK-SOCKETIO.md`) again on every trace of it:
 * which branch a function took, what calls what, who performs the WebSocket
 * upgrade. Each check reads only the trace and the installed source lines the
 * trace points at, so it holds (or fails, visibly) for whatever version is
 * installed.
 *
 * Pure: source text comes in through `readLine`.
 */
import type { CallNode, Step, Trace } from "../trace/model.js";
import { builtInScenarios, type CallPattern, type FactDefinition, type TextTest } from "../trace/scenario.js";
import type { PyCallNode } from "./call-tree.js";
import type { WideFunctionInfo } from "./protocol.js";

/** One fact and whether this trace bears it out. */
export interface FactCheck {
  readonly id: string;
  /** The fact, in one sentence. */
  readonly claim: string;
  readonly ok: boolean;
  /** What in the trace shows it (or what was missing). */
  readonly evidence: string;
}

/** Reads line `line` (1-based) of an installed file; undefined when unreadable. */
export type LineReader = (file: string, line: number) => string | undefined;

interface Found {
  readonly node: PyCallNode;
  readonly fn: WideFunctionInfo;
  readonly parent?: Found;
}

/** Every traced call of a step, depth first, each with its nearest traced caller. */
function calls(trace: Trace, step: Step | undefined): Found[] {
  if (!step) return [];
  const functions = new Map<number, WideFunctionInfo>(trace.functions.map((f) => [f.id, f]));
  const out: Found[] = [];
  const pending: [CallNode, Found | undefined][] = [...step.calls].reverse().map((n) => [n, undefined]);
  while (pending.length) {
    const [node, parent] = pending.pop()!;
    const fn = functions.get(node.fn);
    const found: Found | undefined = fn ? { node: node as PyCallNode, fn, parent } : parent;
    if (fn) out.push(found!);
    for (let i = node.children.length - 1; i >= 0; i--) pending.push([node.children[i], found]);
  }
  return out;
}

function callLine(found: Found, read: LineReader): string | undefined {
  const caller = found.parent;
  if (!caller || found.node.at === undefined) return undefined;
  return read(caller.fn.file, found.node.at)?.trim();
}

function lineAbove(found: Found, read: LineReader): string | undefined {
  return read(found.fn.file, found.fn.line - 1)?.trim();
}

function textOk(text: string | undefined, test: TextTest): boolean {
  if (text === undefined) return false;
  return (test.includes === undefined || text.includes(test.includes)) && (test.startsWith === undefined || text.startsWith(test.startsWith));
}

type Bound = ReadonlyMap<string, Found>;

function matches(found: Found, pattern: CallPattern, bound: Bound, read: LineReader): boolean {
  const fn = found.fn;
  if (pattern.pkg !== undefined && fn.pkg !== pattern.pkg) return false;
  if (pattern.name !== undefined && fn.name !== pattern.name) return false;
  if (pattern.member !== undefined && fn.member !== pattern.member) return false;
  if (pattern.enclosing !== undefined && fn.enclosing !== pattern.enclosing) return false;
  if (pattern.fileEndsWith !== undefined && !fn.file.endsWith(pattern.fileEndsWith)) return false;
  if (pattern.parent && !(found.parent && matches(found.parent, pattern.parent, bound, read))) return false;
  if (pattern.under !== undefined) {
    const under = pattern.under;
    const test = typeof under === "string" ? (p: Found) => p === bound.get(under) : (p: Found) => matches(p, under, bound, read);
    let hit = false;
    for (let p = found.parent; p && !hit; p = p.parent) hit = test(p);
    if (!hit) return false;
  }
  if (pattern.callLine && !textOk(callLine(found, read), pattern.callLine)) return false;
  if (pattern.lineAbove && !textOk(lineAbove(found, read), pattern.lineAbove)) return false;
  return true;
}

/** `{at}`, `{where}`, `{callLine}`, `{lineAbove}`, `{parent.where}` of one call. */
function field(found: Found | undefined, path: readonly string[], read: LineReader): string | undefined {
  if (!found) return undefined;
  const [head, ...rest] = path;
  if (head === "parent") return field(found.parent, rest, read);
  if (head === "where") return `${found.fn.file}:${found.fn.line}`;
  if (head === "at") return found.node.at === undefined ? undefined : String(found.node.at);
  if (head === "callLine") return callLine(found, read);
  if (head === "lineAbove") return lineAbove(found, read);
  return undefined;
}

function fill(template: string, lookup: (path: readonly string[]) => string | undefined): string {
  return template.replace(/\{([\w.]+)\}/g, (whole, key: string) => lookup(key.split(".")) ?? "?");
}

/** Checks one fact on a trace. */
export function checkFact(trace: Trace, fact: FactDefinition, readLine: LineReader): FactCheck {
  const all = calls(
    trace,
    trace.steps.find((s) => s.id === fact.step),
  );
  const bound = new Map<string, Found>();
  for (const [name, pattern] of Object.entries(fact.find)) {
    const found = all.find((f) => matches(f, pattern, bound, readLine));
    if (found) bound.set(name, found);
  }
  const present = Object.keys(fact.find).every((name) => bound.has(name));
  const absent = Object.values(fact.absent ?? {}).every((pattern) => !all.some((f) => matches(f, pattern, bound, readLine)));
  const base = { id: fact.id, claim: fact.claim };
  if (present && absent) return { ...base, ok: true, evidence: fill(fact.evidence, ([name, ...rest]) => field(bound.get(name), rest, readLine)) };
  const seen = fact.seen ? all.filter((f) => matches(f, fact.seen!.calls, bound, readLine)) : [];
  if (fact.seen && seen.length) {
    const list = seen.map((f) => fill(fact.seen!.each, (path) => field(f, path, readLine))).join(", ");
    return { ...base, ok: false, evidence: fill(fact.seen.text, ([key]) => (key === "list" ? list : undefined)) };
  }
  return { ...base, ok: false, evidence: fact.missing };
}

/** Checks the facts of the trace's scenario (the built-in one it names), in the order its data lists them. */
export function checkFacts(trace: Trace, readLine: LineReader, facts: readonly FactDefinition[] = factsOf(trace.meta.scenario)): FactCheck[] {
  return facts.map((fact) => checkFact(trace, fact, readLine));
}

/** The facts a built-in scenario lists; none for any other. */
function factsOf(scenario: string): readonly FactDefinition[] {
  return builtInScenarios().find((s) => s.name === scenario)?.facts ?? [];
}

/** The Flask commands' name for {@link checkFacts}, kept until they move to the one run pipeline. */
export const checkFlaskFacts = checkFacts;
