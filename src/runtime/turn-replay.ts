/**
 * Reading a turn store back (`turn-store.ts`): its records in seq order, a
 * folded turn played back from its shape as the records it stands for, or a
 * step's call forest with the repeats folded onto the step's first turn of
 * their shape. Apart from the store's intake so that what is kept and how it
 * is read are each in one place; it only reads the columns the store fills.
 */
import { TreeBuilder, asyncKind, type RecordView } from "../trace/call-tree.js";
import { shapeKey, TurnFolder, type StepCalls } from "../trace/turns.js";
import { RecordColumns, type Shape, type Shapes } from "./turn-columns.js";
import type { SpillColumns } from "../trace/spill-columns.js";

/** The folded turns' columns, by name. */
export const R = { shape: 0, seq: 1, start: 2, end: 3, link: 4 } as const;
export const R_WIDTH = Object.keys(R).length;

/** Takes one record. */
type RecordVisit = (seq: number, op: number, id: number, time: number, link: number, kind: number) => void;

/** Reads a store's records back: `whole` and `open` in seq order, `repeats` (columns `R`) played from `shapes`. */
export class TurnReplay {
  constructor(
    private readonly whole: RecordColumns,
    private readonly repeats: SpillColumns,
    private readonly shapes: Shapes,
    private readonly open: RecordColumns,
  ) {}

  /**
   * Visits the records with `from <= seq < to` in seq order, a folded turn's
   * played back as records, unless `turn` takes the whole turn (returns true).
   */
  private each(from: number, to: number, record: RecordVisit, turn?: (r: number, shape: Shape) => boolean): void {
    const { whole, repeats, open } = this;
    let r = repeats.lowerBound(R.seq, from);
    const rEnd = repeats.lowerBound(R.seq, to);
    // A folded turn that began before `from` may still hold records of the range.
    if (r > 0) this.play(r - 1, from, to, record);
    let w = lowerBound(whole.seq, from);
    const wEnd = lowerBound(whole.seq, to);
    while (w < wEnd || r < rEnd) {
      if (r < rEnd && (w >= wEnd || repeats.get(R.seq, r) < whole.seq[w])) {
        const shape = this.shapes.get(repeats.get(R.shape, r));
        if (!(repeats.get(R.seq, r) + shape.ops.length <= to && turn?.(r, shape))) this.play(r, from, to, record);
        r++;
      } else {
        record(whole.seq[w], whole.op[w], whole.id[w], whole.time[w], whole.link[w], whole.kind[w]);
        w++;
      }
    }
    // The turn still being received comes after everything kept.
    for (let t = lowerBound(open.seq, from), end = lowerBound(open.seq, to); t < end; t++) record(open.seq[t], open.op[t], open.id[t], open.time[t], open.link[t], open.kind[t]);
  }

  /** Plays folded turn `r` back as records (those with `from <= seq < to`). */
  private play(r: number, from: number, to: number, record: RecordVisit): void {
    const { repeats } = this;
    this.shapes.play(this.shapes.get(repeats.get(R.shape, r)), repeats.get(R.seq, r), repeats.get(R.start, r), repeats.get(R.end, r), repeats.get(R.link, r), from, to, record);
  }

  /** The call forest of the records with `from <= seq < to`, repeated turns folded (onto the step's first of their shape). */
  forest(from: number, to: number): StepCalls {
    const folder = new TurnFolder();
    const builder = new TreeBuilder((root) => folder.add(root));
    const { repeats } = this;
    this.each(from, to, (seq, op, id, time, link, kind) => builder.push(op, seq, id, time, link, kind), (r, shape) => {
      // Only a turn of its own: inside a call the range left open, it is played as records.
      if (!builder.idle) return false;
      const key = this.treeKey(shape);
      if (key === undefined) return false;
      const link = repeats.get(R.link, r);
      const turn = { seq: repeats.get(R.seq, r), start: repeats.get(R.start, r), end: repeats.get(R.end, r), ...(link >= 0 ? { async: { kind: asyncKind(shape.linkKind), from: link } } : {}) };
      folder.addRepeat(key, turn, () => {
        const one = new TreeBuilder();
        this.play(r, from, to, (seq, op, id, time, l, kind) => one.push(op, seq, id, time, l, kind));
        return one.finish()[0];
      });
      return true;
    });
    for (const open of builder.finish()) folder.keep(open);
    return folder.done();
  }

  /** The records with `from <= seq < to`, in order, copied into one view. */
  records(from: number, to: number): RecordView {
    const out = new RecordColumns();
    this.each(from, to, (seq, op, id, time, link, kind) => out.push(seq, op, id, time, link, kind));
    return out.view();
  }

  /** The time of the record `seq`, if it is kept. */
  timeOf(seq: number): number | undefined {
    const view = this.records(seq, seq + 1);
    return view.length ? view.time(0) : undefined;
  }

  /** The tree key a shape's turns fold by (`shapeKey` of its first turn's tree), worked out once per shape. */
  private treeKey(shape: Shape): string | undefined {
    if (shape.key === null) {
      const builder = new TreeBuilder();
      this.shapes.play(shape, 0, 0, shape.times[shape.times.length - 1], shape.linkKind >= 0 ? 0 : -1, 0, Infinity, (seq, op, id, time, link, kind) => builder.push(op, seq, id, time, link, kind));
      const roots = builder.finish();
      shape.key = roots.length === 1 ? shapeKey(roots[0]) : undefined;
    }
    return shape.key;
  }
}

/** The first index of sorted `values` at or above `value`. */
function lowerBound(values: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
