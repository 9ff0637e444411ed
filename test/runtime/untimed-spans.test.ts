/** The collector's count of untimed turns kept whole: folded ones not counted, a turn cut by a drain counted once. */
import { describe, expect, it } from "vitest";
import { UntimedSpans } from "../../src/runtime/untimed-spans.js";

describe("untimed spans", () => {
  it("counts a turn kept whole, not one folded onto the step's timed sample", () => {
    const spans = new UntimedSpans();
    spans.add([10, 4, 20, 4]);
    expect(spans.pass(10, 14, true)).toBe(true);
    expect(spans.pass(20, 24, false)).toBe(true);
    expect(spans.count(30)).toBe(1);
  });

  it("counts a turn a drain cut into two spans once, and spans passed by another turn's settling as kept", () => {
    const spans = new UntimedSpans();
    spans.add([5, 3]);
    spans.add([8, 2, 40, 4]);
    // Turn 50 settles: the spans before it were released whole without settling.
    expect(spans.pass(50, 54, false)).toBe(false);
    expect(spans.count(60)).toBe(2);
  });

  it("counts spans not passed yet only before the turn still being received", () => {
    const spans = new UntimedSpans();
    spans.add([5, 3, 30, 2]);
    expect(spans.count(20)).toBe(1);
    expect(spans.count(31)).toBe(2);
  });
});
