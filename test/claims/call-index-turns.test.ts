/**
 * The claims' index reads folded turns in place: on random record streams cut
 * into steps and folded, every question gets the answer the index of the same
 * trace with every turn expanded gives (the plain index, with no turns to read).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { buildFoldedTrees, walkCalls, type RecordView } from "../../src/trace/call-tree.js";
import { expandedStep } from "../../src/trace/turns.js";
import { indexCalls, type CallIndex, type IndexedCall } from "../../src/claims/call-index.js";
import { OP } from "../../src/instrument/recorder.js";
import type { CallNode, FunctionInfo, Step, Trace } from "../../src/trace/model.js";

type Row = [op: number, id: number, link?: number, kind?: number];

const NAMES = ["Server.emit", "Socket.onevent", "Socket.emit", "Client.ondata", "encode", "write", "tick"];
const functions: FunctionInfo[] = NAMES.map((name, i) => ({ id: i + 1, name, file: "lib/x.js", line: i + 1, column: 0 }) as FunctionInfo);

/** A turn: root `fn` over `kids` (each a leaf, or a call of its own leaves), scheduled by the call `link` seqs back when given. */
function turn(fn: number, kids: readonly (number | [number, number[]])[], link?: number): Row[] {
  const kid = (k: number | [number, number[]]): Row[] => (typeof k === "number" ? [[OP.enter, k], [OP.exit, k]] : [[OP.enter, k[0]], ...k[1].flatMap(kid), [OP.exit, k[0]]]);
  return [[OP.enter, fn, link, link === undefined ? 0 : 3], ...kids.flatMap(kid), [OP.exit, fn]];
}

const SHAPES: Row[][] = [
  turn(1, [2, [3, [5, 6]]]),
  turn(1, [2, [3, [5, 6]]], 1),
  turn(4, [6]),
  turn(7, []),
  turn(3, [[2, [5]], 6], 2),
  [[OP.enter, 2], [OP.suspend, 2]],
  [[OP.resume, 2, 3, 1], [OP.exit, 2]],
];

/** Rows with seqs from 100, links turned into seqs of earlier records (or of none: a call outside the trace). */
function records(rows: readonly Row[]): RecordView {
  const link = (i: number): number => (rows[i][2] === undefined ? -1 : Math.max(0, 100 + i - rows[i][2]! * 7));
  return { length: rows.length, seq: (i) => 100 + i, op: (i) => rows[i][0], id: (i) => rows[i][1], time: (i) => i * 2, link, linkKind: (i) => rows[i][3] ?? 0 };
}

/** Slices `all` into steps at `cuts`, each step's records folded as assembly folds them. */
function traceOf(rows: readonly Row[], cuts: readonly number[]): Trace {
  const bounds = [0, ...[...new Set(cuts.map((c) => c % (rows.length + 1)))].sort((a, b) => a - b), rows.length];
  const view = records(rows);
  const steps: Step[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const [from, to] = [bounds[i], bounds[i + 1]];
    const slice: RecordView = { ...view, length: to - from, seq: (j) => view.seq(from + j), op: (j) => view.op(from + j), id: (j) => view.id(from + j), time: (j) => view.time(from + j), link: (j) => view.link(from + j), linkKind: (j) => view.linkKind(from + j) };
    steps.push({ index: steps.length, id: `s${steps.length}`, title: "", explanation: "", values: {}, started: 0, ended: 0, chunks: [], ...buildFoldedTrees(slice) } as Step);
  }
  return { meta: {} as Trace["meta"], functions, steps, connections: [], chunks: [], logs: [], dropped: { calls: 0, chunks: 0, bytes: 0, logs: 0 } };
}

/** A call as a comparable value: its node (children as seqs), parent and step. */
function shown(call: IndexedCall | undefined): unknown {
  if (!call) return undefined;
  const { children, ...node } = call.node;
  return { ...node, children: children.map((c: CallNode) => c.seq), parent: call.parent, step: call.step };
}

/** Every answer of the index on the seqs of the trace (and a few that are none of its calls). */
function answers(index: CallIndex, trace: Trace, probes: readonly number[]): unknown {
  const seqs: number[] = [];
  for (const step of trace.steps.map(expandedStep)) walkCalls(step.calls, (node) => seqs.push(node.seq));
  const all = [...seqs, ...probes];
  const names = [...NAMES, "*", "nothing"];
  return {
    size: index.calls.size,
    values: [...index.calls.values()].map((c) => c.node.seq).sort((a, b) => a - b),
    get: all.map((seq) => [seq, index.calls.has(seq), shown(index.calls.get(seq)), index.nameOf(seq)]),
    find: names.flatMap((name) => [undefined, ...trace.steps.map((s) => s.index)].map((step) => index.find(name, step).map(shown))),
    under: all.map((seq) => names.map((name) => index.isUnder(seq, name))),
    within: all.map((seq) => probes.map((p, i) => [index.isWithin(seq, p), index.isWithinRange(seq, p, p + (i % 9))])),
  };
}

describe("the call index on folded turns", () => {
  it("answers every question as the index of the expanded trace does", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: SHAPES.length - 1 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 3 }),
        fc.array(fc.integer({ min: 90, max: 500 }), { minLength: 1, maxLength: 12 }),
        (picks, cuts, probes) => {
          const trace = traceOf(picks.flatMap((p) => SHAPES[p]), cuts);
          const expanded: Trace = { ...trace, steps: trace.steps.map(expandedStep) };
          expect(answers(indexCalls(trace), trace, probes)).toEqual(answers(indexCalls(expanded), trace, probes));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("folds the turns it is given (so the property above reads repeats, not only whole trees)", () => {
    const trace = traceOf([...SHAPES[0], ...SHAPES[0], ...SHAPES[2], ...SHAPES[0], ...SHAPES[2]], []);
    expect(trace.steps[0].turns?.length).toBe(3);
    const index = indexCalls(trace);
    // Shape 0 is 10 records, shape 2 four: the third turn of shape 0 is seqs 124–133, its Socket.emit 127.
    expect(index.find("Socket.emit").map((c) => c.node.seq)).toEqual([103, 113, 127]);
    expect(shown(index.calls.get(127))).toMatchObject({ seq: 127, fn: 3, parent: 124, step: 0, children: [128, 130] });
    expect(index.calls.get(134)).toMatchObject({ node: { seq: 134, fn: 4 } });
    expect(index.calls.has(138)).toBe(false);
    expect(index.isUnder(128, "Server.emit")).toBe(true);
    expect(index.isWithin(128, 124)).toBe(true);
    expect(index.isWithin(128, 100)).toBe(false);
  });
});
