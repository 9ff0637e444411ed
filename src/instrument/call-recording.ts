/**
 * The call recorder's state and its record writes, below the API that
 * instrumented code calls (`recorder.ts`): the seq counter, the columns the
 * records go into, the stack of running calls, the clock reads and the turn
 * bookkeeping, the records that are not calls (markers, call sites), and the
 * drain. Apart so each file holds one side of the hot path; the split is a
 * class and its subclass, so a call costs what it did (no extra indirection).
 */

import { CallStack, Suspensions } from "./call-stack.js";
import { OP } from "../trace/record-ops.js";
import { RecordColumns, type RecordBatch } from "./recorder-columns.js";
import { HURRY_PER_MS, TurnWriter } from "./turn-writer.js";
import type { ShapeTable } from "./turn-shapes.js";
import { ShapeFollower } from "./turn-follow.js";

/** What a recorder holds and writes; {@link Recorder} adds the calls' entry points. */
export class CallRecording {
  protected readonly columns: RecordColumns;
  protected readonly stack = new CallStack();
  protected seq = 0;
  /** The call that scheduled the running turn, and how (an `ASYNC_KINDS` index); -1 for none. */
  pendingLink = -1;
  pendingKind = 0;
  /**
   * Sets `pendingLink`/`pendingKind` for the turn that is running; called when a
   * turn enters traced code (nothing on the stack). Looking the link up there,
   * rather than in async hooks' before/after, costs nothing for the many async
   * callbacks that never reach traced code.
   */
  linkLookup?: (resuming: number) => void;
  /** The call that just suspended at an await/yield, for the promise the await creates next. */
  protected suspended = -1;
  /** Function id of `suspended`: a resumption is linked to it only if the same function resumes. */
  protected suspendedFn = -1;
  /** Suspensions not yet resumed (see {@link Suspensions}). */
  protected readonly waiting = new Suspensions();
  /**
   * Called before a call is recorded while `watchSites` is on (the app's start-up
   * only): lets the traced process note where the app called into the library.
   * Receives the entered function and the innermost running one (-1 for none).
   */
  siteHook?: (id: number, caller: number) => void;
  /**
   * See {@link RecordColumns.onHighWater}. Inside a turn recorded without per-call
   * times it waits for the turn's end: drained in the middle, the turn could not be folded.
   */
  set onHighWater(call: (() => void) | undefined) {
    this.highWaterCall = call;
  }
  protected highWaterCall?: () => void;
  protected highWaterDue = false;
  /** Repeated turns sent as entries (`turn-writer.ts`); undefined when off. */
  protected readonly turns?: TurnWriter;
  /**
   * Follows a turn predicted to repeat instead of recording it (`turn-follow.ts`): while `on`, the
   * entry points compare each call with the shape and return; {@link seq} and {@link stack} then
   * stand still at the root's record, and what is asked of them is read off the shape.
   */
  protected readonly follower = new ShapeFollower();
  /** Set at a turn's root when the turn writer predicts its shape: following starts once the root's record is written. */
  protected followNext = false;
  /** Whether the running turn's nested calls read the clock (always, with turn shapes off). */
  protected timed = true;
  watchSites = false;
  /**
   * Set while the CLI cannot keep up: a new turn (a call entered with nothing
   * on the stack) is then only counted, as dropped records, not recorded. A
   * skipped turn costs a counter per call instead of a clock read, a stack
   * frame and a record; a turn already being recorded finishes whole, so call
   * trees are never cut in the middle by shedding.
   */
  shedding = false;
  /** Depth inside a skipped turn; 0 when not skipping. */
  protected skipping = 0;
  /** Records dropped since the process started. */
  get dropped(): number {
    return this.columns.dropped;
  }

  /** Turns sent whole without per-call times since the process started (their nested times spread). */
  get untimedTurns(): number {
    return this.turns?.untimedTurns ?? 0;
  }

  /** Turns sent as one entry each since the process started (0 with turn shapes off). */
  get foldedTurns(): number {
    return this.turns?.folded ?? 0;
  }
  /** Records that arrived unbalanced (an exit with no matching entry). */
  mismatched = 0;

  /**
   * `options.shapes`: send repeated turns as entries (`turn-writer.ts`); a `ShapeTable` to use a
   * given one (tests). `options.hurried`: turns expected to repeat go untimed from the start, not
   * only once {@link pace} finds records coming fast.
   */
  constructor(
    readonly capacity: number,
    options: { readonly shapes?: boolean | ShapeTable; readonly hurried?: boolean } = {},
  ) {
    this.columns = new RecordColumns(capacity);
    this.columns.onHighWater = () => this.highWater();
    if (options.shapes) {
      this.turns = new TurnWriter(this.columns, capacity, options.shapes === true ? undefined : options.shapes);
      this.turns.hurried = options.hurried ?? false;
    }
  }

  protected highWater(): void {
    if (this.timed || this.stack.depth === 0) this.highWaterCall?.();
    else this.highWaterDue = true;
  }

  protected write(op: number, id: number, link: number, linkKind: number, time: number): number {
    const seq = this.seq++;
    this.columns.write(seq, op, id, link, linkKind, time);
    return seq;
  }

  /** The clock for the entry or resumption of `id`: read at a turn's root (which starts the turn), and inside timed turns. */
  protected rootClock(id: number): number {
    if (this.stack.depth === 0) {
      if (this.turns) {
        this.timed = this.turns.begin(id, this.seq);
        // Not while the app starts up: the site hook must see every call.
        this.followNext = this.turns.predicted >= 0 && !this.watchSites;
      }
      return performance.now();
    }
    return this.timed ? performance.now() : 0;
  }

  /** The clock for a record that may end the turn (an exit or suspend, its frame popped already). */
  protected endClock(): number {
    return this.stack.depth === 0 || this.timed ? performance.now() : 0;
  }

  /** After a record that left the stack empty: the turn is sent whole or as an entry. */
  protected endTurn(): void {
    if (this.stack.depth !== 0 || !this.turns) return;
    this.turns.end(this.seq);
    this.afterTurn(this.turns);
  }

  private afterTurn(turns: TurnWriter): void {
    this.timed = true;
    if (this.highWaterDue || turns.highWater) {
      this.highWaterDue = false;
      this.highWaterCall?.();
    }
  }

  /** The root's record (`op` of `id`, at `seq`) was just written and its frame pushed: follow the turn if it was predicted. */
  protected follow(op: number, id: number, seq: number): void {
    this.followNext = false;
    this.follower.start(this.turns!.shapes, this.turns!.predicted, seq, op, id);
  }

  /** The followed turn parts from its shape: what was followed is written and its frames pushed, and recording goes on from there. */
  protected unfollow(): void {
    const f = this.follower;
    f.stop(this.columns, this.stack, 0);
    this.seq = f.nextSeq();
  }

  /** The followed turn's last record matched: the stack is empty again, and the turn folds (or, when it cannot, is written and ended as any turn). */
  protected endFollowed(): void {
    const f = this.follower;
    const turns = this.turns!;
    const time = performance.now();
    this.seq = f.nextSeq();
    if (turns.foldPredicted(f.k, time)) {
      f.on = false;
      this.stack.depth = 0;
      this.afterTurn(turns);
      return;
    }
    f.stop(this.columns, this.stack, time);
    this.endTurn();
  }

  /** Writes a resumption of `id` and pushes its frame. */
  protected resume(id: number): void {
    this.suspended = -1;
    if (this.stack.depth === 0 && this.linkLookup) this.linkLookup(id);
    const root = this.stack.depth === 0 && this.pendingLink >= 0;
    const time = this.rootClock(id);
    const seq = this.write(OP.resume, id, root ? this.pendingLink : -1, root ? this.pendingKind : 0, time);
    this.stack.push(id, seq);
    if (this.followNext) this.follow(OP.resume, id, seq);
  }

  /** Counts a record of a skipped turn: a seq and a drop, nothing else. */
  protected skip(): void {
    this.columns.drop(this.seq++);
  }

  /** Writes a marker record (step boundaries) into the same ordered stream. */
  mark(value: number): number {
    this.turns?.mark();
    return this.inTurn(OP.mark, value);
  }

  /** Writes a call-site record: the app's line `site` (an index into the sites table) calls in next. */
  site(site: number): number {
    return this.inTurn(OP.site, site);
  }

  /** Writes a record that is not a call: a turn it falls inside is sent whole (untimed, with spread times). */
  protected inTurn(op: number, value: number): number {
    if (this.follower.on) this.unfollow();
    if (this.stack.depth > 0) this.turns?.spoil();
    return this.write(op, value, -1, 0, performance.now());
  }

  /** Seq of the call that just suspended at an await or yield (the promises the await creates next are its), or -1. */
  suspendedSeq(): number {
    return this.suspended;
  }

  /** Function id of {@link suspendedSeq}. */
  suspendedFnId(): number {
    return this.suspendedFn;
  }

  /** Seq of the innermost running call, or of the call that just suspended, or -1. */
  current(): number {
    if (this.follower.on) return this.follower.topSeq();
    return this.stack.depth > 0 && !this.stack.overflowed() ? this.stack.topSeq() : this.suspended;
  }

  /**
   * Tells the recorder `ms` passed since the last call: at a rate of records above `HURRY_PER_MS`,
   * turns expected to repeat skip their nested clock reads until the rate falls again.
   */
  pace(ms: number): void {
    const seq = this.nextSeq();
    if (this.turns && ms > 0) this.turns.hurried = (seq - this.pacedSeq) / ms > HURRY_PER_MS;
    this.pacedSeq = seq;
  }
  protected pacedSeq = 0;

  /** Seq the next record will get. */
  nextSeq(): number {
    return this.follower.on ? this.follower.nextSeq() : this.seq;
  }

  /** Number of records waiting to be drained. */
  pending(): number {
    return this.columns.pending();
  }

  /** Copies out everything recorded since the last drain and starts afresh. */
  drain(): RecordBatch | undefined {
    if (!this.turns) return this.columns.drain(this.seq);
    if (this.follower.on) this.unfollow();
    if (this.stack.depth > 0) this.turns.beforeDrain(this.seq);
    const { turns, shapeDefs, untimed } = this.turns.take();
    return this.columns.drain(this.seq, turns, shapeDefs, untimed);
  }
}
