/**
 * The traced process's table of turn shapes: a turn's sequence of records
 * (op and function id of each, and its root's async link kind) found by a hash
 * and then compared record for record, so two sequences that share a hash
 * are never taken for one another (a false fold would put calls in the trace
 * that never ran).
 *
 * It allocates only when a shape is new; a lookup reads the turn where the
 * recorder wrote it (its record columns) and allocates nothing. Besides each
 * record's op and id it keeps what following a turn against the shape needs
 * (`turn-follow.ts`): the two as one int to compare, and the frame that is
 * innermost after each record, worked out once here so that a followed turn
 * keeps no stack of its own.
 */

import { OP } from "../trace/record-ops.js";
import { STACK_CAPACITY } from "./call-stack.js";

/** Hash of the records `from <= i < to` and the root's link kind; any int will do, equal sequences must hash equal. */
export type ShapeHash = (ops: Uint8Array, ids: Int32Array, from: number, to: number, linkKind: number) => number;

/** FNV-1a over each record's op and id. */
export const fnvHash: ShapeHash = (ops, ids, from, to, linkKind) => {
  let h = (0x811c9dc5 ^ (linkKind + 1)) | 0;
  for (let i = from; i < to; i++) {
    h = Math.imul(h ^ ops[i], 0x01000193);
    h = Math.imul(h ^ ids[i], 0x01000193);
  }
  return h;
};

/**
 * Shapes kept at most, and records in all their sequences: an app whose
 * every turn differs must not grow the table without end (a turn with no
 * room for its shape is sent whole, as before shapes).
 */
export const MAX_SHAPES = 4096;
export const MAX_SHAPE_RECORDS = 1 << 20;

/** Shapes seen in this process, by id (their order of first sight). */
export class ShapeTable {
  /** Every shape's records, one after another (see {@link startOf}); replaced by larger arrays when a shape is added that does not fit. */
  ops = new Uint8Array(4096);
  ids = new Int32Array(4096);
  /** Each record's {@link shapeCode}, beside {@link ops} and {@link ids}. */
  codes = new Int32Array(4096);
  /** Each record's innermost open frame after it: the position, within its shape, of that frame's entry or resumption; -1 when the stack is empty. */
  tops = new Int32Array(4096);
  private used = 0;
  private readonly deep: boolean[] = [];
  private readonly starts: number[] = [];
  private readonly lengths: number[] = [];
  private readonly linkKinds: number[] = [];
  /** Shape ids by hash: one id, or the ids of sequences that share the hash. */
  private readonly byHash = new Map<number, number | number[]>();

  constructor(private readonly hash: ShapeHash = fnvHash) {}

  /** Number of shapes. */
  get size(): number {
    return this.starts.length;
  }

  /** Id of the shape of the records `from <= i < to` (root link kind `linkKind`, -1 for none), or -1 when not seen. */
  find(ops: Uint8Array, ids: Int32Array, from: number, to: number, linkKind: number): number {
    const hit = this.byHash.get(this.hash(ops, ids, from, to, linkKind));
    if (hit === undefined) return -1;
    if (typeof hit === "number") return this.same(hit, ops, ids, from, to, linkKind) ? hit : -1;
    for (const id of hit) if (this.same(id, ops, ids, from, to, linkKind)) return id;
    return -1;
  }

  /** Adds the shape of the records `from <= i < to` (not found by {@link find}); its id, or -1 when the table is full. */
  add(ops: Uint8Array, ids: Int32Array, from: number, to: number, linkKind: number): number {
    const n = to - from;
    if (this.starts.length >= MAX_SHAPES || this.used + n > MAX_SHAPE_RECORDS) return -1;
    if (this.used + n > this.ops.length) this.grow(this.used + n);
    this.ops.set(ops.subarray(from, to), this.used);
    this.ids.set(ids.subarray(from, to), this.used);
    for (let i = 0; i < n; i++) this.codes[this.used + i] = shapeCode(ops[from + i], ids[from + i]);
    const id = this.starts.length;
    this.deep.push(this.frames(this.used, n) > STACK_CAPACITY);
    this.starts.push(this.used);
    this.lengths.push(n);
    this.linkKinds.push(linkKind);
    this.used += n;
    const h = this.hash(ops, ids, from, to, linkKind);
    const hit = this.byHash.get(h);
    this.byHash.set(h, hit === undefined ? id : typeof hit === "number" ? [hit, id] : [...hit, id]);
    return id;
  }

  /** Records in shape `id`. */
  length(id: number): number {
    return this.lengths[id];
  }

  /** Where shape `id`'s records start in {@link ops} and {@link ids}. */
  startOf(id: number): number {
    return this.starts[id];
  }

  /** True when a turn of shape `id` can be followed: its stack stays within what the recorder's stack stores. */
  followable(id: number): boolean {
    return !this.deep[id];
  }

  /** The root's async link kind shape `id` was seen with (-1 for none). */
  linkKindOf(id: number): number {
    return this.linkKinds[id];
  }

  private same(id: number, ops: Uint8Array, ids: Int32Array, from: number, to: number, linkKind: number): boolean {
    if (this.lengths[id] !== to - from || this.linkKinds[id] !== linkKind) return false;
    const at = this.starts[id] - from;
    for (let i = from; i < to; i++) if (this.ops[at + i] !== ops[i] || this.ids[at + i] !== ids[i]) return false;
    return true;
  }

  /**
   * Fills {@link tops} for the shape at `at` (`n` records) by playing its calls on a stack the way the
   * recorder's own does (an exit or suspension pops down to its function's frame); returns its deepest depth.
   */
  private frames(at: number, n: number): number {
    const open: number[] = [];
    let deepest = 0;
    for (let k = 0; k < n; k++) {
      const op = this.ops[at + k];
      if (op === OP.enter || op === OP.resume) {
        open.push(k);
        deepest = Math.max(deepest, open.length);
      } else {
        const id = this.ids[at + k];
        let d = open.length - 1;
        while (d >= 0 && this.ids[at + open[d]] !== id) d--;
        if (d >= 0) open.length = d;
      }
      this.tops[at + k] = open.length ? open[open.length - 1] : -1;
    }
    return deepest;
  }

  private grow(needed: number): void {
    let next = this.ops.length * 2;
    while (next < needed) next *= 2;
    const ops = new Uint8Array(next);
    ops.set(this.ops.subarray(0, this.used));
    const ids = new Int32Array(next);
    ids.set(this.ids.subarray(0, this.used));
    const codes = new Int32Array(next);
    codes.set(this.codes.subarray(0, this.used));
    const tops = new Int32Array(next);
    tops.set(this.tops.subarray(0, this.used));
    this.ops = ops;
    this.ids = ids;
    this.codes = codes;
    this.tops = tops;
  }
}

/** A record's op and function id as one int, which is what a followed turn compares (ids stay below 2^28). */
export function shapeCode(op: number, id: number): number {
  return (id << 3) | op;
}
