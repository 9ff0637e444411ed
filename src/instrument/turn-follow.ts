/**
 * Follows a turn that is predicted to repeat a known shape, call by call,
 * instead of recording it: the recorder's entry points compare each call
 * with the shape where it sits (one int compare) and only move on. Nothing
 * is written, no frame is pushed, no seq is counted: where the turn stands is
 * one index into its shape, and what the rest of the process asks of the
 * recorder meanwhile (the next seq, the innermost running call, the seq an
 * `await`'s promise belongs to) is read off the shape at that index. A turn
 * that repeats to its end then costs its root's record, its last exit's time
 * and one entry.
 *
 * The moment a call differs from the prediction (another call, a marker
 * inside the turn, a drain in its middle), the records followed so far are
 * written where they would have been and their frames pushed, exactly as the
 * recorder would have done (nested calls of an untimed turn carry no time and
 * no link), and the turn goes on being recorded as before: following changes
 * what is written only for a turn that repeats whole, which folds to the same
 * entry as it would have.
 */
import { OP } from "../trace/record-ops.js";
import type { CallStack } from "./call-stack.js";
import type { RecordColumns } from "./recorder-columns.js";
import { shapeCode, type ShapeTable } from "./turn-shapes.js";

/** The prediction for the running turn and how far it has held; read and moved on by the recorder's entry points. */
export class ShapeFollower {
  /** True while the running turn matches its predicted shape so far. */
  on = false;
  /** The shape table's {@link ShapeTable.codes}; the predicted shape's records start at {@link at}. */
  codes: Int32Array = new Int32Array(0);
  /** The shape table's {@link ShapeTable.tops}. */
  tops: Int32Array = new Int32Array(0);
  at = 0;
  /** Records matched so far, the root's included: the index of the next one in the shape. */
  k = 0;
  /** Records in the predicted shape. */
  length = 0;
  /** The predicted shape's id. */
  shape = -1;
  /** Seq of the running turn's root record. */
  seq = 0;
  private ops: Uint8Array = new Uint8Array(0);
  private ids: Int32Array = new Int32Array(0);

  /**
   * The turn whose root record (`op` of `id`, at `seq`) was just written is predicted to be `shape` of
   * `shapes`: following starts, unless the shape starts with another root or is too deep to follow.
   */
  start(shapes: ShapeTable, shape: number, seq: number, op: number, id: number): void {
    const at = shapes.startOf(shape);
    if (shapes.codes[at] !== shapeCode(op, id) || !shapes.followable(shape)) return;
    // Read here, not kept: the table replaces its arrays when it grows (only between turns).
    this.codes = shapes.codes;
    this.tops = shapes.tops;
    this.ops = shapes.ops;
    this.ids = shapes.ids;
    this.at = at;
    this.length = shapes.length(shape);
    this.shape = shape;
    this.seq = seq;
    this.k = 1;
    this.on = true;
  }

  /** Seq the next record gets. */
  nextSeq(): number {
    return this.seq + this.k;
  }

  /** Seq of the innermost running call: its entry's or resumption's. */
  topSeq(): number {
    return this.seq + this.tops[this.at + this.k - 1];
  }

  /** Function id of the innermost running call. */
  topId(): number {
    return this.codes[this.at + this.tops[this.at + this.k - 1]] >> 3;
  }

  /**
   * Ends following: the records matched past the root are written now, in order, with no time but
   * the last one's `lastTime`, and their frames pushed on `stack` (which holds the root's), as the
   * recorder would have done record by record.
   */
  stop(columns: RecordColumns, stack: CallStack, lastTime: number): void {
    this.on = false;
    const { ops, ids, at } = this;
    const last = this.k - 1;
    for (let k = 1; k <= last; k++) {
      const op = ops[at + k];
      const id = ids[at + k];
      const seq = this.seq + k;
      columns.write(seq, op, id, -1, 0, k === last ? lastTime : 0);
      if (op === OP.enter || op === OP.resume) stack.push(id, seq);
      else stack.pop(id);
    }
  }
}
