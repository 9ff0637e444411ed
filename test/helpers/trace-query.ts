/**
 * Questions tests ask of a trace: which calls a step made, under which parents.
 */
import { walkCalls } from "../../src/trace/call-tree.js";
import type { CallNode, FunctionInfo, Step, Trace } from "../../src/trace/model.js";
import { expandTurns } from "../../src/trace/turns.js";

export interface FoundCall {
  readonly node: CallNode;
  readonly fn: FunctionInfo;
  /**
   * Names of the ancestors, outermost first. An async continuation's ancestors
   * are those of the call that scheduled it, then that call itself.
   */
  readonly path: readonly string[];
}

/** Every call of every step, keyed by seq, with ancestry across async links. */
function ancestry(trace: Trace): Map<number, FoundCall> {
  const functions = new Map(trace.functions.map((f) => [f.id, f]));
  const bySeq = new Map<number, FoundCall>();
  for (const s of trace.steps) {
    // A root's path is computed when it is reached: its scheduler may be an earlier root.
    const pending: [CallNode, readonly string[] | undefined][] = [...expandTurns(s)].reverse().map((root) => [root, undefined]);
    while (pending.length) {
      const [node, given] = pending.pop()!;
      const scheduler = node.async ? bySeq.get(node.async.from) : undefined;
      const path = given ?? (scheduler ? [...scheduler.path, scheduler.fn.name] : []);
      const fn = functions.get(node.fn);
      if (fn) bySeq.set(node.seq, { node, fn, path });
      const childPath = [...path, fn?.name ?? `#${node.fn}`];
      for (let i = node.children.length - 1; i >= 0; i--) pending.push([node.children[i], childPath]);
    }
  }
  return bySeq;
}

/** Every call of a step with its function and ancestry. */
export function callsOf(trace: Trace, step: Step): FoundCall[] {
  const all = ancestry(trace);
  const out: FoundCall[] = [];
  walkCalls(expandTurns(step), (node) => {
    const found = all.get(node.seq);
    if (found) out.push(found);
  });
  return out;
}

/** The calls of `pkg` named `name`. */
export function named(calls: readonly FoundCall[], pkg: string, name: string): FoundCall[] {
  return calls.filter((c) => c.fn.pkg === pkg && c.fn.name === name);
}

/** Step by id; throws when missing so a test names the step. */
export function step(trace: Trace, id: string): Step {
  const found = trace.steps.find((s) => s.id === id);
  if (!found) throw new Error(`no step ${id} in the trace`);
  return found;
}
