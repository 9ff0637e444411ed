import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { buildCallTrees, buildFoldedTrees, walkCalls, type RecordView } from "../../src/trace/call-tree.js";
import { countStepCalls, expandTurns, foldTurns, forEachStepCall, repeatCounts, shapeKey } from "../../src/trace/turns.js";
import { rootSpans, stepRootSpans, type RootSpans } from "../../src/trace/root-spans.js";
import { eachTurn } from "../../src/trace/turn-calls.js";
import { OP } from "../../src/instrument/recorder.js";
import type { CallNode } from "../../src/trace/model.js";

type Row = [op: number, id: number, link?: number, kind?: number];

function view(rows: readonly Row[], time: (i: number) => number = (i) => i): RecordView {
  return {
    length: rows.length,
    seq: (i) => 100 + i,
    op: (i) => rows[i][0],
    id: (i) => rows[i][1],
    time,
    link: (i) => rows[i][2] ?? -1,
    linkKind: (i) => rows[i][3] ?? 0,
  };
}

/** One turn: root `fn` with children `kids` (each a leaf), scheduled by `link` when given. */
function turn(fn: number, kids: readonly number[], link?: number): Row[] {
  return [[OP.enter, fn, link, link === undefined ? 0 : 3], ...kids.flatMap((k): Row[] => [[OP.enter, k], [OP.exit, k]]), [OP.exit, fn]];
}

/** Each row of a RootSpans: seq, last seq, start, latest end, async origin. */
function rows(spans: RootSpans): unknown[] {
  return Array.from({ length: spans.length }, (_, i) => [spans.seq(i), spans.last(i), spans.start(i), spans.end(i), spans.from(i) ?? null]);
}

/** Every call as (seq, fn, depth, detached), and the roots' own times and links. */
function calls(roots: readonly CallNode[]): unknown[] {
  const out: unknown[] = [];
  walkCalls(roots, (node, depth) => out.push([node.seq, node.fn, depth, node.detached ?? false, ...(depth === 0 ? [node.start, node.end, node.async ?? null] : [])]));
  return out;
}

describe("repeated turns", () => {
  it("folds a turn that repeats an earlier one call for call, keeping its root's times and link", () => {
    const records = view([...turn(1, [2, 3], 6), ...turn(4, [5]), ...turn(1, [2, 3], 7), ...turn(1, [2, 3], 8), ...turn(1, [2, 3])]);
    const folded = buildFoldedTrees(records);
    // The last turn of fn 1 was not scheduled by a timer: a turn of another kind, kept whole.
    expect(folded.calls.map((r) => [r.fn, r.seq])).toEqual([[1, 100], [4, 106], [1, 122]]);
    // The second and third timer turns of fn 1: their root seqs, times and the timers that scheduled them.
    expect([...(folded.turns ?? [])]).toEqual([
      { like: 100, seq: 110, start: 10, end: 15, async: { kind: "timer", from: 7 } },
      { like: 100, seq: 116, start: 16, end: 21, async: { kind: "timer", from: 8 } },
    ]);
    expect(repeatCounts(folded).get(100)).toBe(2);
    expect(countStepCalls(folded)).toBe(14);
    expect(calls(expandTurns(folded))).toEqual(calls(buildCallTrees(records)));
  });

  it("keeps apart turns that differ in any call, in nesting or in a nested async link", () => {
    const records = view([...turn(1, [2, 3]), ...turn(1, [3, 2]), ...turn(1, [2]), [OP.enter, 1], [OP.enter, 2], [OP.enter, 3], [OP.exit, 3], [OP.exit, 2], [OP.exit, 1]]);
    expect(buildFoldedTrees(records).turns).toBeUndefined();
    const nestedLink: CallNode = { seq: 0, fn: 1, start: 0, end: 1, children: [{ seq: 1, fn: 2, start: 0, end: 1, children: [], async: { kind: "promise", from: 9 } }] };
    expect(shapeKey(nestedLink)).toBeUndefined();
    expect(foldTurns([nestedLink, { ...nestedLink, seq: 5, children: [{ ...nestedLink.children[0], seq: 6 }] }]).turns).toBeUndefined();
  });

  it("leaves the last turn whole when its exit is not in the range", () => {
    const records = view([...turn(1, [2]), [OP.enter, 1], [OP.enter, 2], [OP.exit, 2]]);
    const folded = buildFoldedTrees(records);
    expect(folded.turns).toBeUndefined();
    expect(calls(expandTurns(folded))).toEqual(calls(buildCallTrees(records)));
  });

  it("moves a repeat's nested calls to its own start, inside its own span", () => {
    const records = view([...turn(1, [2]), ...turn(1, [2])], (i) => (i < 4 ? i : 100 + (i - 4) * 10));
    const [, again] = expandTurns(buildFoldedTrees(records));
    expect(again).toMatchObject({ seq: 104, start: 100, end: 130 });
    expect(again.children[0]).toMatchObject({ seq: 105, fn: 2, start: 101, end: 102 });
  });

  it("expands back to exactly the unfolded calls, for any record stream", () => {
    const shapes: Row[][] = [turn(1, [2, 3]), turn(1, [2]), turn(4, []), turn(1, [2, 3], 5), [[OP.enter, 6], [OP.suspend, 6]], [[OP.resume, 6, 3, 1], [OP.exit, 6]], [[OP.exit, 9]]];
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: shapes.length - 1 }), { maxLength: 60 }), (picks) => {
        const records = view(picks.flatMap((p) => shapes[p]));
        const folded = buildFoldedTrees(records);
        expect(calls(expandTurns(folded))).toEqual(calls(buildCallTrees(records)));
        // Read one turn at a time, made when read: the same trees, nested times included.
        expect(JSON.parse(JSON.stringify([...eachTurn(folded)]))).toEqual(JSON.parse(JSON.stringify(expandTurns(folded))));
        expect(countStepCalls(folded)).toBe(calls(buildCallTrees(records)).length);
        // The roots' spans, as the step's own-work time reads them, without a node made for any turn.
        expect(rows(stepRootSpans(folded))).toEqual(rows(rootSpans(buildCallTrees(records))));
        // Every call as seq and function without building the turns' trees, as the seq-to-function maps read them.
        const visited: [number, number][] = [];
        forEachStepCall(folded, (seq, fn) => visited.push([seq, fn]));
        const unfolded: [number, number][] = [];
        walkCalls(buildCallTrees(records), (node) => unfolded.push([node.seq, node.fn]));
        expect(visited.sort((a, b) => a[0] - b[0])).toEqual(unfolded.sort((a, b) => a[0] - b[0]));
      }),
    );
  });
});
