/**
 * Where the recorder's records are kept between two drains: preallocated
 * typed-array columns, one row per record, and the seqs that were dropped.
 *
 * Separate from the recording API (`recorder.ts`, the call stack and the
 * async bookkeeping) so that the batch format the CLI decodes is in one place.
 * It allocates nothing per record; when the columns fill up before a drain,
 * records are counted as dropped, never silently lost.
 */

/** Record kinds. */
export const OP = { enter: 1, exit: 2, resume: 3, suspend: 4, mark: 5, site: 6 } as const;

/** Async link kinds, in the order of `ASYNC_KINDS`. */
export const ASYNC_KINDS = ["none", "promise", "tick", "timer", "immediate", "io", "other"] as const;

/** A drained batch of records; `seq` of record i is `firstSeq + i` (dropped records leave gaps). */
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
}

/** Records in preallocated columns until drained. */
export class RecordColumns {
  private readonly ops: Uint8Array;
  private readonly ids: Int32Array;
  private readonly times: Float64Array;
  private readonly links: Float64Array;
  private readonly linkKinds: Uint8Array;
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

  /** Writes the record with `seq` (the next one: seqs are written in order). */
  write(seq: number, op: number, id: number, link: number, linkKind: number): void {
    const i = this.length;
    // Once something is dropped, the rest of the batch is too: a batch is its records then a dropped tail.
    if (i >= this.capacity || this.droppedFrom >= 0) {
      this.drop(seq);
      return;
    }
    this.ops[i] = op;
    this.ids[i] = id;
    this.times[i] = performance.now();
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

  /** Copies out everything written since the last drain; the next batch starts at `nextSeq`. */
  drain(nextSeq: number): RecordBatch | undefined {
    if (this.length === 0 && this.droppedFrom < 0) return undefined;
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
    };
    this.droppedRanges = [];
    this.length = 0;
    this.firstSeq = nextSeq;
    return batch;
  }
}
