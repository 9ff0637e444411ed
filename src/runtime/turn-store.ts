/**
 * The collector's call records, repeated turns folded as they arrive: a turn
 * of the event loop (a root entry to its return) whose records repeat, op for
 * op and function for function, a turn already seen in the same step is kept
 * as its shape, root seq, start, end and async link (a few numbers) instead
 * of its records. The first turn of each shape in a step stays whole, so
 * assembly folds the step's repeats onto it exactly as it folds whole records
 * (`TurnFolder`), and a long run costs a few bytes per repeated turn.
 * Records are read back as a step's folded forest, or as plain records (a
 * repeat's nested times are then its representative's, moved to its span).
 */
import { OP, type RecordBatch } from "../instrument/recorder.js";
import type { TurnEntryColumns } from "../instrument/turn-entries.js";
import type { RecordView } from "../trace/call-tree.js";
import type { StepCalls } from "../trace/turns.js";
import { RecordColumns, Shapes, type Shape } from "./turn-columns.js";
import { SpillColumns, type SpillOptions, type SpillStats } from "../trace/spill-columns.js";
import { UntimedSpans } from "./untimed-spans.js";
import { R_WIDTH, TurnReplay } from "./turn-replay.js";


/** A turn never held back past this many records (a root that does not return): kept whole as it comes. */
const MAX_OPEN = 65_536;

/** How many records and turns a store keeps before it drops and counts. */
export interface TurnStoreLimits {
  /** Records kept whole. */
  readonly records: number;
  /** Repeated turns kept folded. */
  readonly turns: number;
}

/** Call records in arrival order, repeated turns folded. */
export class TurnStore {
  private readonly whole = new RecordColumns();
  /** The folded turns, by root seq: shape, root seq, start, end, link (columns `R`), spilled to a file past a fixed size. */
  private readonly repeats: SpillColumns;
  private readonly shapes = new Shapes();
  /** Shapes seen whole since the last step marker: a later turn of one of them is folded. */
  private stepShapes = new Set<number>();
  /** The turn being received (its records held until it returns), and the functions it has open. */
  private readonly open = new RecordColumns();
  private readonly openFns: number[] = [];
  private openFoldable = true;
  /** False from a marker with calls open (or a drop inside a turn) to the next marker: nothing is folded. */
  private stepSure = true;
  private nextSeq = -1;
  /** Root seqs of the traced process's shape samples not yet received whole, to their shape ids there. */
  private readonly samples = new Map<number, number>();
  /** The traced process's shape ids, to the shapes of their samples here. */
  private readonly recorderShapes = new Map<number, Shape>();
  /** Turns that came as entries and were kept as records played back from their shape's sample. */
  playedTurns = 0;
  /** Turns sent without per-call times, and which of them are kept whole here. */
  private readonly untimed = new UntimedSpans();
  /** Records kept whole or folded, the turn being received not counted yet. */
  private settled = 0;
  /** Records dropped past the limits. */
  dropped = 0;
  /** Reads the kept records back (`turn-replay.ts`). */
  private readonly replay: TurnReplay;

  /** `spill`: how the folded turns' columns are blocked and spilled (tests make them small). */
  constructor(private readonly limits: TurnStoreLimits, spill?: SpillOptions) {
    this.repeats = new SpillColumns(R_WIDTH, spill);
    this.replay = new TurnReplay(this.whole, this.repeats, this.shapes, this.open);
  }

  /** Records represented: kept whole, folded, or held in the turn being received. */
  get kept(): number {
    return this.settled + this.open.length;
  }

  /** Records kept whole (the ones the records limit counts). */
  get wholeRecords(): number {
    return this.whole.length;
  }

  /** Turns kept folded. */
  get foldedTurns(): number {
    return this.repeats.length;
  }

  /** Where the folded turns are held: memory (a fixed amount at most) or the spill file. */
  get turnStats(): SpillStats {
    return this.repeats.stats;
  }

  /** Takes a batch; `offset` moves its times onto the trace's. */
  add(batch: RecordBatch, offset: number): void {
    // A gap (records dropped before they came here): the turn being received is not one to fold. Its open
    // calls stay open, as they do for the builder that reads the kept records (`TreeBuilder`).
    if (batch.firstSeq !== this.nextSeq && this.openFns.length) {
      this.openFoldable = false;
      this.release(false);
    }
    const defs = batch.shapeDefs ?? [];
    for (let i = 0; i < defs.length; i += 2) this.samples.set(defs[i], defs[i + 1]);
    if (batch.untimed) this.untimed.add(batch.untimed);
    const turns = batch.turns;
    const entries = turns ? turns.seq.length : 0;
    let seq = batch.firstSeq;
    let t = 0;
    for (let i = 0; i <= batch.ops.length; i++) {
      for (; t < entries && turns!.at[t] === i; t++) {
        this.addEntry(turns!, t, offset);
        seq += turns!.length[t];
      }
      if (i === batch.ops.length) break;
      this.take(seq++, batch.ops[i], batch.ids[i], batch.times[i] + offset, batch.links[i], batch.linkKinds[i]);
    }
    this.nextSeq = seq;
    // A turn that does not return is kept whole as it comes, not held.
    if (this.open.length > MAX_OPEN) this.openFoldable = false;
    if (!this.openFoldable) this.release(false);
  }

  /** Takes one record (its time on the trace's clock already). */
  private take(seq: number, op: number, id: number, time: number, link: number, kind: number): void {
    this.open.push(seq, op, id, time, link, kind);
    const fns = this.openFns;
    if (op === OP.enter || op === OP.resume) {
      if (fns.length && link >= 0) this.openFoldable = false;
      fns.push(id);
      return;
    }
    if (op === OP.mark) {
      this.stepShapes = new Set();
      // A step's records are read from after its marker: with calls open here, its reader would not
      // see them open, and a turn that returns to the root here need not be one there.
      this.stepSure = !fns.length;
    }
    if (op === OP.exit || op === OP.suspend) {
      let at = fns.length - 1;
      while (at >= 0 && fns[at] !== id) at--;
      if (at >= 0) fns.length = at;
      if (at === 0) this.settle();
    } else if (fns.length) this.openFoldable = false;
    if (!fns.length) this.release();
  }

  /**
   * Takes a turn the traced process sent as one entry: a repeat of a shape it
   * sent whole before is folded here directly when the step has seen the
   * shape whole; otherwise it is played back as the records it stands for
   * (its nested times the shape's sample's, `playedTurns` counts them). An
   * entry of dropped seqs, or of a shape whose sample never arrived, is a gap.
   */
  private addEntry(turns: TurnEntryColumns, t: number, offset: number): void {
    const n = turns.length[t];
    const seq = turns.seq[t];
    const recorded = turns.shape[t];
    const shape = recorded >= 0 ? this.recorderShapes.get(recorded) : undefined;
    if (!shape || shape.ops.length !== n) {
      if (recorded >= 0) this.dropped += n;
      if (this.openFns.length) {
        this.openFoldable = false;
        this.release(false);
      }
      return;
    }
    const start = turns.start[t] + offset;
    const end = turns.end[t] + offset;
    const link = turns.link[t];
    if (!this.openFns.length && this.stepSure && this.stepShapes.has(shape.id)) {
      this.fold(shape.id, seq, start, end, link, n);
      return;
    }
    this.playedTurns++;
    this.shapes.play(shape, seq, start, end, link, seq, seq + n, (s, op, id, time, l, kind) => this.take(s, op, id, time, l, kind));
  }

  /**
   * Turns kept whole whose nested calls have times spread between their root's clock reads, not read
   * (the traced process expected them to repeat; they did not): an untimed turn folded here shows
   * the step's timed sample instead, and is not counted.
   */
  get untimedTurns(): number {
    return this.untimed.count(this.open.length ? this.open.seq[0] : this.nextSeq);
  }

  /** The turn being received returned: folded when the step saw its shape whole already, else kept whole. */
  private settle(): void {
    const sample = this.samples.get(this.open.seq[0]);
    if (sample !== undefined) {
      // The traced process's sample of a shape: its later repeats of it arrive as entries.
      this.samples.delete(this.open.seq[0]);
      this.recorderShapes.set(sample, this.shapes.of(this.open));
    }
    const n = this.open.length;
    const first = this.open.seq[0];
    const shape = this.openFoldable && this.stepSure ? this.shapes.of(this.open) : undefined;
    const folds = shape !== undefined && this.stepShapes.has(shape.id);
    // An untimed turn is never a step's sample: its repeats would show its spread times as read.
    const untimed = this.untimed.pass(first, first + n, folds);
    if (!folds) {
      if (shape && !untimed) this.stepShapes.add(shape.id);
      this.release();
      return;
    }
    this.fold(shape.id, this.open.seq[0], this.open.time[0], this.open.time[n - 1], this.open.link[0], n);
    this.open.clear();
  }

  /** Keeps a repeated turn of `n` records as its shape, root seq, times and link (or drops it past the limit). */
  private fold(shape: number, seq: number, start: number, end: number, link: number, n: number): void {
    const { repeats } = this;
    if (repeats.length >= this.limits.turns) {
      this.dropped += n;
      return;
    }
    repeats.push(shape, seq, start, end, link);
    this.settled += n;
  }

  /** Keeps the records received so far whole (or drops them past the limit); `reset` forgets the open calls too. */
  private release(reset = true): void {
    const n = this.open.length;
    if (n && this.whole.length + n > this.limits.records) {
      this.dropped += n;
      // Records dropped from inside a turn: the step's reader no longer nests what follows as it came.
      if (this.openFns.length || !reset) this.stepSure = false;
    } else if (n) {
      this.whole.append(this.open);
      this.settled += n;
    }
    this.open.clear();
    if (reset) {
      this.openFns.length = 0;
      this.openFoldable = true;
    }
  }

  /** The call forest of the records with `from <= seq < to`, repeated turns folded (onto the step's first of their shape). */
  forest(from: number, to: number): StepCalls {
    return this.replay.forest(from, to);
  }

  /** The records with `from <= seq < to`, in order, copied into one view. */
  records(from: number, to: number): RecordView {
    return this.replay.records(from, to);
  }

  /** The time of the record `seq`, if it is kept. */
  timeOf(seq: number): number | undefined {
    return this.replay.timeOf(seq);
  }
}
