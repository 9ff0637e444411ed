import { describe, expect, it } from "vitest";
import type { CallNode } from "../../src/trace/model.js";
import { laneSplit, stepLanes } from "../../src/trace/step-lanes.js";
import { stepRootSpans } from "../../src/trace/root-spans.js";
import { expandTurns, foldTurns } from "../../src/trace/turns.js";

function node(seq: number, start: number, end: number, children: CallNode[] = [], async?: CallNode["async"]): CallNode {
  return { seq, fn: 0, start, end, children, ...(async ? { async } : {}) };
}

interface Frame {
  readonly call?: number;
  readonly time: number;
  readonly ping?: boolean;
  /** Carries nothing of its own (a bare HTTP response). */
  readonly bare?: boolean;
}

/** Pings are background, bare frames follow their tree, the rest is the step's. */
const test = (f: Frame): boolean | undefined => (f.ping ? true : f.bare ? undefined : false);

describe("stepLanes", () => {
  // The step's own work (a request, 0–6.5 ms), then, while the user reads, a ping written by a
  // timer, the pong read back, and the timer the pong handler scheduled.
  const roots = [
    node(1, 0, 6, [node(2, 1, 6.5)]),
    node(10, 25_000, 25_001, [node(11, 25_000.2, 25_000.5)], { kind: "timer", from: 2 }),
    node(20, 25_003, 25_004, [node(21, 25_003.1, 25_003.9)], { kind: "io", from: 11 }),
    node(30, 50_000, 50_000.5, [], { kind: "timer", from: 21 }),
  ];
  const frames: Frame[] = [
    { call: 2, time: 3 },
    { call: 11, time: 25_000.4, ping: true },
    { call: 21, time: 25_003.5, ping: true },
    // The HTTP "ok" of a polling pong: not a heartbeat by itself, but written by the pong's handler.
    { call: 21, time: 25_003.6, bare: true },
  ];
  const lanes = stepLanes(roots, frames, test);

  it("puts the trees that wrote or read heartbeats, and what they scheduled, in the background", () => {
    expect(lanes.own.calls.map((c) => c.seq)).toEqual([1]);
    expect(lanes.background.calls.map((c) => c.seq)).toEqual([10, 20, 30]);
  });

  it("moves the frames those trees wrote along with them", () => {
    expect(lanes.own.messages).toEqual([frames[0]]);
    expect(lanes.background.messages).toEqual(frames.slice(1));
  });

  it("measures the step's own work only, not the time it stayed open", () => {
    expect(lanes.work).toEqual({ start: 0, end: 6.5 });
  });

  it("keeps a tree that also did the step's own work in the step", () => {
    const mixed = stepLanes([node(1, 0, 2, [node(2, 1, 2)])], [{ call: 1, time: 1 }, { call: 2, time: 2, ping: true }], test);
    expect(mixed.own.calls).toHaveLength(1);
    expect(mixed.background.messages).toHaveLength(1);
  });

  it("has no work span for a step with nothing of its own", () => {
    const idle = stepLanes([node(5, 10, 11)], [{ call: 5, time: 10, ping: true }], test);
    expect(idle.work).toBeUndefined();
    expect(idle.own.calls).toEqual([]);
  });

  it("reads a folded step's turns as spans and splits it as its expanded trees", () => {
    // Twelve turns of one shape, every third scheduled by the one before; pings from some, one turn's own frame.
    const roots = Array.from({ length: 12 }, (_, i) => node(10 * i + 1, 100 * i, 100 * i + 5, [node(10 * i + 2, 100 * i + 1, 100 * i + 4)],
      i % 3 === 2 ? { kind: "timer", from: 10 * (i - 1) + 2 } : undefined));
    const folded = foldTurns(roots);
    expect(folded.turns?.length).toBeGreaterThan(5);
    const frames: Frame[] = [{ call: 12, time: 103, ping: true }, { call: 42, time: 403, ping: true }, { call: 72, time: 702 }, { call: 52, time: 503, bare: true }];
    const whole = stepLanes(expandTurns(folded), frames, test);
    const split = laneSplit(stepRootSpans(folded), frames, test);
    expect(split.work).toEqual(whole.work);
    expect(split.own).toEqual(whole.own.messages);
    expect(split.behind).toEqual(whole.background.messages);
    expect([...split.background].flatMap((b, i) => (b ? [roots[i].seq] : []))).toEqual(whole.background.calls.map((c) => c.seq));
    expect(whole.background.calls.map((c) => c.seq)).toEqual([11, 21, 41, 51]);
  });
});
