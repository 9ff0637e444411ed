/**
 * Where the recorder's records are kept between two drains: preallocated
 * typed-array columns, one row per record, and the seqs that were dropped.
 *
 * Separate from the recording API (`recorder.ts`, the call stack and the
 * async bookkeeping) so that the batch format the CLI decodes is in one place.
 * It allocates nothing per record; when the columns fill up before a drain,
 * records are counted as dropped, never silently lost.
 */

import { entrySeqs, type TurnEntryColumns } from "./turn-entries.js";

/**
 * A drained batch of records. Without `turns`, `seq` of record i is `firstSeq + i`; with them, each
 * entry takes its `length` seqs where it sits (before record `at`), and the records take the rest in order.
 */
export interface RecordBatch {
  readonly firstSeq: number;
  readonly ops: Uint8Array;
  readonly ids: Int32Array;
  readonly times: Float64Array;
  /** Seq of the call that scheduled this async continuation, or -1. */
  readonly links: Float64Array;
  readonly linkKinds: Uint8Array;
  /** Seq numbers that were dropped in this batch, as [from, to) ranges flattened. */
  readonly droppedRanges: readonly number[];
  /** Turns sent as one entry each (`turn-entries.ts`); absent when none. */
  readonly turns?: TurnEntryColumns;
  /**
   * Whole turns of this batch that are the sample of a shape its later repeats refer to:
   * [root seq, shape id] pairs, flattened; absent when none.
   */
  readonly shapeDefs?: readonly number[];
  /**
   * Records of this batch written without their own clock reads (turns the recorder expected to
   * repeat that did not), as [first seq, count] pairs flattened: their times are spread evenly
   * between the reads around them. Absent when none.
   */
  readonly untimed?: readonly number[];
}

/** The seq after a batch: past its records, its entries and its dropped tail. */
export function batchEnd(batch: RecordBatch): number {
  let end = batch.firstSeq + batch.ops.length + entrySeqs(batch.turns);
  for (let i = 1; i < batch.droppedRanges.length; i += 2) end = Math.max(end, batch.droppedRanges[i]);
  return end;
}

/** Records in preallocated columns until drained. */
export class RecordColumns {
  /** The columns, read in place by the turn writer (a turn's records are the last ones written). */
  readonly ops: Uint8Array;
  readonly ids: Int32Array;
  readonly times: Float64Array;
  readonly links: Float64Array;
  readonly linkKinds: Uint8Array;
  private length = 0;
  private firstSeq = 0;
  private droppedFrom = -1;
  private droppedRanges: number[] = [];
  /**
   * Called once when the records reach half the capacity, so the process can
   * drain them before they are dropped even if its timers are starved (a flood
   * can keep one event-loop turn busy for seconds).
   */
  onHighWater?: () => void;
  /** Records dropped since the process started. */
  dropped = 0;

  constructor(readonly capacity: number) {
    this.ops = new Uint8Array(capacity);
    this.ids = new Int32Array(capacity);
    this.times = new Float64Array(capacity);
    this.links = new Float64Array(capacity);
    this.linkKinds = new Uint8Array(capacity);
  }

  /** Writes the record with `seq` (the next one: seqs are written in order), taken at `time`. */
  write(seq: number, op: number, id: number, link: number, linkKind: number, time: number): void {
    const i = this.length;
    // Once something is dropped, the rest of the batch is too: a batch is its records then a dropped tail.
    if (i >= this.capacity || this.droppedFrom >= 0) {
      this.drop(seq);
      return;
    }
    this.ops[i] = op;
    this.ids[i] = id;
    this.times[i] = time;
    this.links[i] = link;
    this.linkKinds[i] = linkKind;
    this.length = i + 1;
    if (this.length === this.capacity >> 1 && this.onHighWater) this.onHighWater();
  }

  /** Counts the record with `seq` as dropped. */
  drop(seq: number): void {
    this.dropped++;
    if (this.droppedFrom < 0) this.droppedFrom = seq;
  }

  /** Number of records waiting to be drained. */
  pending(): number {
    return this.length;
  }

  /** True once a record of this batch was dropped (the rest of it is dropped too). */
  get dropping(): boolean {
    return this.droppedFrom >= 0;
  }

  /** Takes back the records from index `to` on (a turn sent as an entry instead). */
  rewind(to: number): void {
    if (to < this.length) this.length = to;
  }

  /** Copies out everything written since the last drain; the next batch starts at `nextSeq`. */
  drain(nextSeq: number, turns?: TurnEntryColumns, shapeDefs?: readonly number[], untimed?: readonly number[]): RecordBatch | undefined {
    if (this.length === 0 && this.droppedFrom < 0 && !turns && !shapeDefs) return undefined;
    if (this.droppedFrom >= 0) {
      this.droppedRanges.push(this.droppedFrom, nextSeq);
      this.droppedFrom = -1;
    }
    const n = this.length;
    const batch: RecordBatch = {
      firstSeq: this.firstSeq,
      ops: this.ops.slice(0, n),
      ids: this.ids.slice(0, n),
      times: this.times.slice(0, n),
      links: this.links.slice(0, n),
      linkKinds: this.linkKinds.slice(0, n),
      droppedRanges: this.droppedRanges,
      ...(turns ? { turns } : {}),
      ...(shapeDefs ? { shapeDefs } : {}),
      ...(untimed ? { untimed } : {}),
    };
    this.droppedRanges = [];
    this.length = 0;
    this.firstSeq = nextSeq;
    return batch;
  }
}
