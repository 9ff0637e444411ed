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

/**
 * One thing a turn does after its root's entry: a call, a marker, a drain, an async function that
 * awaits and resumes, one whose await rejects into its catch block (`rc`), and one whose await
 * rejects past it (it exits without resuming: `x` finds it suspended).
 */
type Act =
  | { readonly call: number }
  | { readonly mark: true }
  | { readonly drain: true }
  | { readonly await: true }
  | { readonly caught: true }
  | { readonly thrown: true };

/** A turn: its root and what runs inside it. */
interface Turn {
  readonly root: number;
  readonly acts: readonly Act[];
}

/**
 * What the rest of the traced process reads off the recorder inside a turn (the socket tap's next
 * seq and running call, the async hook's suspended call), read after every act: a followed turn
 * must answer as a recorded one.
 */
function probe(r: Recorder, probes: number[]): void {
  probes.push(r.nextSeq(), r.current(), r.suspendedSeq(), r.suspendedFnId());
}

/** Plays `turns` on `r`, draining into `out` on high water, on a drain act and at the end; probes after every act. */
function play(r: Recorder, turns: readonly Turn[], out: RecordBatch[], probes: number[] = []): void {
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
      } else if ("await" in act) {
        // An async function inside the turn: it suspends, and resumes within the same turn.
        r.e(90);
        r.sx(90, 0);
        probe(r, probes);
        r.r(90, 0);
        r.x(90);
      } else if ("caught" in act) {
        r.e(91);
        r.sx(91, 0);
        r.rc(91);
        probe(r, probes);
        r.x(91);
      } else {
        r.e(92);
        r.sx(92, 0);
        r.x(92);
      }
      probe(r, probes);
    }
    r.x(turn.root);
    probe(r, probes);
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

/** Recorders with shapes off and with shapes on and hurried (the one that follows): their batches and probes. */
function recordAll(turns: readonly Turn[]): { off: RecordBatch[]; hurried: RecordBatch[]; recorder: Recorder; probesOff: number[]; probesHurried: number[] } {
  const off: RecordBatch[] = [];
  const hurried: RecordBatch[] = [];
  const probesOff: number[] = [];
  const probesHurried: number[] = [];
  play(new Recorder(1 << 12), turns, off, probesOff);
  const recorder = new Recorder(1 << 12, { shapes: new ShapeTable(), hurried: true });
  play(recorder, turns, hurried, probesHurried);
  return { off, hurried, recorder, probesOff, probesHurried };
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
    "has an await rejected into a catch block": { root: 1, acts: [{ call: 2 }, { caught: true }, { call: 4 }] },
    "has an await rejected past its function": { root: 1, acts: [{ call: 2 }, { thrown: true }, { call: 4 }] },
  };
  for (const [name, turn] of Object.entries(cases)) {
    it(`sends what it sends unfollowed when the turn ${name}`, () => {
      const { off, hurried, recorder, probesOff, probesHurried } = recordAll(streakThen(turn, base));
      expect(records(hurried)).toEqual(records(off));
      expect(probesHurried).toEqual(probesOff);
      expect(recorder.dropped).toBe(0);
    });
  }

  it("follows awaits, rejected awaits and their catch blocks the way it records them, and folds those turns", () => {
    for (const acts of [[{ await: true }], [{ caught: true }], [{ thrown: true }], [{ call: 2 }, { await: true }, { thrown: true }, { caught: true }]] as Act[][]) {
      const { off, hurried, recorder, probesOff, probesHurried } = recordAll(Array.from({ length: 40 }, () => ({ root: 1, acts })));
      expect(records(hurried)).toEqual(records(off));
      expect(probesHurried).toEqual(probesOff);
      // Past the streak every turn but the samples is followed and folds.
      expect(recorder.foldedTurns).toBeGreaterThan(25);
      expect(recorder.untimedTurns).toBe(0);
    }
  });

  it("follows a turn that a rejected await begins: the suspended root resumes and exits in one record pair", () => {
    // An async root suspends 60 times (turns of enter, suspend); then its awaits are rejected, past
    // it (`x` finds it suspended) or into its catch block (`rc`): turns of resume, exit, repeated.
    const play2 = (r: Recorder, probes: number[]): RecordBatch[] => {
      const out: RecordBatch[] = [];
      for (let i = 0; i < 60; i++) {
        r.e(5);
        r.sx(5, 0);
        probe(r, probes);
      }
      for (let i = 0; i < 60; i++) {
        if (i < 30) r.x(5);
        else {
          r.rc(5);
          probe(r, probes);
          r.x(5);
        }
        probe(r, probes);
      }
      const b = r.drain();
      if (b) out.push(b);
      return out;
    };
    const probesOff: number[] = [];
    const probesHurried: number[] = [];
    const off = play2(new Recorder(1 << 12), probesOff);
    const recorder = new Recorder(1 << 12, { shapes: true, hurried: true });
    const hurried = play2(recorder, probesHurried);
    expect(records(hurried)).toEqual(records(off));
    expect(probesHurried).toEqual(probesOff);
    expect(recorder.foldedTurns).toBeGreaterThan(90);
  });

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
      { weight: 1, arbitrary: fc.constant({ caught: true as const }) },
      { weight: 1, arbitrary: fc.constant({ thrown: true as const }) },
    );
    // Mostly one shape per root, so roots get predicted; now and then a turn that differs.
    const turn: fc.Arbitrary<Turn> = fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 1, max: 2 }).map((root) => ({ root, acts: root === 1 ? base : [{ call: 3 }] })) },
      { weight: 1, arbitrary: fc.record({ root: fc.integer({ min: 1, max: 2 }), acts: fc.array(act, { maxLength: 6 }) }) },
    );
    fc.assert(
      fc.property(fc.array(turn, { minLength: 1, maxLength: 200 }), (turns) => {
        const { off, hurried, recorder, probesOff, probesHurried } = recordAll(turns);
        expect(records(hurried)).toEqual(records(off));
        expect(probesHurried).toEqual(probesOff);
        expect(recorder.dropped).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
