/**
 * A step's call trees as the step's lanes read them (`step-lanes.ts`): per root, in seq
 * order, its first and last seq, its start, the latest end in its tree and the seq that
 * scheduled it. Kept in columns, one row a root, and read from a step's folded turns
 * without making a node for any of them: the report times every step by its own work,
 * and a stub tree a turn (as `turnSpans` made) was most of what the CLI allocated while
 * rendering a flood's text (issue 18).
 */
import type { CallNode, Step } from "./model.js";

/** Roots' spans in seq order, in columns. */
export class RootSpans {
  private readonly columns: Float64Array;
  private rows = 0;

  /** Room for `capacity` roots: the caller knows how many it adds. */
  constructor(private readonly capacity: number) {
    this.columns = new Float64Array(capacity * 5);
  }

  /** Roots held. */
  get length(): number {
    return this.rows;
  }

  /** Appends a root (after every root held, in seq order); `from` the seq that scheduled it, if any. */
  push(seq: number, last: number, start: number, end: number, from?: number): void {
    if (this.rows === this.capacity) throw new RangeError(`RootSpans: more than the ${this.capacity} roots it was made for`);
    const at = this.rows++ * 5;
    const c = this.columns;
    c[at] = seq;
    c[at + 1] = last;
    c[at + 2] = start;
    c[at + 3] = end;
    c[at + 4] = from ?? Number.NaN;
  }

  /** Root `i`'s seq. */
  seq(i: number): number {
    return this.columns[i * 5];
  }

  /** The last seq in root `i`'s tree. */
  last(i: number): number {
    return this.columns[i * 5 + 1];
  }

  /** Root `i`'s start. */
  start(i: number): number {
    return this.columns[i * 5 + 2];
  }

  /** The latest end in root `i`'s tree. */
  end(i: number): number {
    return this.columns[i * 5 + 3];
  }

  /** The seq that scheduled root `i`; undefined when it has no async origin. */
  from(i: number): number | undefined {
    const from = this.columns[i * 5 + 4];
    return Number.isNaN(from) ? undefined : from;
  }

  /** The root whose tree holds `seq` (roots are in seq order and do not overlap); -1 for none. */
  holding(seq: number | undefined): number {
    if (seq === undefined) return -1;
    let low = 0;
    let high = this.rows - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (this.seq(mid) > seq) high = mid - 1;
      else if (this.last(mid) < seq) low = mid + 1;
      else return mid;
    }
    return -1;
  }
}

/** Last seq and latest end in a subtree (seqs grow in call order). */
function extent(root: CallNode): { last: number; end: number } {
  let last = root.seq;
  let end = root.end;
  const pending: CallNode[] = [root];
  while (pending.length) {
    const node = pending.pop()!;
    if (node.seq > last) last = node.seq;
    if (node.end > end) end = node.end;
    for (const child of node.children) pending.push(child);
  }
  return { last, end };
}

/** The spans of `roots` (in seq order). */
export function rootSpans(roots: readonly CallNode[]): RootSpans {
  const spans = new RootSpans(roots.length);
  for (const root of roots) {
    const { last, end } = extent(root);
    spans.push(root.seq, last, root.start, end, root.async?.from);
  }
  return spans;
}

/**
 * The spans of every root of a step, its folded turns included, in seq order: a turn spans
 * its representative's seqs from its own root seq, from its own start to its own end.
 */
export function stepRootSpans(step: Pick<Step, "calls" | "turns">): RootSpans {
  const turns = step.turns;
  if (!turns?.length) return rootSpans(step.calls);
  const spans = new RootSpans(step.calls.length + turns.length);
  const whole = rootSpans(step.calls);
  const span = new Map<number, number>();
  for (let i = 0; i < whole.length; i++) span.set(whole.seq(i), whole.last(i) - whole.seq(i));
  let i = 0;
  for (let t = 0; t < turns.length; t++) {
    const seq = turns.seqAt(t);
    for (; i < whole.length && whole.seq(i) < seq; i++) spans.push(whole.seq(i), whole.last(i), whole.start(i), whole.end(i), whole.from(i));
    const width = span.get(turns.likeAt(t));
    // A repeat whose representative is not in the step (a hand-edited file) has no span to take.
    if (width !== undefined) spans.push(seq, seq + width, turns.startAt(t), turns.endAt(t), turns.fromAt(t));
  }
  for (; i < whole.length; i++) spans.push(whole.seq(i), whole.last(i), whole.start(i), whole.end(i), whole.from(i));
  return spans;
}
