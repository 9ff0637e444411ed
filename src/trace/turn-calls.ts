/**
 * Calls of folded turns read in place: a call of a repeat is its
 * representative's node moved to the repeat's seqs and span, its children
 * made only when read. For readers that look calls up by seq among millions
 * of folded ones: expanding every turn to find a few would hold a second
 * copy of every call.
 */
import type { CallNode, Step, TurnRepeat } from "./model.js";
import { turnClock } from "./turns.js";

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

/**
 * Every folded turn of `steps`, by seq, for finding the one a seq falls in
 * by binary search (a turn's calls are the seqs from its root's to its last call's).
 */
export class TurnTable {
  private readonly placed: PlacedTurn[] = [];

  constructor(steps: readonly Pick<Step, "index" | "calls" | "turns">[]) {
    for (const step of steps) {
      if (!step.turns?.length) continue;
      const roots = new Map(step.calls.map((root) => [root.seq, root]));
      for (const turn of step.turns) {
        const like = roots.get(turn.like);
        // A repeat without its representative (a hand-edited file) has no calls to read.
        if (like) this.placed.push({ turn, like, step: step.index });
      }
    }
    this.placed.sort((a, b) => a.turn.seq - b.turn.seq);
  }

  /** The turns in seq order. */
  get all(): readonly PlacedTurn[] {
    return this.placed;
  }

  /** The last turn whose root's seq is at most `seq` (the only one `seq` can be a call of). */
  before(seq: number): PlacedTurn | undefined {
    let lo = 0;
    let hi = this.placed.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.placed[mid].turn.seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo ? this.placed[lo - 1] : undefined;
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
