/**
 * The recorder's stack of running calls: each frame's function id and the
 * seq of its entry, in preallocated arrays (nothing allocated per call).
 * Frames past the capacity are counted but not stored.
 */

/** Frames stored at most; deeper ones are counted only. */
export const STACK_CAPACITY = 8192;

/** Running calls, innermost last. */
export class CallStack {
  private readonly seqs = new Float64Array(STACK_CAPACITY);
  private readonly ids = new Int32Array(STACK_CAPACITY);
  /** Number of frames, stored or not. */
  depth = 0;

  /** Pushes the frame of the call `id` entered at `seq`. */
  push(id: number, seq: number): void {
    const d = this.depth++;
    if (d < STACK_CAPACITY) {
      this.ids[d] = id;
      this.seqs[d] = seq;
    }
  }

  /** Pops down to the frame of `id`; tolerates frames left by suspended functions. False when it is not on the stack. */
  pop(id: number): boolean {
    // Frames past the stack's capacity are not stored: the innermost exit is theirs.
    if (this.depth > STACK_CAPACITY) {
      this.depth--;
      return true;
    }
    for (let d = this.depth - 1; d >= 0; d--) {
      if (this.ids[d] === id) {
        this.depth = d;
        return true;
      }
    }
    return false;
  }

  /** True when the innermost frame is past the capacity (not stored). */
  overflowed(): boolean {
    return this.depth > STACK_CAPACITY;
  }

  /** Function id of the innermost stored frame, or -1. */
  topId(): number {
    return this.depth > 0 && this.depth <= STACK_CAPACITY ? this.ids[this.depth - 1] : -1;
  }

  /** Entry seq of the innermost stored frame, or -1. */
  topSeq(): number {
    return this.depth > 0 && this.depth <= STACK_CAPACITY ? this.seqs[this.depth - 1] : -1;
  }
}

/**
 * Suspensions not yet resumed, per function id. A rejected `await` (or a
 * generator's `throw()`/`return()`) resumes the function without running the
 * `r` wrapped around the `await`: its frame is then restored where the code
 * goes next (a catch or finally block, or the function's own exit).
 */
export class Suspensions {
  // Counts by function id (ids are dense, from 0): an await costs an array store, not a Map update.
  private counts = new Int32Array(1024);

  /** Notes one suspension of `id`. */
  add(id: number): void {
    if (id >= this.counts.length) this.grow(id);
    this.counts[id]++;
  }

  /** Takes one pending suspension of `id`; false when it has none. */
  take(id: number): boolean {
    if (id < 0 || id >= this.counts.length || this.counts[id] === 0) return false;
    this.counts[id]--;
    return true;
  }

  private grow(id: number): void {
    let n = this.counts.length * 2;
    while (n <= id) n *= 2;
    const counts = new Int32Array(n);
    counts.set(this.counts);
    this.counts = counts;
  }
}
