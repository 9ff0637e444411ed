/**
 * The collector's account of the turns the traced process sent without a clock
 * read per call (it expected them to repeat a known shape; they did not): their
 * nested times are spread between their root's reads, so the trace must say how
 * many such turns it shows. One folded onto the step's timed sample shows the
 * sample's times instead and is not counted; a turn a drain cut in two arrives as
 * two spans and counts once.
 */
export class UntimedSpans {
  /** [first seq, count] pairs in seq order; those before `at` are passed. */
  private readonly spans: number[] = [];
  private at = 0;
  /** Turns passed as kept whole. */
  private kept = 0;

  /** Takes a batch's `untimed` pairs. */
  add(pairs: readonly number[]): void {
    for (const value of pairs) this.spans.push(value);
  }

  /** Untimed turns kept whole, those whose spans begin before `before` (the turn still being received) counted too. */
  count(before: number): number {
    let n = this.kept;
    for (let i = this.at; i < this.spans.length && this.spans[i] < before; i += 2) if (!this.continues(i)) n++;
    return n;
  }

  /**
   * Moves past the spans that begin before `end`, counting each turn among them as kept whole unless
   * it is the turn `from <= seq < end` and `folded`; returns whether any span began at or after `from`.
   */
  pass(from: number, end: number, folded: boolean): boolean {
    const { spans } = this;
    let hit = false;
    for (; this.at < spans.length && spans[this.at] < end; this.at += 2) {
      const mine = spans[this.at] >= from;
      hit ||= mine;
      if (!(mine && folded) && !this.continues(this.at)) this.kept++;
    }
    // Passed spans are let go in blocks; the last stays for `continues`.
    if (this.at > 4096) {
      spans.splice(0, this.at - 2);
      this.at = 2;
    }
    return hit;
  }

  /** True when span `i` goes on the span before it (a drain cut the turn): the same turn. */
  private continues(i: number): boolean {
    return i >= 2 && this.spans[i - 2] + this.spans[i - 1] === this.spans[i];
  }
}
