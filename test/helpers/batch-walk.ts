/**
 * Reads a recorder batch the way its format says, independently of the
 * collector: records and turn entries in seq order, and the shape samples it
 * names. For tests that rebuild the unfolded stream to compare against.
 */
import type { RecordBatch } from "../../src/instrument/recorder.js";

/** One record of a batch, with its seq. */
export interface BatchRow {
  seq: number;
  op: number;
  id: number;
  time: number;
  link: number;
  kind: number;
}

/** One turn entry of a batch (shape -1: dropped seqs). */
export interface BatchEntry {
  seq: number;
  shape: number;
  n: number;
  start: number;
  end: number;
  link: number;
  kind: number;
}

/** Walks `b`'s records and entries in seq order, notes its samples (shape id → root seq) in `samples`; returns the seq after it. */
export function walkBatch(b: RecordBatch, samples: Map<number, number>, row: (r: BatchRow) => void, entry: (e: BatchEntry) => void): number {
  const defs = b.shapeDefs ?? [];
  for (let i = 0; i < defs.length; i += 2) samples.set(defs[i + 1], defs[i]);
  let seq = b.firstSeq;
  let t = 0;
  const turns = b.turns;
  for (let i = 0; i <= b.ops.length; i++) {
    for (; turns && t < turns.seq.length && turns.at[t] === i; t++) {
      if (turns.seq[t] !== seq) throw new Error(`entry ${t} of the batch at ${b.firstSeq} has seq ${turns.seq[t]}, expected ${seq}`);
      entry({ seq, shape: turns.shape[t], n: turns.length[t], start: turns.start[t], end: turns.end[t], link: turns.link[t], kind: turns.linkKind[t] });
      seq += turns.length[t];
    }
    if (i === b.ops.length) break;
    row({ seq, op: b.ops[i], id: b.ids[i], time: b.times[i], link: b.links[i], kind: b.linkKinds[i] });
    seq++;
  }
  return seq;
}
