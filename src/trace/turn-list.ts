/**
 * A step's folded turns (`Step.turns`) in columns: seven numbers a turn in a
 * {@link SpillColumns}, so that a run at saturation, millions of turns, holds
 * a fixed amount of memory instead of an object a turn. Every reader goes
 * through it: `length`, `at(i)`, iteration (each turn made as a
 * {@link TurnRepeat} when read) and `seqAt` / `likeAt` / `lowerBound` for
 * searches that need no object. In a trace file it is the JSON list of its
 * turns (`toJSON`), and {@link TurnList.from} makes it back from one.
 */
import type { AsyncKind, TurnRepeat } from "./model-calls.js";
import { SpillColumns, type SpillOptions, type SpillStats } from "./spill-columns.js";

/** Async kinds by code, the code being the index (a column holds numbers). */
const KINDS: readonly AsyncKind[] = ["promise", "tick", "timer", "immediate", "io", "other"];
const KIND_CODES = new Map<AsyncKind, number>(KINDS.map((kind, i) => [kind, i]));

const LIKE = 0;
const SEQ = 1;
const START = 2;
const END = 3;
const FROM = 4;
const KIND = 5;
const PROCESS = 6;
const WIDTH = 7;

/** Folded turns in seq order, in columns (spilled to a temporary file past a fixed size). */
export class TurnList implements Iterable<TurnRepeat> {
  private readonly columns: SpillColumns;

  constructor(options?: SpillOptions) {
    this.columns = new SpillColumns(WIDTH, options);
  }

  /** A list of `turns` (in seq order), as read from a trace file or built by hand. */
  static from(turns: Iterable<TurnRepeat>, options?: SpillOptions): TurnList {
    const list = new TurnList(options);
    for (const turn of turns) list.push(turn);
    return list;
  }

  /** Turns held. */
  get length(): number {
    return this.columns.length;
  }

  /** Where the turns are held (memory or the spill file). */
  get stats(): SpillStats {
    return this.columns.stats;
  }

  /** Appends a turn, after every turn held (seq order). */
  push(turn: TurnRepeat): void {
    this.columns.push(turn.like, turn.seq, turn.start, turn.end, turn.async ? turn.async.from : -1, turn.async ? KIND_CODES.get(turn.async.kind)! : -1, turn.process ?? -1);
  }

  /** Appends every turn of `other`. */
  append(other: TurnList): void {
    for (const turn of other) this.push(turn);
  }

  /** Turn `i`'s root seq. */
  seqAt(i: number): number {
    return this.columns.get(SEQ, i);
  }

  /** Turn `i`'s representative's seq. */
  likeAt(i: number): number {
    return this.columns.get(LIKE, i);
  }

  /** Turn `i`'s start. */
  startAt(i: number): number {
    return this.columns.get(START, i);
  }

  /** Turn `i`'s end. */
  endAt(i: number): number {
    return this.columns.get(END, i);
  }

  /** The seq that scheduled turn `i`; undefined when it has no async origin. */
  fromAt(i: number): number | undefined {
    const from = this.columns.get(FROM, i);
    return from >= 0 ? from : undefined;
  }

  /** The first turn whose root's seq is at or above `seq`. */
  lowerBound(seq: number): number {
    return this.columns.lowerBound(SEQ, seq);
  }

  /** Turn `i` as an object (made when read). */
  at(i: number): TurnRepeat {
    const c = this.columns;
    const from = c.get(FROM, i);
    const proc = c.get(PROCESS, i);
    return {
      like: c.get(LIKE, i),
      seq: c.get(SEQ, i),
      start: c.get(START, i),
      end: c.get(END, i),
      ...(from >= 0 ? { async: { kind: KINDS[c.get(KIND, i)], from } } : {}),
      ...(proc >= 0 ? { process: proc } : {}),
    };
  }

  /** The turns with their seqs and async origins moved by `off` (and `process` set): a process's turns in a trace of several. */
  mapped(off: (n: number) => number, process: number): TurnList {
    const out = new TurnList();
    for (const turn of this) out.push({ ...turn, like: off(turn.like), seq: off(turn.seq), ...(turn.async ? { async: { kind: turn.async.kind, from: off(turn.async.from) } } : {}), process });
    return out;
  }

  *[Symbol.iterator](): Iterator<TurnRepeat> {
    for (let i = 0, n = this.length; i < n; i++) yield this.at(i);
  }

  /** The trace file's form: the list of turns (SCHEMA.md, `steps[].turns`). */
  toJSON(): TurnRepeat[] {
    return [...this];
  }
}
