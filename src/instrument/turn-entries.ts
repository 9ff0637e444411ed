/**
 * Turns the recorder sends as one entry instead of their records: a repeat of
 * a shape already sent whole (its shape id, root seq, start, end and async
 * link), or a span of seqs it could not send (a turn recorded without per-call
 * times whose shape turned out new: counted as dropped, never guessed).
 *
 * An entry sits between the records of its batch (`at`: the index of the
 * record it precedes) and stands for `length` seqs, so a batch still covers
 * its seqs in order without holes. Preallocated: nothing allocated per turn.
 */

/** A batch's turn entries, in seq order. */
export interface TurnEntryColumns {
  /** Index of the batch record the entry comes before (the records' length: after the last). */
  readonly at: Uint32Array;
  /** Shape id (see `ShapeTable`); -1: the seqs were dropped. */
  readonly shape: Int32Array;
  /** Seq of the turn's root. */
  readonly seq: Float64Array;
  /** Seqs the entry stands for. */
  readonly length: Uint32Array;
  /** The root's entry and last exit times. */
  readonly start: Float64Array;
  readonly end: Float64Array;
  /** The root's async link (seq, -1 for none) and its kind. */
  readonly link: Float64Array;
  readonly linkKind: Uint8Array;
}

/** Bytes per entry in a batch's columns. */
export const ENTRY_BYTES = 4 + 4 + 8 + 4 + 8 + 8 + 8 + 1;

/** Entries kept until drained. */
export class TurnEntries {
  private readonly at: Uint32Array;
  private readonly shape: Int32Array;
  private readonly seq: Float64Array;
  private readonly length: Uint32Array;
  private readonly start: Float64Array;
  private readonly end: Float64Array;
  private readonly link: Float64Array;
  private readonly linkKind: Uint8Array;
  /** Entries waiting to be drained. */
  count = 0;

  constructor(readonly capacity: number) {
    this.at = new Uint32Array(capacity);
    this.shape = new Int32Array(capacity);
    this.seq = new Float64Array(capacity);
    this.length = new Uint32Array(capacity);
    this.start = new Float64Array(capacity);
    this.end = new Float64Array(capacity);
    this.link = new Float64Array(capacity);
    this.linkKind = new Uint8Array(capacity);
  }

  /** True when no entry fits. */
  get full(): boolean {
    return this.count >= this.capacity;
  }

  /** Adds an entry (the caller checks {@link full}). */
  push(at: number, shape: number, seq: number, length: number, start: number, end: number, link: number, linkKind: number): void {
    const i = this.count++;
    this.at[i] = at;
    this.shape[i] = shape;
    this.seq[i] = seq;
    this.length[i] = length;
    this.start[i] = start;
    this.end[i] = end;
    this.link[i] = link;
    this.linkKind[i] = linkKind;
  }

  /** Copies out the entries (undefined when none) and starts afresh. */
  take(): TurnEntryColumns | undefined {
    const n = this.count;
    if (n === 0) return undefined;
    this.count = 0;
    return {
      at: this.at.slice(0, n),
      shape: this.shape.slice(0, n),
      seq: this.seq.slice(0, n),
      length: this.length.slice(0, n),
      start: this.start.slice(0, n),
      end: this.end.slice(0, n),
      link: this.link.slice(0, n),
      linkKind: this.linkKind.slice(0, n),
    };
  }
}

/** Seqs the entries stand for in all. */
export function entrySeqs(turns: TurnEntryColumns | undefined): number {
  let n = 0;
  if (turns) for (let i = 0; i < turns.length.length; i++) n += turns.length[i];
  return n;
}

/** Seqs of the entries dropped by the recorder (shape -1). */
export function droppedEntrySeqs(turns: TurnEntryColumns | undefined): number {
  let n = 0;
  if (turns) for (let i = 0; i < turns.length.length; i++) if (turns.shape[i] < 0) n += turns.length[i];
  return n;
}
