/**
 * Storage for the collector's turn store (`turn-store.ts`): records in
 * columns, and the table of turn shapes (a turn's ops and functions, with
 * the times of the first turn of the shape, to play a repeat back as records).
 */
import type { RecordView } from "../trace/call-tree.js";

/** Call records in columns (plain number arrays: they grow by appending). */
export class RecordColumns {
  seq: number[] = [];
  op: number[] = [];
  id: number[] = [];
  time: number[] = [];
  link: number[] = [];
  kind: number[] = [];

  get length(): number {
    return this.seq.length;
  }

  push(seq: number, op: number, id: number, time: number, link: number, kind: number): void {
    this.seq.push(seq);
    this.op.push(op);
    this.id.push(id);
    this.time.push(time);
    this.link.push(link);
    this.kind.push(kind);
  }

  /** Appends every record of `other`. */
  append(other: RecordColumns): void {
    for (let i = 0; i < other.length; i++) this.push(other.seq[i], other.op[i], other.id[i], other.time[i], other.link[i], other.kind[i]);
  }

  clear(): void {
    this.seq = [];
    this.op = [];
    this.id = [];
    this.time = [];
    this.link = [];
    this.kind = [];
  }

  /** The records as a view. */
  view(): RecordView {
    return { length: this.length, seq: (i) => this.seq[i], op: (i) => this.op[i], id: (i) => this.id[i], time: (i) => this.time[i], link: (i) => this.link[i], linkKind: (i) => this.kind[i] };
  }
}

/** A turn's shape: its records' ops and functions, and the first turn of the shape's times (from its root's start). */
export interface Shape {
  readonly id: number;
  readonly ops: readonly number[];
  readonly ids: readonly number[];
  readonly times: readonly number[];
  /** The root's async link kind, or -1 when the root has no link. */
  readonly linkKind: number;
  /** The tree key its turns fold by (`shapeKey`): `null` until worked out, `undefined` when it cannot fold. */
  key: string | undefined | null;
}

/** The shapes seen in a run, found by their ops and functions. */
export class Shapes {
  private readonly list: Shape[] = [];
  private readonly byKey = new Map<string, Shape>();

  /** The shape of the complete turn in `turn` (its first record is the root's entry), added when new. */
  of(turn: RecordColumns): Shape {
    const linkKind = turn.link[0] >= 0 ? turn.kind[0] : -1;
    const parts: string[] = [String(linkKind)];
    for (let i = 0; i < turn.length; i++) parts.push(`${turn.op[i]}.${turn.id[i]}`);
    const key = parts.join(",");
    let shape = this.byKey.get(key);
    if (!shape) {
      const start = turn.time[0];
      shape = { id: this.list.length, ops: turn.op.slice(), ids: turn.id.slice(), times: turn.time.map((t) => t - start), linkKind, key: null };
      this.list.push(shape);
      this.byKey.set(key, shape);
    }
    return shape;
  }

  get(id: number): Shape {
    return this.list[id];
  }

  /**
   * Plays a turn of `shape` back as records, those with `from <= seq < to`:
   * its root at `seq` from `start` to `end` with its own link, its nested
   * records at the shape's times moved to its start and kept inside its span.
   */
  play(shape: Shape, seq: number, start: number, end: number, link: number, from: number, to: number, record: (seq: number, op: number, id: number, time: number, link: number, kind: number) => void): void {
    const last = shape.ops.length - 1;
    for (let k = Math.max(0, from - seq); k <= last && seq + k < to; k++) {
      const time = k === 0 ? start : k === last ? end : Math.min(end, start + shape.times[k]);
      record(seq + k, shape.ops[k], shape.ids[k], time, k === 0 ? link : -1, k === 0 && link >= 0 ? shape.linkKind : 0);
    }
  }
}
