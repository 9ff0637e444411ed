import { describe, expect, it } from "vitest";
import { OP, Recorder } from "../../src/instrument/recorder.js";

describe("recorder", () => {
  it("records entries and exits with increasing seq and times", () => {
    const r = new Recorder(16);
    r.e(1);
    r.e(2);
    r.x(2);
    r.x(1);
    const batch = r.drain()!;
    expect([...batch.ops]).toEqual([OP.enter, OP.enter, OP.exit, OP.exit]);
    expect([...batch.ids]).toEqual([1, 2, 2, 1]);
    expect(batch.firstSeq).toBe(0);
    expect(batch.times[3]).toBeGreaterThanOrEqual(batch.times[0]);
    expect(r.drain()).toBeUndefined();
  });

  it("counts what it drops when full, and keeps seq numbering across the gap", () => {
    const r = new Recorder(4);
    for (let i = 0; i < 5; i++) {
      r.e(7);
      r.x(7);
    }
    expect(r.dropped).toBe(6);
    const first = r.drain()!;
    expect(first.ops.length).toBe(4);
    expect(first.droppedRanges).toEqual([4, 10]);
    r.e(8);
    const second = r.drain()!;
    expect(second.firstSeq).toBe(10);
    expect(second.ids[0]).toBe(8);
  });

  it("keeps the call stack right even while dropping", () => {
    const r = new Recorder(1);
    r.e(1);
    r.e(2);
    expect(r.current()).toBe(1);
    r.x(2);
    r.x(1);
    expect(r.current()).toBe(-1);
  });

  it("tolerates an exit with no entry, and pops frames left by suspended calls", () => {
    const r = new Recorder(16);
    r.x(5);
    expect(r.mismatched).toBe(1);
    r.e(1);
    r.e(2); // suspended without its exit reaching the stack
    r.x(1);
    expect(r.current()).toBe(-1);
  });

  it("links a root call to the continuation's scheduler, not nested ones", () => {
    const r = new Recorder(16);
    r.pendingLink = 42;
    r.pendingKind = 3;
    r.e(1);
    r.e(2);
    r.x(2);
    r.x(1);
    const batch = r.drain()!;
    expect(batch.links[0]).toBe(42);
    expect(batch.linkKinds[0]).toBe(3);
    expect(batch.links[1]).toBe(-1);
  });

  it("returns operands unchanged from suspend and resume", () => {
    const r = new Recorder(16);
    const value = { v: 1 };
    r.e(3);
    expect(r.sx(3, value)).toBe(value);
    expect(r.r(3, value)).toBe(value);
  });
});

describe("recorder shedding", () => {
  it("finishes the turn in progress, skips whole new turns, and counts them as a dropped tail", () => {
    const r = new Recorder(16);
    r.e(1);
    r.shedding = true;
    r.e(2);
    r.x(2);
    r.x(1);
    expect([...r.drain()!.ids]).toEqual([1, 2, 2, 1]);
    // A new turn while shedding: only counted, nested calls included, and nothing for async hooks to link to.
    r.e(3);
    expect(r.current()).toBe(-1);
    r.e(4);
    r.x(4);
    r.x(3);
    const skipped = r.drain()!;
    expect(skipped.ops.length).toBe(0);
    expect(skipped.droppedRanges).toEqual([4, 8]);
    expect(r.dropped).toBe(4);
    r.shedding = false;
    r.e(5);
    r.x(5);
    const after = r.drain()!;
    expect(after.firstSeq).toBe(8);
    expect([...after.ids]).toEqual([5, 5]);
  });

  it("keeps a skipped async turn balanced across await", () => {
    const r = new Recorder(16);
    r.shedding = true;
    r.e(1);
    r.e(2);
    r.sx(2, undefined);
    r.x(1);
    r.shedding = false;
    // The continuation runs in a later turn, recorded again.
    r.r(2, undefined);
    r.x(2);
    const batch = r.drain()!;
    expect(batch.ops.length).toBe(0);
    expect(batch.droppedRanges).toEqual([0, 6]);
    r.e(7);
    r.x(7);
    expect([...r.drain()!.ids]).toEqual([7, 7]);
  });

  it("drops everything after a drop until the next drain, so batches stay records-then-tail", () => {
    const r = new Recorder(2);
    r.e(1);
    r.e(2);
    r.x(2);
    r.x(1);
    const batch = r.drain()!;
    expect(batch.ops.length).toBe(2);
    expect(batch.droppedRanges).toEqual([2, 4]);
  });
});
