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

import { CallRecording } from "./call-recording.js";
import { OP } from "../trace/record-ops.js";

// A followed turn's records, as the shape holds them (`shapeCode`): op in the low 3 bits.
const ENTER = OP.enter;
const EXIT = OP.exit;
const RESUME = OP.resume;
const SUSPEND = OP.suspend;

export { ASYNC_KINDS, OP } from "../trace/record-ops.js";
export type { RecordBatch } from "./recorder-columns.js";

/** Records calls into preallocated arrays. One instance per traced process. */
export class Recorder extends CallRecording {
  /** Function entry. */
  e(id: number): void {
    const f = this.follower;
    if (f.on) {
      const k = f.k;
      if (f.codes[f.at + k] === ((id << 3) | ENTER)) {
        f.k = k + 1;
        this.suspended = -1;
        return;
      }
      this.unfollow();
    }
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
    if (this.followNext) this.follow(OP.enter, id, seq);
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
    const f = this.follower;
    if (f.on) {
      const k = f.k;
      if (f.codes[f.at + k] === ((id << 3) | EXIT)) {
        f.k = k + 1;
        this.suspended = -1;
        if (k + 1 === f.length) this.endFollowed();
        return;
      }
      this.unfollow();
    }
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
      // A resumption that began a turn may begin a followed one: its exit is then followed too.
      if (this.follower.on) return this.x(id);
      this.stack.depth--;
    }
    this.write(OP.exit, id, -1, 0, this.endClock());
    this.endTurn();
  }

  /** An async function or generator suspends at `await`/`yield`; returns the operand unchanged. */
  sx<T>(id: number, value: T): T {
    const f = this.follower;
    if (f.on) {
      const k = f.k;
      if (f.codes[f.at + k] === ((id << 3) | SUSPEND)) {
        // As below: the seq of the frame innermost before the suspension, which its await's promise belongs to.
        this.suspended = f.topSeq();
        this.suspendedFn = id;
        this.waiting.add(id);
        f.k = k + 1;
        if (k + 1 === f.length) this.endFollowed();
        return value;
      }
      this.unfollow();
    }
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
    const f = this.follower;
    if (f.on) {
      const k = f.k;
      if (f.codes[f.at + k] === ((id << 3) | RESUME)) {
        this.waiting.take(id);
        f.k = k + 1;
        this.suspended = -1;
        return value;
      }
      this.unfollow();
    }
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
    if (this.follower.on) {
      if (this.follower.topId() === id) return;
      this.unfollow();
    }
    const top = this.stack.topId();
    if (top === id || this.stack.overflowed() || !this.waiting.take(id)) return;
    if (this.shedding && this.stack.depth === 0) {
      this.skipping++;
      this.skip();
      return;
    }
    this.resume(id);
  }

}
