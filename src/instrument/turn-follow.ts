/**
 * Follows a turn that is predicted to repeat a known shape, record by record,
 * instead of writing it: each call is compared with the shape where it sits
 * (an op and an id read, one compare) and only counted. A turn that repeats
 * to its end then costs no column writes and no hash at its end, only its
 * root's record and its last exit's time, which the turn's entry carries.
 *
 * The moment a record differs from the prediction (another call, a marker
 * inside the turn, a drain in its middle), the records followed so far are
 * written where they would have been, exactly as the recorder would have
 * written them (nested calls of an untimed turn carry no time and no link),
 * and the turn goes on being recorded as before: following changes what is
 * written only for a turn that repeats whole, which folds to the same entry.
 */
import type { RecordColumns } from "./recorder-columns.js";
import type { ShapeTable } from "./turn-shapes.js";

/** The prediction for the running turn and how far it has held. */
export class ShapeFollower {
  /** True while the running turn matches its predicted shape so far. */
  active = false;
  /** The predicted shape's id. */
  shape = -1;
  /** Records matched so far, the root's included. */
  matched = 0;
  /** The time passed with the last matched record: the turn's last exit's, once it matched to the end. */
  lastTime = 0;
  private at = 0;
  private length = 0;
  private ops: Uint8Array = new Uint8Array(0);
  private ids: Int32Array = new Int32Array(0);
  /** Seq of the running turn's root record. */
  private seq = 0;

  constructor(
    private readonly columns: RecordColumns,
    private readonly shapes: ShapeTable,
  ) {}

  /** The turn whose root record gets `seq` is predicted to be shape `shape`. */
  start(shape: number, seq: number): void {
    this.shape = shape;
    this.seq = seq;
    this.at = this.shapes.startOf(shape);
    this.length = this.shapes.length(shape);
    // Read here, not kept: the table replaces its arrays when it grows (only between turns).
    this.ops = this.shapes.ops;
    this.ids = this.shapes.ids;
    this.matched = 0;
    this.lastTime = 0;
    this.active = true;
  }

  /** True when the whole shape was matched. */
  get complete(): boolean {
    return this.matched === this.length;
  }

  /**
   * The next record of the turn: true when it matches the prediction and need not be written.
   * The root's record (the first) always is written: its time and link make the turn's entry.
   */
  follows(op: number, id: number, time: number): boolean {
    const k = this.matched;
    if (k < this.length && this.ops[this.at + k] === op && this.ids[this.at + k] === id) {
      this.matched = k + 1;
      this.lastTime = time;
      return k > 0;
    }
    this.stop();
    return false;
  }

  /** Ends following: the records matched past the root are written now, in order, as recorded. */
  stop(): void {
    if (!this.active) return;
    this.active = false;
    const { columns, ops, ids, at } = this;
    const last = this.matched - 1;
    for (let k = 1; k <= last; k++) columns.write(this.seq + k, ops[at + k], ids[at + k], -1, 0, k === last ? this.lastTime : 0);
  }
}
