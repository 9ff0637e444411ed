/**
 * Decides, turn by turn (a root call to the moment the stack is empty again),
 * what the recorder sends of it: its records whole, with a time per call, or
 * one entry (`turn-entries.ts`) when its sequence of calls repeats a shape
 * already sent whole.
 *
 * Most of a call's recording cost is its clock read, so a turn that is
 * expected to repeat (its root's last `STREAK` turns in this step all had one
 * shape), while records come fast (`HURRY_PER_MS`), reads the clock at its
 * root's entry and last exit only. Such a turn folds when it does repeat. When
 * it does not (its shape is new, or something else was written inside it), it
 * still goes whole, every call in order, but its nested calls have no times of
 * their own: they are spread evenly between the clock reads around them and
 * the batch lists those seqs (`untimed`), so the trace can say so. Nothing is
 * dropped, and the root's next turn is timed again. Sent whole with their own
 * times: the first turn of each shape in each step (after each marker), every
 * `SAMPLE`th turn of each root, and every timed turn whose shape is new.
 */
import { OP } from "../trace/record-ops.js";
import type { RecordColumns } from "./recorder-columns.js";
import { ShapeTable } from "./turn-shapes.js";
import { TurnEntries, type TurnEntryColumns } from "./turn-entries.js";

/**
 * Records per ms above which turns expected to repeat go untimed: about 300 of the echo bench's
 * messages a second (~166 records each, counted: 83 records/ms at 500 msg/s). Below it every turn
 * is timed (repeats still fold, with their own root times), so a stepped run or a quiet app loses
 * nothing, not even a new shape's times; above it the clock reads are most of the cost, and what
 * following saves is per-call times that folding would have dropped anyway (only a repeat
 * predicted wrongly, a new shape, keeps spread times, and says so). At 400 and at 100 the bench's
 * light load of 500 msg/s was timed throughout; following it from the start, three interleaved
 * rounds gave full tracing 1.40× against 1.50× bare CPU there, p99 1.24× against 1.35×.
 */
export const HURRY_PER_MS = 50;

/** Every this many turns of a root function, one is timed and sent whole if it repeats: the sample of per-call times. */
export const SAMPLE = 64;

/**
 * A root's turns go untimed once this many in a row (in this step) repeated their predecessor's
 * shape: the next is predicted to repeat it too. One is enough. Counted at saturation on the echo
 * bench (issue 18): with 8, 31 % of turns stayed timed, nearly all of two roots (the socket's read
 * handlers) whose shape changes now and then with the frames per read, so a streak of 8 was rare;
 * with 1, under 0.1 % of the turns predicted this way were a new shape (which then gets spread
 * times, said so), and the others fold or part to a known shape as before.
 */
export const STREAK = 1;

/** Per-root counters, grown with the function ids seen as roots. */
class RootCounters {
  streak: Int32Array = new Int32Array(1024);
  count: Int32Array = new Int32Array(1024);
  /** The step (marker count + 1) a root last repeated in; 0 for never. */
  step: Int32Array = new Int32Array(1024);
  /** The shape of a root's last turn. */
  shape: Int32Array = new Int32Array(1024);

  fit(id: number): void {
    if (id < this.streak.length) return;
    let n = this.streak.length * 2;
    while (n <= id) n *= 2;
    const grow = (old: Int32Array): Int32Array => {
      const fresh = new Int32Array(n);
      fresh.set(old);
      return fresh;
    };
    this.streak = grow(this.streak);
    this.count = grow(this.count);
    this.step = grow(this.step);
    this.shape = grow(this.shape);
  }
}

/** The running turn's bookkeeping and the decisions at its start and end. */
export class TurnWriter {
  readonly shapes: ShapeTable;
  private readonly entries: TurnEntries;
  private readonly roots = new RootCounters();
  /** Per shape: the step it was last sent whole in. */
  private readonly sentStep: number[] = [];
  private defs: number[] = [];
  /** Marker count + 1: steps start at each marker. */
  private step = 1;
  /** The running turn: its first record's index in the columns, seq, root function, and whether it is timed. */
  private from = 0;
  private seq = 0;
  private root = 0;
  private timed = true;
  private sample = false;
  /** Set when the running turn cannot be sent as an entry (a marker inside it, a drain in the middle). */
  private spoiled = false;
  /** Root seq and record count of each untimed turn sent whole since the last drain, flattened. */
  private untimed: number[] = [];
  /** The clock read when a drain cut an untimed turn: the left edge for spreading the rest of it. */
  private cutAt = 0;
  /** Set once the running untimed turn's first part was sent (a drain cut it): its rest is not another turn. */
  private continued = false;
  /** Untimed turns sent whole since the process started. */
  untimedTurns = 0;
  /** Turns sent as entries since the process started. */
  folded = 0;
  /** True while records come faster than `HURRY_PER_MS` (see {@link Recorder.pace}): turns expected to repeat go untimed. */
  hurried = false;
  /** The shape the running turn is predicted to repeat (its root's last), which the recorder follows it against (`turn-follow.ts`); -1 when timed. */
  predicted = -1;

  constructor(
    private readonly columns: RecordColumns,
    capacity: number,
    shapes = new ShapeTable(),
  ) {
    this.shapes = shapes;
    this.entries = new TurnEntries(Math.max(16, capacity >> 2));
  }

  /** True when the entries are half full: time to drain. */
  get highWater(): boolean {
    return this.entries.count >= this.entries.capacity >> 1;
  }

  /** A turn starts with the root `id` at seq `seq`; returns whether its nested calls read the clock. */
  begin(id: number, seq: number): boolean {
    const { roots } = this;
    roots.fit(id);
    this.from = this.columns.pending();
    this.seq = seq;
    this.root = id;
    this.spoiled = false;
    this.continued = false;
    const n = roots.count[id]++;
    this.sample = n % SAMPLE === 0;
    this.timed = !this.hurried || this.sample || roots.step[id] !== this.step || roots.streak[id] < STREAK;
    // Untimed means its root's last STREAK turns in this step had one shape: that is the prediction.
    this.predicted = this.timed ? -1 : roots.shape[id];
    return this.timed;
  }

  /** Something other than a call was written inside the running turn. */
  spoil(): void {
    this.spoiled = true;
  }

  /** A marker: a new step begins. */
  mark(): void {
    this.step++;
  }

  /** The running turn ended with the record before `next`: send it whole, as an entry, or (untimed and new) drop it. */
  end(next: number): void {
    const { columns, roots } = this;
    const from = this.from;
    const to = columns.pending();
    const n = to - from;
    const root = this.root;
    const foldable = !this.spoiled && !columns.dropping && n === next - this.seq && n >= 2 && nestedCallsOnly(columns.ops, from + 1, to);
    if (!foldable) return this.missed(from, n);
    const linkKind = columns.links[from] >= 0 ? columns.linkKinds[from] : -1;
    let shape = this.shapes.find(columns.ops, columns.ids, from, to, linkKind);
    if (shape < 0) {
      // Not the shape's sample: its nested times are spread, not read.
      if (!this.timed) return this.missed(from, n);
      shape = this.shapes.add(columns.ops, columns.ids, from, to, linkKind);
      roots.streak[root] = 0;
      if (shape >= 0) {
        this.sentStep[shape] = this.step;
        this.defs.push(this.seq, shape);
      }
      return;
    }
    if (this.timed && (this.sample || this.sentStep[shape] !== this.step)) {
      // Whole: the step's first of its shape, or the sample of its root's per-call times.
      this.sentStep[shape] = this.step;
      this.noteRepeat(root, shape);
      return;
    }
    if (this.entries.full) {
      if (!this.timed) this.sendUntimed(from, to);
      roots.streak[root] = 0;
      return;
    }
    this.entries.push(from, shape, this.seq, n, columns.times[from], columns.times[to - 1], columns.links[from], columns.linkKinds[from]);
    columns.rewind(from);
    this.folded++;
    this.noteRepeat(root, shape);
  }

  /**
   * The followed turn ended, having matched its predicted shape's `n` records to the end, its last
   * exit at `lastTime`: it folds onto the shape (what {@link end} would find for it, without its
   * records written or hashed) unless the entry cannot be taken (its root's link kind is not the
   * shape's, the columns dropped its root, the entries are full). True when it folded; when not,
   * the recorder writes its records and calls {@link end}.
   */
  foldPredicted(n: number, lastTime: number): boolean {
    const { columns } = this;
    const from = this.from;
    const shape = this.predicted;
    const linkKind = columns.links[from] >= 0 ? columns.linkKinds[from] : -1;
    if (columns.dropping || this.entries.full || columns.pending() !== from + 1 || this.shapes.linkKindOf(shape) !== linkKind) return false;
    this.entries.push(from, shape, this.seq, n, columns.times[from], lastTime, columns.links[from], columns.linkKinds[from]);
    columns.rewind(from);
    this.folded++;
    this.noteRepeat(this.root, shape);
    return true;
  }

  /** The columns are about to be drained with the turn still running: what was recorded of it goes now. */
  beforeDrain(next: number): void {
    if (!this.timed) {
      this.cutAt = performance.now();
      this.missed(this.from, this.columns.pending() - this.from);
    }
    this.spoiled = true;
    // The rest of the turn starts the next batch.
    this.from = 0;
    this.seq = next;
  }

  /** The entries and shape samples since the last call, for the batch being drained. */
  take(): { turns?: TurnEntryColumns; shapeDefs?: readonly number[]; untimed?: readonly number[] } {
    const turns = this.entries.take();
    const defs = this.defs.length ? this.defs : undefined;
    if (defs) this.defs = [];
    const untimed = this.untimed.length ? this.untimed : undefined;
    if (untimed) this.untimed = [];
    return { ...(turns ? { turns } : {}), ...(defs ? { shapeDefs: defs } : {}), ...(untimed ? { untimed } : {}) };
  }

  private noteRepeat(root: number, shape: number): void {
    const { roots } = this;
    if (roots.shape[root] === shape && roots.step[root] === this.step) roots.streak[root]++;
    else roots.streak[root] = 1;
    roots.shape[root] = shape;
    roots.step[root] = this.step;
  }

  /** A turn that cannot be folded: whole, with its own times when timed, with spread ones when not. */
  private missed(from: number, n: number): void {
    this.roots.streak[this.root] = 0;
    if (!this.timed && n > 0) this.sendUntimed(from, from + n);
  }

  /**
   * Keeps the untimed records `from <= i < to` whole: each run of them without a clock read (time 0)
   * gets times spread evenly between the reads around it (the root's entry, a record written with a
   * clock, the turn's last exit, or the drain that cut the turn), and the turn is listed as untimed.
   */
  private sendUntimed(from: number, to: number): void {
    const times = this.columns.times;
    let left = this.cutAt;
    let i = from;
    while (i < to) {
      if (times[i]) {
        left = times[i++];
        continue;
      }
      let j = i;
      while (j < to && !times[j]) j++;
      const right = j < to ? times[j] : performance.now();
      const step = (right - left) / (j - i + 1);
      for (let k = i; k < j; k++) times[k] = left + step * (k - i + 1);
      left = right;
      i = j;
    }
    const seq = this.seq + (from - this.from);
    this.untimed.push(seq, to - from);
    if (!this.continued) this.untimedTurns++;
    this.continued = true;
  }
}

/** True when the records `from <= i < to` are all calls (enter, exit, resume, suspend): no marker or site inside. */
function nestedCallsOnly(ops: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const op = ops[i];
    if (op !== OP.enter && op !== OP.exit && op !== OP.resume && op !== OP.suspend) return false;
  }
  return true;
}
