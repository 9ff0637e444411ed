/**
 * Turns the recorder's flat stream of entry/exit records into call trees.
 * Pure: records in, immutable trees out.
 */
import { ASYNC_KINDS, OP } from "../instrument/recorder-columns.js";
import type { AsyncKind, CallNode } from "./model.js";
import { TurnFolder, type StepCalls } from "./turns.js";

/** A view of records, in order; `time(i)` is in ms since the trace started. */
export interface RecordView {
  readonly length: number;
  seq(i: number): number;
  op(i: number): number;
  id(i: number): number;
  time(i: number): number;
  link(i: number): number;
  linkKind(i: number): number;
}

/** A call node while its tree is being built: its end and children still change. */
export interface MutableCallNode {
  seq: number;
  fn: number;
  start: number;
  end: number;
  children: MutableCallNode[];
  async?: { kind: AsyncKind; from: number };
  detached?: boolean;
}

function asyncKind(code: number): AsyncKind {
  const name = ASYNC_KINDS[code];
  return name === undefined || name === "none" ? "other" : name;
}

/**
 * Builds the call trees of `records`. Exits without a matching entry (their
 * entry was before the range or dropped) are ignored; entries whose exit is not
 * in the range end at the last record's time.
 */
export function buildCallTrees(records: RecordView): CallNode[] {
  return build(records);
}

/**
 * The call trees of `records` with repeated turns folded as each root
 * returns (see `turns.ts`), so a long step's unfolded trees are never all
 * held at once. Expanding the result gives exactly {@link buildCallTrees}'s calls.
 */
export function buildFoldedTrees(records: RecordView): StepCalls {
  const folder = new TurnFolder();
  const roots = build(records, (root) => folder.add(root));
  // Only the last root can still be open (its exit not in the range): it stays whole.
  for (const open of roots) folder.keep(open);
  return folder.done();
}

/** `done` takes each root once it returned (and the builder no longer holds it); the open ones are returned. */
function build(records: RecordView, done?: (root: CallNode) => void): CallNode[] {
  const roots: MutableCallNode[] = [];
  const stack: MutableCallNode[] = [];
  let lastTime = 0;
  for (let i = 0; i < records.length; i++) {
    const op = records.op(i);
    const time = records.time(i);
    lastTime = time;
    if (op === OP.enter || op === OP.resume) {
      const node: MutableCallNode = { seq: records.seq(i), fn: records.id(i), start: time, end: time, children: [] };
      const link = records.link(i);
      if (link >= 0) node.async = { kind: asyncKind(records.linkKind(i)), from: link };
      if (op === OP.resume) node.detached = true;
      (stack.length ? stack[stack.length - 1].children : roots).push(node);
      stack.push(node);
    } else if (op === OP.exit || op === OP.suspend) {
      const id = records.id(i);
      let at = stack.length - 1;
      while (at >= 0 && stack[at].fn !== id) at--;
      if (at < 0) continue;
      for (let j = stack.length - 1; j >= at; j--) stack[j].end = time;
      if (op === OP.suspend) stack[at].detached = true;
      stack.length = at;
      // The root returned: the folder takes it (whole or as a repeat), the builder lets it go.
      if (at === 0 && done) done(roots.pop()!);
    }
  }
  for (const open of stack) open.end = lastTime;
  return roots;
}

/** Counts the nodes of a forest. */
export function countCalls(nodes: readonly CallNode[]): number {
  let n = 0;
  const pending = [...nodes];
  while (pending.length) {
    const node = pending.pop()!;
    n++;
    pending.push(...node.children);
  }
  return n;
}

/** Visits every node depth-first in call order, with its depth. Iterative: trees can be deep. */
export function walkCalls(nodes: readonly CallNode[], visit: (node: CallNode, depth: number) => void): void {
  const pending: [CallNode, number][] = [];
  for (let i = nodes.length - 1; i >= 0; i--) pending.push([nodes[i], 0]);
  while (pending.length) {
    const [node, depth] = pending.pop()!;
    visit(node, depth);
    for (let i = node.children.length - 1; i >= 0; i--) pending.push([node.children[i], depth + 1]);
  }
}
