/**
 * The call recorder that instrumented code reports to, in the traced process.
 *
 * It is on the hot path of every socket.io call, so it allocates nothing per
 * call: records go into preallocated typed arrays that the process drains in
 * batches; when they fill up before a drain, records are counted as dropped,
 * never silently lost. It never throws into the code it records.
 *
 * Instrumented code calls it as `__tsR.e(id)` with the instance itself as the
 * global, so no bound function or closure sits between a call and its record.
 */

import { CallStack, Suspensions } from "./call-stack.js";
import { OP } from "../trace/record-ops.js";
import { RecordColumns, type RecordBatch } from "./recorder-columns.js";
import { HURRY_PER_MS, TurnWriter } from "./turn-writer.js";
import type { ShapeTable } from "./turn-shapes.js";
import type { ShapeFollower } from "./turn-follow.js";

export { ASYNC_KINDS, OP } from "../trace/record-ops.js";
export type { RecordBatch } from "./recorder-columns.js";

/** Records calls into preallocated arrays. One instance per traced process. */
export class Recorder {
  private readonly columns: RecordColumns;
  private readonly stack = new CallStack();
  private seq = 0;
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
  private suspended = -1;
  /** Function id of `suspended`: a resumption is linked to it only if the same function resumes. */
  private suspendedFn = -1;
  /** Suspensions not yet resumed (see {@link Suspensions}). */
  private readonly waiting = new Suspensions();
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
  private highWaterCall?: () => void;
  private highWaterDue = false;
  /** Repeated turns sent as entries (`turn-writer.ts`); undefined when off. */
  private readonly turns?: TurnWriter;
  /** The turn writer's follower: an untimed turn's records are compared with its predicted shape, not written, while they match. */
  private readonly follower?: ShapeFollower;
  /** Whether the running turn's nested calls read the clock (always, with turn shapes off). */
  private timed = true;
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
  private skipping = 0;
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
      this.follower = this.turns.follower;
    }
  }

  private highWater(): void {
    if (this.timed || this.stack.depth === 0) this.highWaterCall?.();
    else this.highWaterDue = true;
  }

  private write(op: number, id: number, link: number, linkKind: number, time: number): number {
    const seq = this.seq++;
    if (this.follower?.active && this.follower.follows(op, id, time)) return seq;
    this.columns.write(seq, op, id, link, linkKind, time);
    return seq;
  }

  /** The clock for the entry or resumption of `id`: read at a turn's root (which starts the turn), and inside timed turns. */
  private rootClock(id: number): number {
    if (this.stack.depth === 0) {
      if (this.turns) this.timed = this.turns.begin(id, this.seq);
      return performance.now();
    }
    return this.timed ? performance.now() : 0;
  }

  /** The clock for a record that may end the turn (an exit or suspend, its frame popped already). */
  private endClock(): number {
    return this.stack.depth === 0 || this.timed ? performance.now() : 0;
  }

  /** After a record that left the stack empty: the turn is sent whole or as an entry. */
  private endTurn(): void {
    if (this.stack.depth !== 0 || !this.turns) return;
    this.turns.end(this.seq);
    this.timed = true;
    if (this.highWaterDue || this.turns.highWater) {
      this.highWaterDue = false;
      this.highWaterCall?.();
    }
  }

  /** Writes a resumption of `id` and pushes its frame. */
  private resume(id: number): void {
    this.suspended = -1;
    if (this.stack.depth === 0 && this.linkLookup) this.linkLookup(id);
    const root = this.stack.depth === 0 && this.pendingLink >= 0;
    const time = this.rootClock(id);
    const seq = this.write(OP.resume, id, root ? this.pendingLink : -1, root ? this.pendingKind : 0, time);
    this.stack.push(id, seq);
  }

  /** Counts a record of a skipped turn: a seq and a drop, nothing else. */
  private skip(): void {
    this.columns.drop(this.seq++);
  }

  /** Function entry. */
  e(id: number): void {
    if (this.skipping > 0 || (this.shedding && this.stack.depth === 0)) {
      this.skipping++;
      this.suspended = -1;
      this.skip();
      return;
    }
    this.suspended = -1;
    if (this.stack.depth === 0 && this.linkLookup) this.linkLookup(-1);
    if (this.watchSites && this.siteHook) {
      this.siteHook(id, this.stack.topId());
    }
    const root = this.stack.depth === 0 && this.pendingLink >= 0;
    const time = this.rootClock(id);
    const seq = this.write(OP.enter, id, root ? this.pendingLink : -1, root ? this.pendingKind : 0, time);
    this.stack.push(id, seq);
  }

  /**
   * Looks up (or registers) the function that stands for one member filled by a
   * loop-defined function (`Server.prototype[fn]`): `Server.on` and `Server.emit`
   * are then told apart in the trees. Set by the traced process; without it the
   * shared function's id is recorded.
   */
  slotLookup?: (id: number, key: string) => number;

  /** Entry of a loop-defined member function; `key` is the member it was defined for. */
  ek(id: number, key: unknown): void {
    this.e(this.slotId(id, key));
  }

  /** Exit of a loop-defined member function (see {@link ek}). */
  xk(id: number, key: unknown): void {
    this.x(this.slotId(id, key));
  }

  private slotId(id: number, key: unknown): number {
    // Only keys that are already what property keys become: converting anything else could run its code.
    const plain = typeof key === "string" ? key : typeof key === "number" ? String(key) : typeof key === "symbol" ? key.toString() : undefined;
    return plain !== undefined && this.slotLookup ? this.slotLookup(id, plain) : id;
  }

  /** Function exit (normal or by exception: it runs in `finally`). */
  x(id: number): void {
    if (this.skipping > 0) {
      this.skipping--;
      this.skip();
      return;
    }
    this.suspended = -1;
    if (!this.stack.pop(id)) {
      if (!this.waiting.take(id)) {
        this.mismatched++;
        return;
      }
      // Ended while suspended (an uncaught rejected await, a generator's return()): resumed, then exited.
      if (this.shedding && this.stack.depth === 0) {
        this.skip();
        this.skip();
        return;
      }
      this.resume(id);
      this.stack.depth--;
    }
    this.write(OP.exit, id, -1, 0, this.endClock());
    this.endTurn();
  }

  /** An async function or generator suspends at `await`/`yield`; returns the operand unchanged. */
  sx<T>(id: number, value: T): T {
    if (this.skipping > 0) {
      this.skipping--;
      this.skip();
      return value;
    }
    const top = this.stack.topSeq();
    if (this.stack.pop(id)) {
      this.write(OP.suspend, id, -1, 0, this.endClock());
      this.suspended = top;
      this.suspendedFn = id;
      this.waiting.add(id);
      this.endTurn();
    } else {
      this.mismatched++;
    }
    return value;
  }

  /** An async function or generator resumes; returns the awaited value unchanged. */
  r<T>(id: number, value: T): T {
    if (this.skipping > 0 || (this.shedding && this.stack.depth === 0)) {
      this.skipping++;
      this.suspended = -1;
      this.skip();
      return value;
    }
    this.waiting.take(id);
    this.resume(id);
    return value;
  }

  /**
   * At the start of a catch or finally block of an async function or generator:
   * if the function is not the one running, it got here by an abrupt resumption
   * (a rejected `await`, a generator's `throw()`/`return()`), so it resumes here.
   */
  rc(id: number): void {
    // Inside a skipped turn no frame is kept, so there is nothing to restore (nor to tell apart).
    if (this.skipping > 0) return;
    const top = this.stack.topId();
    if (top === id || this.stack.overflowed() || !this.waiting.take(id)) return;
    if (this.shedding && this.stack.depth === 0) {
      this.skipping++;
      this.skip();
      return;
    }
    this.resume(id);
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
  private inTurn(op: number, value: number): number {
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
    return this.stack.depth > 0 && !this.stack.overflowed() ? this.stack.topSeq() : this.suspended;
  }

  /**
   * Tells the recorder `ms` passed since the last call: at a rate of records above `HURRY_PER_MS`,
   * turns expected to repeat skip their nested clock reads until the rate falls again.
   */
  pace(ms: number): void {
    if (this.turns && ms > 0) this.turns.hurried = (this.seq - this.pacedSeq) / ms > HURRY_PER_MS;
    this.pacedSeq = this.seq;
  }
  private pacedSeq = 0;

  /** Seq the next record will get. */
  nextSeq(): number {
    return this.seq;
  }

  /** Number of records waiting to be drained. */
  pending(): number {
    return this.columns.pending();
  }

  /** Copies out everything recorded since the last drain and starts afresh. */
  drain(): RecordBatch | undefined {
    if (!this.turns) return this.columns.drain(this.seq);
    if (this.stack.depth > 0) this.turns.beforeDrain(this.seq);
    const { turns, shapeDefs, untimed } = this.turns.take();
    return this.columns.drain(this.seq, turns, shapeDefs, untimed);
  }
}
