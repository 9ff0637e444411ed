/**
 * The collector's turn store folds repeated turns as their records arrive and
 * loses nothing: on random record streams (step markers, several shapes, turns
 * cut across batches, a batch lost in between), a step's forest is exactly
 * what folding the same records whole gives, and any range's calls, turns
 * expanded, are the ones built from those records unfolded.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { buildCallTrees, buildFoldedTrees, walkCalls, type RecordView } from "../../src/trace/call-tree.js";
import { expandTurns } from "../../src/trace/turns.js";
import { OP, type RecordBatch } from "../../src/instrument/recorder.js";
import type { CallNode } from "../../src/trace/model.js";
import { TurnStore } from "../../src/runtime/turn-store.js";

type Row = [op: number, id: number, link?: number];

function turn(fn: number, kids: readonly number[], link?: number): Row[] {
  return [[OP.enter, fn, link], ...kids.flatMap((k): Row[] => [[OP.enter, k], [OP.exit, k]]), [OP.exit, fn]];
}

const SHAPES: Row[][] = [
  turn(1, [2, 3]),
  turn(1, [2, 3], 1),
  turn(4, [5]),
  [[OP.enter, 6], [OP.enter, 7, 2], [OP.exit, 7], [OP.exit, 6]],
  [[OP.enter, 6], [OP.suspend, 6]],
  [[OP.resume, 6, 3], [OP.exit, 6]],
  [[OP.exit, 9]],
  [[OP.mark, 1]],
];

interface Stream {
  readonly rows: readonly Row[];
  readonly times: readonly number[];
}

/** Records from seq 0: links point a few records back; times rise by the given steps. */
function stream(picks: readonly number[], steps: readonly number[]): Stream {
  const rows = picks.flatMap((p) => SHAPES[p]);
  let t = 0;
  return { rows, times: rows.map((_, i) => (t += 1 + (steps[i % steps.length] ?? 0))) };
}

function batch(s: Stream, from: number, to: number, offset: number): RecordBatch {
  const part = s.rows.slice(from, to);
  return {
    firstSeq: from,
    ops: Uint8Array.from(part.map((r) => r[0])),
    ids: Int32Array.from(part.map((r) => r[1])),
    times: Float64Array.from(s.times.slice(from, to).map((t) => t - offset)),
    links: Float64Array.from(part.map((r, i) => (r[2] === undefined ? -1 : Math.max(0, from + i - r[2] * 5)))),
    linkKinds: Uint8Array.from(part.map((r) => (r[2] === undefined ? 0 : 3))),
    droppedRanges: [],
  };
}

/** Stores the stream cut into batches at `cuts`, leaving out batch `lost` (as if dropped on the way); returns the store and the records it got. */
function store(s: Stream, cuts: readonly number[], lost: number, limits = { records: 1e9, turns: 1e9 }): { store: TurnStore; got: RecordView } {
  const bounds = [0, ...[...new Set(cuts.map((c) => c % (s.rows.length + 1)))].sort((a, b) => a - b), s.rows.length];
  // Blocks of 16 turns, one held: a stream of a few dozen turns already reads some back from the spill file.
  const out = new TurnStore(limits, { blockRows: 16, hotBlocks: 1 });
  const kept: number[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    if (i === lost) continue;
    const b = batch(s, bounds[i], bounds[i + 1], 7);
    out.add(b, 7);
    for (let j = bounds[i]; j < bounds[i + 1]; j++) kept.push(j);
  }
  const at = (i: number) => kept[i];
  const links = batch(s, 0, s.rows.length, 0).links;
  return { store: out, got: { length: kept.length, seq: at, op: (i) => s.rows[at(i)][0], id: (i) => s.rows[at(i)][1], time: (i) => s.times[at(i)], link: (i) => links[at(i)], linkKind: (i) => (s.rows[at(i)][2] === undefined ? 0 : 3) } };
}

/** The records of `view` with `from <= seq < to`. */
function slice(view: RecordView, from: number, to: number): RecordView {
  const idx: number[] = [];
  for (let i = 0; i < view.length; i++) if (view.seq(i) >= from && view.seq(i) < to) idx.push(i);
  return { length: idx.length, seq: (i) => view.seq(idx[i]), op: (i) => view.op(idx[i]), id: (i) => view.id(idx[i]), time: (i) => view.time(idx[i]), link: (i) => view.link(idx[i]), linkKind: (i) => view.linkKind(idx[i]) };
}

function calls(roots: readonly CallNode[]): unknown[] {
  const out: unknown[] = [];
  walkCalls(roots, (node, depth) => out.push([node.seq, node.fn, depth, node.detached ?? false, ...(depth === 0 ? [node.start, node.end, node.async ?? null] : [])]));
  return out;
}

/** The step ranges the markers in `view` delimit (as assembly cuts them: after a marker, up to the next). */
function stepRanges(view: RecordView): [number, number][] {
  const marks: number[] = [];
  for (let i = 0; i < view.length; i++) if (view.op(i) === OP.mark) marks.push(view.seq(i));
  return marks.map((m, i) => [m + 1, marks[i + 1] ?? Number.MAX_SAFE_INTEGER]);
}

const picks = fc.array(fc.integer({ min: 0, max: SHAPES.length - 1 }), { minLength: 1, maxLength: 80 });
const jitter = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 7 });
const cuts = fc.array(fc.nat(), { maxLength: 6 });

describe("the turn store", () => {
  it("gives each step the forest folding its records whole gives, exactly", () => {
    fc.assert(
      fc.property(picks, jitter, cuts, fc.integer({ min: -1, max: 4 }), (p, j, c, lost) => {
        const s = stream([7, ...p], j);
        const { store: st, got } = store(s, c, lost);
        for (const [from, to] of stepRanges(got)) expect(st.forest(from, to)).toEqual(buildFoldedTrees(slice(got, from, to)));
        expect(st.kept).toBe(got.length);
      }),
      { numRuns: 300 },
    );
  });

  it("gives any range's calls, turns expanded, as built from its records unfolded (times aside)", () => {
    fc.assert(
      fc.property(picks, jitter, cuts, fc.nat(), fc.nat(), (p, j, c, a, b) => {
        const s = stream([7, ...p], j);
        const { store: st, got } = store(s, c, -1);
        const [from, to] = [a % (s.rows.length + 2), b % (s.rows.length + 2)].sort((x, y) => x - y);
        // A range that cuts a folded turn plays its part back with the representative's nested times: compared without times.
        const untimed = (roots: readonly CallNode[]) => calls(roots).map((c) => (c as unknown[]).filter((_, i) => i < 4 || i === 6));
        expect(untimed(expandTurns(st.forest(from, to)))).toEqual(untimed(buildCallTrees(slice(got, from, to))));
        const played = st.records(from, to);
        const ref = slice(got, from, to);
        const rows = (v: RecordView) => Array.from({ length: v.length }, (_, i) => [v.seq(i), v.op(i), v.id(i), v.link(i), v.linkKind(i)]);
        expect(rows(played)).toEqual(rows(ref));
      }),
      { numRuns: 300 },
    );
  });

  it("folds a step's repeats, keeps each step's first turn of a shape whole, and drops past its limits", () => {
    const s = stream([7, 0, 0, 0, 2, 0, 7, 0, 0], [0]);
    const { store: st } = store(s, [], -1);
    // Per step: turns 2, 3 and 5 of shape 0 folded in the first, the second turn in the second; each step's first stays whole.
    expect(st.foldedTurns).toBe(4);
    expect(st.wholeRecords).toBe(s.rows.length - 4 * 6);
    const [first, second] = stepRanges(st.records(0, Infinity)).map(([from, to]) => st.forest(from, to));
    expect([...(first.turns ?? [])].map((t) => t.seq)).toEqual([7, 13, 23]);
    expect(second.calls.map((c) => c.seq)).toEqual([30]);
    const small = store(s, [], -1, { records: 10, turns: 2 }).store;
    expect(small.kept + small.dropped).toBe(s.rows.length);
    expect(small.foldedTurns).toBe(2);
  });

  it("keeps a long step's folded turns spilled to disk and gives its forest exactly as folding its records whole", () => {
    const s = stream([7, ...Array.from({ length: 400 }, (_, i) => (i % 5 === 4 ? 2 : 0))], [0, 1, 3]);
    const { store: st, got } = store(s, [37, 1100, 1901], -1);
    expect(st.foldedTurns).toBe(400 - 2);
    expect(st.dropped).toBe(0);
    const forest = st.forest(1, Infinity);
    const whole = buildFoldedTrees(slice(got, 1, Infinity));
    expect(forest.turns?.length).toBe(398);
    expect(st.turnStats.spilledBlocks).toBeGreaterThan(0);
    expect(st.turnStats.hotRows).toBeLessThanOrEqual(2 * 16);
    expect([...(forest.turns ?? [])]).toEqual([...(whole.turns ?? [])]);
    expect(forest.calls).toEqual(whole.calls);
  });

  it("drops past its limits and counts what it dropped", () => {
    const s = stream([7, 0, 0, 0, 2, 0, 7, 0, 0], [0]);
    const small = store(s, [], -1, { records: 10, turns: 2 }).store;
    expect(small.kept + small.dropped).toBe(s.rows.length);
    expect(small.foldedTurns).toBe(2);
  });
});
