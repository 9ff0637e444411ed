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

const STACK_CAPACITY = 8192;

/** Records calls into preallocated arrays. One instance per traced process. */
export class Recorder {
  private readonly ops: Uint8Array;
  private readonly ids: Int32Array;
  private readonly times: Float64Array;
  private readonly links: Float64Array;
  private readonly linkKinds: Uint8Array;
  private readonly stackSeqs = new Float64Array(STACK_CAPACITY);
  private readonly stackIds = new Int32Array(STACK_CAPACITY);
  private length = 0;
  private firstSeq = 0;
  private seq = 0;
  private depth = 0;
  private droppedFrom = -1;
  private droppedRanges: number[] = [];
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
  /**
   * Suspensions not yet resumed, per function id. A rejected `await` (or a
   * generator's `throw()`/`return()`) resumes the function without running the
   * `r` wrapped around the `await`: its frame is then restored where the code
   * goes next (a catch or finally block, or the function's own exit).
   */
  private readonly waiting = new Map<number, number>();
  /**
   * Called before a call is recorded while `watchSites` is on (the app's start-up
   * only): lets the traced process note where the app called into the library.
   * Receives the entered function and the innermost running one (-1 for none).
   */
  siteHook?: (id: number, caller: number) => void;
  /**
   * Called once when the records reach half the capacity, so the process can
   * drain them before they are dropped even if its timers are starved (a flood
   * can keep one event-loop turn busy for seconds).
   */
  onHighWater?: () => void;
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
  dropped = 0;
  /** Records that arrived unbalanced (an exit with no matching entry). */
  mismatched = 0;

  constructor(readonly capacity: number) {
    this.ops = new Uint8Array(capacity);
    this.ids = new Int32Array(capacity);
    this.times = new Float64Array(capacity);
    this.links = new Float64Array(capacity);
    this.linkKinds = new Uint8Array(capacity);
  }

  private write(op: number, id: number, link: number, linkKind: number): number {
    const seq = this.seq++;
    const i = this.length;
    // Once something is dropped, the rest of the batch is too: a batch is its records then a dropped tail.
    if (i >= this.capacity || this.droppedFrom >= 0) {
      this.dropped++;
      if (this.droppedFrom < 0) this.droppedFrom = seq;
      return seq;
    }
    this.ops[i] = op;
    this.ids[i] = id;
    this.times[i] = performance.now();
    this.links[i] = link;
    this.linkKinds[i] = linkKind;
    this.length = i + 1;
    if (this.length === this.capacity >> 1 && this.onHighWater) this.onHighWater();
    return seq;
  }

  private push(id: number, seq: number): void {
    const d = this.depth++;
    if (d < STACK_CAPACITY) {
      this.stackIds[d] = id;
      this.stackSeqs[d] = seq;
    }
  }

  /** Pops down to the frame of `id`; tolerates frames left by suspended functions. False when it is not on the stack. */
  private pop(id: number): boolean {
    // Frames past the stack's capacity are not stored: the innermost exit is theirs.
    if (this.depth > STACK_CAPACITY) {
      this.depth--;
      return true;
    }
    for (let d = this.depth - 1; d >= 0; d--) {
      if (this.stackIds[d] === id) {
        this.depth = d;
        return true;
      }
    }
    return false;
  }

  /** Takes one pending suspension of `id`; false when it has none. */
  private unwait(id: number): boolean {
    const n = this.waiting.get(id);
    if (n === undefined || n === 0) return false;
    this.waiting.set(id, n - 1);
    return true;
  }

  /** Writes a resumption of `id` and pushes its frame. */
  private resume(id: number): void {
    this.suspended = -1;
    if (this.depth === 0 && this.linkLookup) this.linkLookup(id);
    const root = this.depth === 0 && this.pendingLink >= 0;
    const seq = this.write(OP.resume, id, root ? this.pendingLink : -1, root ? this.pendingKind : 0);
    this.push(id, seq);
  }

  /** Counts a record of a skipped turn: a seq and a drop, nothing else. */
  private skip(): void {
    if (this.droppedFrom < 0) this.droppedFrom = this.seq;
    this.seq++;
    this.dropped++;
  }

  /** Function entry. */
  e(id: number): void {
    if (this.skipping > 0 || (this.shedding && this.depth === 0)) {
      this.skipping++;
      this.suspended = -1;
      this.skip();
      return;
    }
    this.suspended = -1;
    if (this.depth === 0 && this.linkLookup) this.linkLookup(-1);
    if (this.watchSites && this.siteHook) {
      this.siteHook(id, this.depth > 0 && this.depth <= STACK_CAPACITY ? this.stackIds[this.depth - 1] : -1);
    }
    const root = this.depth === 0 && this.pendingLink >= 0;
    const seq = this.write(OP.enter, id, root ? this.pendingLink : -1, root ? this.pendingKind : 0);
    this.push(id, seq);
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
    if (!this.pop(id)) {
      if (!this.unwait(id)) {
        this.mismatched++;
        return;
      }
      // Ended while suspended (an uncaught rejected await, a generator's return()): resumed, then exited.
      if (this.shedding && this.depth === 0) {
        this.skip();
        this.skip();
        return;
      }
      this.resume(id);
      this.depth--;
    }
    this.write(OP.exit, id, -1, 0);
  }

  /** An async function or generator suspends at `await`/`yield`; returns the operand unchanged. */
  sx<T>(id: number, value: T): T {
    if (this.skipping > 0) {
      this.skipping--;
      this.skip();
      return value;
    }
    const top = this.depth > 0 && this.depth <= STACK_CAPACITY ? this.stackSeqs[this.depth - 1] : -1;
    if (this.pop(id)) {
      this.write(OP.suspend, id, -1, 0);
      this.suspended = top;
      this.suspendedFn = id;
      this.waiting.set(id, (this.waiting.get(id) ?? 0) + 1);
    } else {
      this.mismatched++;
    }
    return value;
  }

  /** An async function or generator resumes; returns the awaited value unchanged. */
  r<T>(id: number, value: T): T {
    if (this.skipping > 0 || (this.shedding && this.depth === 0)) {
      this.skipping++;
      this.suspended = -1;
      this.skip();
      return value;
    }
    this.unwait(id);
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
    const top = this.depth > 0 && this.depth <= STACK_CAPACITY ? this.stackIds[this.depth - 1] : -1;
    if (top === id || this.depth > STACK_CAPACITY || !this.unwait(id)) return;
    if (this.shedding && this.depth === 0) {
      this.skipping++;
      this.skip();
      return;
    }
    this.resume(id);
  }

  /** Writes a marker record (step boundaries) into the same ordered stream. */
  mark(value: number): number {
    return this.write(OP.mark, value, -1, 0);
  }

  /** Writes a call-site record: the app's line `site` (an index into the sites table) calls in next. */
  site(site: number): number {
    return this.write(OP.site, site, -1, 0);
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
    if (this.depth > 0 && this.depth <= STACK_CAPACITY) return this.stackSeqs[this.depth - 1];
    return this.suspended;
  }

  /** Seq the next record will get. */
  nextSeq(): number {
    return this.seq;
  }

  /** Number of records waiting to be drained. */
  pending(): number {
    return this.length;
  }

  /** Copies out everything recorded since the last drain and starts afresh. */
  drain(): RecordBatch | undefined {
    if (this.length === 0 && this.droppedFrom < 0) return undefined;
    if (this.droppedFrom >= 0) {
      this.droppedRanges.push(this.droppedFrom, this.seq);
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
    this.firstSeq = this.seq;
    return batch;
  }
}
