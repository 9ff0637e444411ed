import { describe, expect, it } from "vitest";
import { buildCallTrees, countCalls, walkCalls, type RecordView } from "../../src/trace/call-tree.js";
import { OP } from "../../src/instrument/recorder.js";

function view(rows: [op: number, id: number, link?: number, kind?: number][]): RecordView {
  return {
    length: rows.length,
    seq: (i) => 100 + i,
    op: (i) => rows[i][0],
    id: (i) => rows[i][1],
    time: (i) => i,
    link: (i) => rows[i][2] ?? -1,
    linkKind: (i) => rows[i][3] ?? 0,
  };
}

describe("call trees", () => {
  it("nests calls and keeps their order", () => {
    const roots = buildCallTrees(view([[OP.enter, 1], [OP.enter, 2], [OP.exit, 2], [OP.enter, 3], [OP.exit, 3], [OP.exit, 1], [OP.enter, 4], [OP.exit, 4]]));
    expect(roots.map((r) => r.fn)).toEqual([1, 4]);
    expect(roots[0].children.map((c) => c.fn)).toEqual([2, 3]);
    expect(roots[0]).toMatchObject({ seq: 100, start: 0, end: 5 });
    expect(countCalls(roots)).toBe(4);
  });

  it("marks async continuations with what scheduled them", () => {
    const roots = buildCallTrees(view([[OP.enter, 1, 7, 3], [OP.exit, 1]]));
    expect(roots[0].async).toEqual({ kind: "timer", from: 7 });
  });

  it("shows a resumed async function as a detached root and tolerates orphans", () => {
    const roots = buildCallTrees(view([[OP.exit, 9], [OP.enter, 1], [OP.suspend, 1], [OP.resume, 1, 100, 1], [OP.enter, 2]]));
    expect(roots).toHaveLength(2);
    expect(roots[0].detached).toBe(true);
    expect(roots[1]).toMatchObject({ fn: 1, detached: true, async: { kind: "promise", from: 100 } });
    expect(roots[1].children[0].end).toBe(4);
  });

  it("walks depth-first with depths, without recursion", () => {
    const rows: [number, number][] = [];
    for (let i = 0; i < 20000; i++) rows.push([OP.enter, i]);
    const roots = buildCallTrees(view(rows));
    let deepest = 0;
    walkCalls(roots, (_node, depth) => {
      deepest = Math.max(deepest, depth);
    });
    expect(deepest).toBe(19999);
  });
});
