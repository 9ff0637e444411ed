import { describe, expect, it } from "vitest";
import { lastSeq, pathTo, revealing, visibleCalls } from "../../src/ui/visible-calls.js";
import { chain, fixtureTrace } from "../helpers/trace-fixture.js";

const calls = fixtureTrace().steps[1].calls;

describe("visibleCalls", () => {
  it("flattens depth-first in call order with depths and fold state", () => {
    expect(visibleCalls(calls, new Set()).map((r) => [r.node.seq, r.depth, r.hasChildren, r.expanded])).toEqual([
      [20, 0, true, true],
      [21, 1, true, true],
      [22, 2, false, false],
      [23, 2, false, false],
      [30, 0, true, true],
      [31, 1, false, false],
    ]);
  });

  it("hides the descendants of collapsed calls", () => {
    expect(visibleCalls(calls, new Set([21])).map((r) => [r.node.seq, r.expanded])).toEqual([
      [20, true],
      [21, false],
      [30, true],
      [31, false],
    ]);
  });

  it("copes with trees deeper than the call stack would", () => {
    const rows = visibleCalls([chain(1, 20_000)], new Set());
    expect(rows).toHaveLength(20_000);
    expect(rows.at(-1)?.depth).toBe(19_999);
  });
});

describe("pathTo, lastSeq and revealing", () => {
  it("finds the path from a root to a call by seq", () => {
    expect(pathTo(calls, 23)?.map((n) => n.seq)).toEqual([20, 21, 23]);
    expect(pathTo(calls, 31)?.map((n) => n.seq)).toEqual([30, 31]);
    expect(pathTo(calls, 25)).toBeUndefined();
    expect(pathTo(calls, 5)).toBeUndefined();
  });

  it("knows the last seq of a subtree", () => {
    expect(lastSeq(calls[0])).toBe(23);
    expect(lastSeq(calls[0].children[0].children[0])).toBe(22);
  });

  it("expands exactly the collapsed ancestors of a call", () => {
    const collapsed = new Set([20, 21, 30]);
    expect([...revealing(calls, collapsed, 22)].sort()).toEqual([30]);
    expect(revealing(calls, collapsed, 20)).toBe(collapsed);
    expect(revealing(calls, collapsed, 999)).toBe(collapsed);
  });
});
