/**
 * Turns the recorder's flat stream of entry/exit records into call trees.
 * Pure: records in, immutable trees out.
 */
import { ASYNC_KINDS, OP } from "./record-ops.js";
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

/** The model's name for a recorder link kind. */
export function asyncKind(code: number): AsyncKind {
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
  const builder = new TreeBuilder(done);
  for (let i = 0; i < records.length; i++) builder.push(records.op(i), records.seq(i), records.id(i), records.time(i), records.link(i), records.linkKind(i));
  return builder.finish();
}

/**
 * Builds call trees from records pushed one at a time (in seq order), so a
 * reader that holds records in another form than a {@link RecordView} (the
 * collector's folded turns) builds them by the same rules.
 */
export class TreeBuilder {
  private readonly roots: MutableCallNode[] = [];
  private readonly stack: MutableCallNode[] = [];
  private lastTime = 0;

  /** `done` takes each root once it returned; without it, roots are kept for {@link finish}. */
  constructor(private readonly done?: (root: CallNode) => void) {}

  /** True when no call is open: the next entry starts a turn of its own. */
  get idle(): boolean {
    return this.stack.length === 0;
  }

  /** Takes the next record. */
  push(op: number, seq: number, id: number, time: number, link: number, linkKind: number): void {
    const { roots, stack } = this;
    this.lastTime = time;
    if (op === OP.enter || op === OP.resume) {
      const node: MutableCallNode = { seq, fn: id, start: time, end: time, children: [] };
      if (link >= 0) node.async = { kind: asyncKind(linkKind), from: link };
      if (op === OP.resume) node.detached = true;
      (stack.length ? stack[stack.length - 1].children : roots).push(node);
      stack.push(node);
    } else if (op === OP.exit || op === OP.suspend) {
      let at = stack.length - 1;
      while (at >= 0 && stack[at].fn !== id) at--;
      if (at < 0) return;
      for (let j = stack.length - 1; j >= at; j--) stack[j].end = time;
      if (op === OP.suspend) stack[at].detached = true;
      stack.length = at;
      // The root returned: `done` takes it (whole or as a repeat), the builder lets it go.
      if (at === 0 && this.done) this.done(roots.pop()!);
    }
  }

  /** Ends the open calls at the last record's time; returns the roots not given to `done`. */
  finish(): CallNode[] {
    for (const open of this.stack) open.end = this.lastTime;
    return this.roots;
  }
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
