/**
 * A turn predicted to repeat is followed against its shape instead of written
 * (`turn-follow.ts`). Whatever the turn then does — repeat to its end, part
 * from the shape at any record, run longer or shorter, take a marker or a
 * drain in its middle, await — the recorder must send what it sends without
 * following: the same records in the same batches' order, once entries are
 * expanded, and nothing dropped.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Recorder, type RecordBatch } from "../../src/instrument/recorder.js";
import { ShapeTable } from "../../src/instrument/turn-shapes.js";
import { walkBatch, type BatchEntry, type BatchRow } from "../helpers/batch-walk.js";

/** One thing a turn does after its root's entry. */
type Act = { readonly call: number } | { readonly mark: true } | { readonly drain: true } | { readonly await: true };

/** A turn: its root and what runs inside it. */
interface Turn {
  readonly root: number;
  readonly acts: readonly Act[];
}

/** Plays `turns` on `r`, draining into `out` on high water, on a drain act and at the end. */
function play(r: Recorder, turns: readonly Turn[], out: RecordBatch[]): void {
  r.onHighWater = () => {
    const b = r.drain();
    if (b) out.push(b);
  };
  for (const turn of turns) {
    r.e(turn.root);
    for (const act of turn.acts) {
      if ("call" in act) {
        r.e(act.call);
        r.x(act.call);
      } else if ("mark" in act) r.mark(7);
      else if ("drain" in act) {
        const b = r.drain();
        if (b) out.push(b);
      } else {
        // An async function inside the turn: it suspends, and resumes within the same turn.
        r.e(90);
        r.sx(90, 0);
        r.r(90, 0);
        r.x(90);
      }
    }
    r.x(turn.root);
  }
  const b = r.drain();
  if (b) out.push(b);
}

/** Every record the batches stand for, entries expanded from their samples: [seq, op, id, link, kind]. */
function records(batches: readonly RecordBatch[]): number[][] {
  const rows = new Map<number, BatchRow>();
  const samples = new Map<number, number>();
  const entries: BatchEntry[] = [];
  for (const b of batches) walkBatch(b, samples, (row) => rows.set(row.seq, row), (entry) => entries.push(entry));
  for (const e of entries) {
    const from = samples.get(e.shape)!;
    for (let k = 0; k < e.n; k++) {
      const sample = rows.get(from + k)!;
      rows.set(e.seq + k, { seq: e.seq + k, op: sample.op, id: sample.id, time: 0, link: k === 0 ? e.link : -1, kind: k === 0 ? e.kind : 0 });
    }
  }
  return [...rows.values()].sort((a, b) => a.seq - b.seq).map((r) => [r.seq, r.op, r.id, r.link, r.kind]);
}

/** Recorders with shapes off, on and timed, and on and hurried (the one that follows). */
function recordAll(turns: readonly Turn[]): { off: RecordBatch[]; hurried: RecordBatch[]; recorder: Recorder } {
  const off: RecordBatch[] = [];
  const hurried: RecordBatch[] = [];
  play(new Recorder(1 << 12), turns, off);
  const recorder = new Recorder(1 << 12, { shapes: new ShapeTable(), hurried: true });
  play(recorder, turns, hurried);
  return { off, hurried, recorder };
}

/** A streak of one shape long enough for its root to be predicted, then `last`. */
function streakThen(last: Turn, base: readonly Act[] = [{ call: 2 }, { call: 3 }, { call: 4 }]): Turn[] {
  return [...Array.from({ length: 12 }, () => ({ root: 1, acts: base })), last, { root: 1, acts: base }];
}

describe("following a turn predicted to repeat", () => {
  const base: Act[] = [{ call: 2 }, { call: 3 }, { call: 4 }];
  const cases: Record<string, Turn> = {
    "repeats to its end": { root: 1, acts: base },
    "parts at its first nested call": { root: 1, acts: [{ call: 9 }, { call: 3 }, { call: 4 }] },
    "parts in its middle": { root: 1, acts: [{ call: 2 }, { call: 9 }, { call: 4 }] },
    "parts at its last nested call": { root: 1, acts: [{ call: 2 }, { call: 3 }, { call: 9 }] },
    "runs longer than its shape": { root: 1, acts: [...base, { call: 5 }] },
    "ends sooner than its shape": { root: 1, acts: [{ call: 2 }, { call: 3 }] },
    "takes a marker in its middle": { root: 1, acts: [{ call: 2 }, { mark: true }, { call: 3 }, { call: 4 }] },
    "is drained in its middle": { root: 1, acts: [{ call: 2 }, { call: 3 }, { drain: true }, { call: 4 }] },
    "awaits inside": { root: 1, acts: [{ call: 2 }, { await: true }, { call: 4 }] },
  };
  for (const [name, turn] of Object.entries(cases)) {
    it(`sends what it sends unfollowed when the turn ${name}`, () => {
      const { off, hurried, recorder } = recordAll(streakThen(turn, base));
      expect(records(hurried)).toEqual(records(off));
      expect(recorder.dropped).toBe(0);
    });
  }

  it("folds a followed repeat into one entry carrying its root's time and its last exit's", () => {
    const r = new Recorder(1 << 12, { shapes: true, hurried: true });
    const batches: RecordBatch[] = [];
    play(r, streakThen({ root: 1, acts: base }, base).slice(0, 13), batches);
    const entries: BatchEntry[] = [];
    for (const b of batches) walkBatch(b, new Map(), () => {}, (e) => entries.push(e));
    const last = entries.at(-1)!;
    expect(last.seq).toBe(12 * 8);
    expect(last.n).toBe(8);
    expect(last.end).toBeGreaterThanOrEqual(last.start);
    expect(last.start).toBeGreaterThan(0);
    expect(r.untimedTurns).toBe(0);
  });

  it("sends what it sends unfollowed for any mix of turns (property)", () => {
    const act: fc.Arbitrary<Act> = fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 2, max: 5 }).map((call) => ({ call })) },
      { weight: 1, arbitrary: fc.constant({ mark: true as const }) },
      { weight: 1, arbitrary: fc.constant({ drain: true as const }) },
      { weight: 1, arbitrary: fc.constant({ await: true as const }) },
    );
    // Mostly one shape per root, so roots get predicted; now and then a turn that differs.
    const turn: fc.Arbitrary<Turn> = fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 1, max: 2 }).map((root) => ({ root, acts: root === 1 ? base : [{ call: 3 }] })) },
      { weight: 1, arbitrary: fc.record({ root: fc.integer({ min: 1, max: 2 }), acts: fc.array(act, { maxLength: 6 }) }) },
    );
    fc.assert(
      fc.property(fc.array(turn, { minLength: 1, maxLength: 200 }), (turns) => {
        const { off, hurried, recorder } = recordAll(turns);
        expect(records(hurried)).toEqual(records(off));
        expect(recorder.dropped).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
