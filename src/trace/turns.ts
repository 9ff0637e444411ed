/**
 * Repeated turns, folded: a turn of the event loop (a root call and its tree)
 * whose calls are exactly those of an earlier turn of its step — the same
 * functions in the same nesting, each entered the same number of records
 * after the root — is kept as a {@link TurnRepeat} (its root's seq, times and
 * async link) instead of a tree. Under load almost every turn repeats one of a
 * few shapes, so a step of a million calls holds a few trees and a list of
 * small repeats. {@link expandTurns} gives every call back: seqs, functions,
 * nesting and the roots' times exactly; a repeat's nested calls take the
 * representative's durations (said so wherever they are shown).
 * Pure and iterative: call trees can be deeper than the stack.
 */
import type { CallNode, Step, TurnRepeat } from "./model.js";
import { TurnList } from "./turn-list.js";

/** A step's call forest with its repeated turns folded. */
export interface StepCalls {
  /** Whole trees: every turn whose shape was new in its step, in seq order. */
  readonly calls: readonly CallNode[];
  /** Turns that repeated one of `calls` call for call, in seq order; absent when none did. */
  readonly turns?: TurnList;
}

/**
 * The shape of a root's tree as a string: equal strings, equal trees up to the
 * root's seq, times and async origin. `undefined` when the tree cannot be
 * folded losslessly: a nested call carries its own async link (its origin is
 * not a fixed distance away), or the root is a resumption with no exit seen.
 */
export function shapeKey(root: CallNode): string | undefined {
  const parts: string[] = [root.async ? `a${root.async.kind}` : "", root.process === undefined ? "" : `p${root.process}`];
  const pending: CallNode[] = [root];
  while (pending.length) {
    const node = pending.pop()!;
    if (node !== root && node.async) return undefined;
    parts.push(`${node.fn}${node.detached ? "r" : ""}${node.at === undefined ? "" : `@${node.at}`}+${node.seq - root.seq}/${node.children.length}`);
    for (let i = node.children.length - 1; i >= 0; i--) pending.push(node.children[i]);
  }
  return parts.join(";");
}

/**
 * Folds roots as they complete, one at a time, so that a step's unfolded
 * trees are never all held at once: `add` each root in seq order, then `done`.
 */
export class TurnFolder {
  private readonly calls: CallNode[] = [];
  private readonly turns = new TurnList();
  private readonly shapes = new Map<string, CallNode>();

  /** Adds the next root; returns true when it was folded as a repeat (so its tree may be let go). */
  add(root: CallNode): boolean {
    const key = shapeKey(root);
    const like = key === undefined ? undefined : this.shapes.get(key);
    if (like === undefined) {
      if (key !== undefined) this.shapes.set(key, root);
      this.calls.push(root);
      return false;
    }
    this.turns.push({
      like: like.seq,
      seq: root.seq,
      start: root.start,
      end: root.end,
      ...(root.async ? { async: root.async } : {}),
      ...(root.process === undefined ? {} : { process: root.process }),
    });
    return true;
  }

  /**
   * Adds the next root given as a repeat already (folded where its records
   * arrived), its tree's `key` known: folded onto the step's first root of
   * that shape, or, when the step has none yet, built by `tree` and kept as
   * the representative.
   */
  addRepeat(key: string, turn: Omit<TurnRepeat, "like">, tree: () => CallNode): void {
    const like = this.shapes.get(key);
    if (like) this.turns.push({ like: like.seq, ...turn });
    else this.add(tree());
  }

  /** Adds the next root whole, never folded (one whose exit was not seen). */
  keep(root: CallNode): void {
    this.calls.push(root);
  }

  /** The folded forest. */
  done(): StepCalls {
    return this.turns.length ? { calls: this.calls, turns: this.turns } : { calls: this.calls };
  }
}

/** Folds a whole forest (roots in seq order). */
export function foldTurns(roots: readonly CallNode[]): StepCalls {
  const folder = new TurnFolder();
  for (const root of roots) folder.add(root);
  return folder.done();
}

/** How many turns each representative root stands for beyond itself, by its seq. */
export function repeatCounts(step: Pick<Step, "turns">): ReadonlyMap<number, number> {
  const counts = new Map<number, number>();
  const turns = step.turns;
  for (let i = 0; i < (turns?.length ?? 0); i++) {
    const like = turns!.likeAt(i);
    counts.set(like, (counts.get(like) ?? 0) + 1);
  }
  return counts;
}

/** Counts the nodes of a forest (call-tree.ts imports this file, so not its `countCalls`). */
function size(nodes: readonly CallNode[]): number {
  let n = 0;
  const pending = [...nodes];
  while (pending.length) {
    const node = pending.pop()!;
    n++;
    for (const child of node.children) pending.push(child);
  }
  return n;
}

/** Every call of a step, its repeated turns counted with their representative's calls. */
export function countStepCalls(step: Pick<Step, "calls" | "turns">): number {
  let n = size(step.calls);
  if (!step.turns?.length) return n;
  const sizes = new Map<number, number>(step.calls.map((root) => [root.seq, -1]));
  for (let i = 0; i < step.turns.length; i++) {
    const like = step.turns.likeAt(i);
    let known = sizes.get(like);
    if (known === -1) {
      known = size([step.calls.find((root) => root.seq === like)!]);
      sizes.set(like, known);
    }
    n += known ?? 0;
  }
  return n;
}

/** What a representative's line says of the turns of its shape (`× 1,234 like this`, itself included). */
export function likeThis(turns: number): string {
  return `× ${turns.toLocaleString("en-US")} like this`;
}

/** What a trace with `meta.sampledTurns` says of the times of those turns. */
export function sampledNote(turns: number): string {
  return `per-call times sampled: ${turns.toLocaleString("en-US")} turn${turns === 1 ? "" : "s"} came from the traced process as a repeat of a known shape (its clock skipped inside them under load); their calls are exact, their start and end measured, their per-call times the shape's sample's`;
}

/** What a trace with `meta.untimedTurns` says of the times of those turns. */
export function untimedNote(turns: number): string {
  return `per-call times spread: ${turns.toLocaleString("en-US")} turn${turns === 1 ? "" : "s"} ran under load without a clock read per call (expected to repeat a known shape, they did not); their calls are exact, their start and end measured, their nested calls' times spread evenly in between`;
}

/** Said once where folded turns are shown: what is exact about them and what is not. */
export const TURNS_NOTE = "Turns that made exactly the same calls are folded under the first as × N like this: their calls are the ones shown, their per-call times the first one's";

/** Where a repeat puts a time of its representative's: moved by the roots' starts, kept inside the repeat's span. */
export function turnClock(like: CallNode, turn: TurnRepeat): (time: number) => number {
  const dt = turn.start - like.start;
  return (time) => Math.min(turn.end, Math.max(turn.start, time + dt));
}

/** Rebuilds the tree of one repeat from its representative: seqs shifted, times moved to the repeat's. */
function expandOne(like: CallNode, turn: TurnRepeat): CallNode {
  const dseq = turn.seq - like.seq;
  const at = turnClock(like, turn);
  interface Frame {
    readonly node: CallNode;
    readonly children: CallNode[];
  }
  const clone = (node: CallNode, children: CallNode[]): CallNode => {
    const { children: _old, ...rest } = node;
    return { ...rest, seq: node.seq + dseq, start: at(node.start), end: at(node.end), children };
  };
  const rootChildren: CallNode[] = [];
  const stack: [Frame, number][] = [[{ node: like, children: rootChildren }, 0]];
  while (stack.length) {
    const top = stack[stack.length - 1];
    const [frame, next] = top;
    if (next < frame.node.children.length) {
      top[1] = next + 1;
      const child = frame.node.children[next];
      const children: CallNode[] = [];
      frame.children.push(clone(child, children));
      stack.push([{ node: child, children }, 0]);
    } else stack.pop();
  }
  const { children: _old, async: _async, ...rest } = like;
  return { ...rest, seq: turn.seq, start: turn.start, end: turn.end, ...(turn.async ? { async: turn.async } : {}), children: rootChildren };
}

/**
 * Every call of a step, its repeated turns expanded back into trees, roots in
 * seq order. A step without `turns` is returned as it is.
 */
export function expandTurns(step: Pick<Step, "calls" | "turns">): readonly CallNode[] {
  const turns = step.turns;
  if (!turns?.length) return step.calls;
  const bySeq = new Map<number, CallNode>(step.calls.map((root) => [root.seq, root]));
  const out: CallNode[] = [];
  let i = 0;
  for (const turn of turns) {
    while (i < step.calls.length && step.calls[i].seq < turn.seq) out.push(step.calls[i++]);
    const like = bySeq.get(turn.like);
    // A repeat whose representative is not in the step (a hand-edited file) has nothing to expand from.
    if (like) out.push(expandOne(like, turn));
  }
  while (i < step.calls.length) out.push(step.calls[i++]);
  return out;
}

/** The step with its turns expanded into `calls` (and no `turns`): for readers that need every call. */
export function expandedStep<S extends Step>(step: S): S {
  if (!step.turns?.length) return step;
  const { turns: _turns, ...rest } = step;
  return { ...rest, calls: expandTurns(step) } as S;
}

/**
 * Visits every call of a step, its folded turns included, as its seq and
 * function, without building the turns' trees: the readers that only map a
 * seq to something would otherwise hold a second copy of every call at once.
 */
export function forEachStepCall(step: Pick<Step, "calls" | "turns">, visit: (seq: number, fn: number) => void): void {
  const walk = (root: CallNode, shift: number): void => {
    const pending: CallNode[] = [root];
    while (pending.length) {
      const node = pending.pop()!;
      visit(node.seq + shift, node.fn);
      for (let i = node.children.length - 1; i >= 0; i--) pending.push(node.children[i]);
    }
  };
  for (const root of step.calls) walk(root, 0);
  if (!step.turns?.length) return;
  const bySeq = new Map<number, CallNode>(step.calls.map((root) => [root.seq, root]));
  for (let i = 0; i < step.turns.length; i++) {
    const like = bySeq.get(step.turns.likeAt(i));
    if (like) walk(like, step.turns.seqAt(i) - like.seq);
  }
}
