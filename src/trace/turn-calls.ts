/**
 * Calls of folded turns read in place: a call of a repeat is its
 * representative's node moved to the repeat's seqs and span, its children
 * made only when read. For readers that look calls up by seq among millions
 * of folded ones: expanding every turn to find a few would hold a second
 * copy of every call.
 */
import type { CallNode, Step, TurnRepeat } from "./model.js";
import { turnClock } from "./turns.js";
import type { TurnList } from "./turn-list.js";

/** `node` (of the tree rooted at `like`) as the call at the same place in `turn`, exactly as `expandTurns` gives it. */
export function repeatedCall(node: CallNode, like: CallNode, turn: TurnRepeat): CallNode {
  return moved(node, like, turn, turn.seq - like.seq, turnClock(like, turn));
}

function moved(node: CallNode, like: CallNode, turn: TurnRepeat, dseq: number, at: (time: number) => number): CallNode {
  const { children: _children, async: _async, ...rest } = node;
  // The root takes the repeat's own times and link; a nested call has no link of its own (`shapeKey`).
  const own = node === like
    ? { ...rest, seq: turn.seq, start: turn.start, end: turn.end, ...(turn.async ? { async: turn.async } : {}) }
    : { ...rest, seq: node.seq + dseq, start: at(node.start), end: at(node.end), ...(node.async ? { async: node.async } : {}) };
  let children: CallNode[] | undefined;
  return Object.defineProperty(own, "children", {
    enumerable: true,
    get: () => (children ??= node.children.map((child) => moved(child, like, turn, dseq, at))),
  }) as CallNode;
}

/** A folded turn with the step it belongs to and its representative root. */
export interface PlacedTurn {
  readonly turn: TurnRepeat;
  readonly like: CallNode;
  readonly step: number;
}

/** A step's folded turns and the roots they repeat, by seq. */
interface StepTurns {
  readonly step: number;
  readonly turns: TurnList;
  readonly roots: ReadonlyMap<number, CallNode>;
}

/**
 * Every folded turn of `steps`, for finding the one a seq falls in by binary
 * search in each step's turns (a turn's calls are the seqs from its root's to
 * its last call's). Read in place: no object is held per turn, one is made
 * for the turn asked for.
 */
export class TurnTable {
  private readonly steps: StepTurns[] = [];

  constructor(steps: readonly Pick<Step, "index" | "calls" | "turns">[]) {
    for (const step of steps) {
      if (step.turns?.length) this.steps.push({ step: step.index, turns: step.turns, roots: new Map(step.calls.map((root) => [root.seq, root])) });
    }
  }

  /** Every turn (each step's in seq order); a repeat without its representative (a hand-edited file) has no calls to read, and is left out. */
  *all(): Generator<PlacedTurn> {
    for (const s of this.steps) {
      for (let i = 0; i < s.turns.length; i++) {
        const like = s.roots.get(s.turns.likeAt(i));
        if (like) yield { turn: s.turns.at(i), like, step: s.step };
      }
    }
  }

  /** How many turns each representative stands for, over every step (by the representative's seq). */
  likes(): Map<number, number> {
    const counts = new Map<number, number>();
    for (const s of this.steps) {
      for (let i = 0; i < s.turns.length; i++) {
        const like = s.turns.likeAt(i);
        if (s.roots.has(like)) counts.set(like, (counts.get(like) ?? 0) + 1);
      }
    }
    return counts;
  }

  /** The last turn whose root's seq is at most `seq` (the only one `seq` can be a call of), over every step. */
  before(seq: number): PlacedTurn | undefined {
    let best: { s: StepTurns; i: number } | undefined;
    for (const s of this.steps) {
      const i = s.turns.lowerBound(seq + 1) - 1;
      if (i >= 0 && (!best || s.turns.seqAt(i) > best.s.turns.seqAt(best.i))) best = { s, i };
    }
    if (!best) return undefined;
    const like = best.s.roots.get(best.s.turns.likeAt(best.i));
    return like ? { turn: best.s.turns.at(best.i), like, step: best.s.step } : undefined;
  }
}

/**
 * A step's roots in seq order, each folded turn as its tree made when read
 * ({@link repeatedCall}): the same roots as `expandTurns`, but one at a time,
 * so a reader that lets each go never holds the expanded step.
 */
export function* eachTurn(step: Pick<Step, "calls" | "turns">): Generator<CallNode> {
  const turns = step.turns ?? [];
  const roots = new Map(turns.length ? step.calls.map((root) => [root.seq, root]) : []);
  let i = 0;
  for (const turn of turns) {
    while (i < step.calls.length && step.calls[i].seq < turn.seq) yield step.calls[i++];
    const like = roots.get(turn.like);
    if (like) yield repeatedCall(like, like, turn);
  }
  while (i < step.calls.length) yield step.calls[i++];
}
