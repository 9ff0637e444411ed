/**
 * The Python record stream → per-step call trees: nesting per greenlet,
 * resumed frames, spawn links, the caller's line.
 */
import { describe, expect, it } from "vitest";
import { buildPyCallTrees, type PyCallNode } from "../../src/runtime/python/call-tree.js";
import type { PyRecord } from "../../src/runtime/python/protocol.js";

const call = (seq: number, fn: number, task = 1, line = -1, link = -1): PyRecord => [seq, 1, fn, seq, task, line, link];
const ret = (seq: number, fn: number, task = 1): PyRecord => [seq, 2, fn, seq, task, -1, -1];

function shape(nodes: readonly PyCallNode[]): unknown[] {
  return nodes.map((n) => ({ fn: n.fn, ...(n.detached ? { resumed: true } : {}), ...(n.children.length ? { children: shape(n.children) } : {}) }));
}

describe("buildPyCallTrees", () => {
  it("nests calls per task, so interleaved greenlets do not nest into each other", () => {
    const records = [call(1, 10, 1), call(2, 20, 2), call(3, 11, 1), ret(4, 11, 1), call(5, 21, 2), ret(6, 21, 2), ret(7, 20, 2), ret(8, 10, 1)];
    const [step] = buildPyCallTrees(records, [{ from: 0, to: 100 }]);
    expect(shape(step)).toEqual([
      { fn: 10, children: [{ fn: 11 }] },
      { fn: 20, children: [{ fn: 21 }] },
    ]);
  });

  it("puts a call made inside a frame opened in an earlier step under a resumed copy of that frame", () => {
    // Step 0 opens 10 → 11 (a blocking accept); step 1 sees 11 return and 10 call 12.
    const records = [call(1, 10), call(2, 11), ret(5, 11), call(6, 12), ret(7, 12)];
    const [first, second] = buildPyCallTrees(records, [{ from: 0, to: 4 }, { from: 4, to: 100 }]);
    expect(shape(first)).toEqual([{ fn: 10, children: [{ fn: 11 }] }]);
    expect(shape(second)).toEqual([{ fn: 10, resumed: true, children: [{ fn: 12 }] }]);
    expect(second[0].async).toEqual({ kind: "other", from: 1 });
    // Resumed copies get seq numbers of their own: seq stays unique within a trace.
    expect(second[0].seq).toBeGreaterThan(7);
  });

  it("links a greenlet's first call to the call that spawned it, and keeps the caller's line", () => {
    const records = [call(1, 10, 1, 24), ret(2, 10, 1), call(3, 30, 2, -1, 1), ret(4, 30, 2)];
    const [step] = buildPyCallTrees(records, [{ from: 0, to: 100 }]);
    expect(step[0].at).toBe(24);
    expect(step[1].async).toEqual({ kind: "other", from: 1 });
    expect(step[1].detached).toBeUndefined();
  });

  it("ignores returns without a call and ends open calls at the step's last record", () => {
    const records = [ret(1, 99), call(2, 10), call(3, 11), ret(9, 11)];
    const [step] = buildPyCallTrees(records, [{ from: 0, to: 100 }]);
    expect(shape(step)).toEqual([{ fn: 10, children: [{ fn: 11 }] }]);
    expect(step[0].end).toBe(9);
  });

  it("leaves records outside every step out of the trees", () => {
    const records = [call(1, 10), ret(2, 10), call(5, 11), ret(6, 11)];
    const [step] = buildPyCallTrees(records, [{ from: 4, to: 100 }]);
    expect(shape(step)).toEqual([{ fn: 11 }]);
  });
});
