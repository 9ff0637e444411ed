/**
 * The stable order of a step's callbacks must not depend on races: how TCP split two messages into
 * reads, or which of two processes ran its callback first. Pure: steps and chunks built by hand.
 */
import { describe, expect, it } from "vitest";
import { stableRootOrder } from "../../src/export/stable-order.js";
import type { CallNode, Chunk, Step } from "../../src/trace/model.js";

const S = 2 ** 32;
const node = (seq: number, extra: Partial<CallNode> = {}): CallNode => ({ seq, fn: 0, start: seq, end: seq, children: [], ...extra }) as CallNode;
const step = (calls: CallNode[]): Step => ({ index: 0, id: "s", title: "s", started: 0, ended: 1, calls, chunks: [] }) as unknown as Step;
const read = (seq: number, conn: number, call: number, callEnd?: number): Chunk =>
  ({ seq, conn, dir: "in", time: seq, data: "", size: 1, call, ...(callEnd !== undefined ? { callEnd } : {}) }) as Chunk;

describe("stable root order", () => {
  it("puts every handler one read started on that read's connection, not only the first", () => {
    // conn 1 (A's subscriber) read two messages at once: handlers 10 and 20; conn 2 read one: handler 15.
    const order = new Map([[1, 1], [2, 2]]);
    const calls = [node(10), node(15), node(20)];
    const split = stableRootOrder([step(calls)], [read(1, 1, 10), read(2, 2, 15), read(3, 1, 20)], order)[0].map((n) => n.seq);
    const coalesced = stableRootOrder([step(calls)], [read(1, 1, 10, 21), read(2, 2, 15)], order)[0].map((n) => n.seq);
    expect(split).toEqual([10, 20, 15]);
    expect(coalesced).toEqual(split);
  });

  it("orders callbacks no connection orders by their process, whichever ran first", () => {
    const a = node(5, { process: 0 } as Partial<CallNode>);
    const b = node(S + 5, { process: 1 } as Partial<CallNode>);
    const first = stableRootOrder([step([b, a])], [], new Map())[0].map((n) => n.seq);
    const second = stableRootOrder([step([a, b])], [], new Map())[0].map((n) => n.seq);
    expect(first).toEqual([5, S + 5]);
    expect(second).toEqual(first);
  });
});
