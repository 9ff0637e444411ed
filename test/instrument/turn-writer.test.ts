/**
 * The recorder with turn shapes on sends, once its entries are expanded, the
 * very records it sends with them off (seq, op, function, link, and the times
 * of every turn it sent whole), and the collector's turn store reads the same
 * records back from either stream.
 */
import { describe, expect, it } from "vitest";
import { Recorder, type RecordBatch } from "../../src/instrument/recorder.js";
import { ShapeTable } from "../../src/instrument/turn-shapes.js";
import { TurnStore } from "../../src/runtime/turn-store.js";
import { walkBatch, type BatchEntry, type BatchRow } from "../helpers/batch-walk.js";

type Row = BatchRow;

/** A seeded stream of turns: a few shapes, some rarer, step markers, async roots, an await inside. */
function drive(recorders: Recorder[], turns: number, seed = 7): void {
  let state = seed;
  const rand = (n: number): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % n;
  };
  const all = (f: (r: Recorder) => void): void => recorders.forEach(f);
  for (let t = 0; t < turns; t++) {
    if (t % 300 === 299) all((r) => r.mark(t));
    const kind = rand(10);
    const root = kind < 7 ? 1 : kind < 9 ? 2 : 3 + rand(40);
    const linked = rand(3) === 0;
    all((r) => {
      r.pendingLink = linked ? 5 : -1;
      r.pendingKind = linked ? 1 : 0;
      r.e(root);
      r.e(10);
      if (root === 2) {
        r.e(11);
        r.x(11);
      }
      r.x(10);
      if (root >= 3) {
        r.e(12 + (root % 3));
        r.x(12 + (root % 3));
      }
      r.x(root);
    });
    if (t % 97 === 0) {
      // An async function that awaits: two turns (enter…suspend, resume…exit).
      all((r) => {
        r.pendingLink = -1;
        r.e(50);
        r.sx(50, 0);
        r.r(50, 0);
        r.x(50);
      });
    }
  }
}

/** Every record of `batches`, entries expanded from the samples they refer to. */
function expand(batches: readonly RecordBatch[]): { rows: Row[]; entryTimes: Set<number> } {
  const rows = new Map<number, Row>();
  const samples = new Map<number, number>();
  const pending: BatchEntry[] = [];
  const entryTimes = new Set<number>();
  for (const b of batches) walkBatch(b, samples, (row) => rows.set(row.seq, row), (entry) => pending.push(entry));
  for (const p of pending) {
    expect(p.shape).toBeGreaterThanOrEqual(0);
    const from = samples.get(p.shape)!;
    for (let k = 0; k < p.n; k++) {
      const sample = rows.get(from + k)!;
      const seq = p.seq + k;
      rows.set(seq, { seq, op: sample.op, id: sample.id, time: k === 0 ? p.start : k === p.n - 1 ? p.end : NaN, link: k === 0 ? p.link : -1, kind: k === 0 ? p.kind : 0 });
      if (k > 0 && k < p.n - 1) entryTimes.add(seq);
    }
  }
  return { rows: [...rows.values()].sort((x, y) => x.seq - y.seq), entryTimes };
}

/** A turn of root 1 that calls `nested` once. */
function oneCall(r: Recorder, nested: number): void {
  r.e(1);
  r.e(nested);
  r.x(nested);
  r.x(1);
}

/** Drains `r` into batches every `every` turns' worth of records. */
function record(shapes: boolean | ShapeTable, turns: number): { batches: RecordBatch[]; recorder: Recorder } {
  const r = new Recorder(1 << 16, { shapes, hurried: true });
  const batches: RecordBatch[] = [];
  r.onHighWater = () => batches.push(r.drain()!);
  const chunks = 10;
  for (let c = 0; c < chunks; c++) {
    drive([r], turns / chunks, 7 + c);
    const b = r.drain();
    if (b) batches.push(b);
  }
  return { batches, recorder: r };
}

describe("turn shapes in the recorder", () => {
  const N = 6000;
  const off = record(false, N);
  const on = record(true, N);

  it("sends most repeated turns as entries, and drops nothing", () => {
    expect(on.recorder.foldedTurns).toBeGreaterThan(N / 2);
    expect(on.recorder.dropped).toBe(0);
    const rowsOn = on.batches.reduce((n, b) => n + b.ops.length, 0);
    const rowsOff = off.batches.reduce((n, b) => n + b.ops.length, 0);
    expect(rowsOn).toBeLessThan(rowsOff / 3);
  });

  it("expands into exactly the records sent without shapes, times of whole turns included", () => {
    const plain = expand(off.batches).rows;
    const { rows, entryTimes } = expand(on.batches);
    const strip = (list: Row[]) => list.map(({ seq, op, id, link, kind }) => [seq, op, id, link, kind]);
    expect(strip(rows)).toEqual(strip(plain));
    // Whole turns' records carry real times, ordered like the calls; the entries' nested ones carry none.
    const whole = rows.filter((row) => !entryTimes.has(row.seq));
    expect(whole.every((row) => Number.isFinite(row.time) && row.time > 0)).toBe(true);
    for (let i = 1; i < whole.length; i++) expect(whole[i].time).toBeGreaterThanOrEqual(whole[i - 1].time);
  });

  it("with every sequence hashing alike, still folds nothing onto a different sequence", () => {
    const colliding = record(new ShapeTable(() => 1), N);
    const strip = (list: Row[]) => list.map(({ seq, op, id, link, kind }) => [seq, op, id, link, kind]);
    expect(strip(expand(colliding.batches).rows)).toEqual(strip(expand(off.batches).rows));
    expect(colliding.recorder.foldedTurns).toBeGreaterThan(N / 2);
  });

  it("reads back the same records in the collector's turn store, the entries folded there", () => {
    const limits = { records: 1_000_000, turns: 1_000_000 };
    const a = new TurnStore(limits);
    const b = new TurnStore(limits);
    for (const batch of off.batches) a.add(batch, 0);
    for (const batch of on.batches) b.add(batch, 0);
    const strip = (s: TurnStore) => {
      const v = s.records(0, Infinity);
      const out: number[][] = [];
      for (let i = 0; i < v.length; i++) out.push([v.seq(i), v.op(i), v.id(i), v.link(i), v.linkKind(i)]);
      return out;
    };
    expect(strip(b)).toEqual(strip(a));
    expect(b.kept).toBe(a.kept);
    expect(b.foldedTurns).toBeGreaterThan(N / 2);
    expect(b.dropped).toBe(0);
    const forestA = a.forest(0, Infinity);
    const forestB = b.forest(0, Infinity);
    expect(forestB.calls.map((c) => [c.seq, c.fn])).toEqual(forestA.calls.map((c) => [c.seq, c.fn]));
    expect([...(forestB.turns ?? [])].map((t) => [t.seq, t.like, t.async ?? null])).toEqual([...(forestA.turns ?? [])].map((t) => [t.seq, t.like, t.async ?? null]));
  });

  it("sends an untimed turn whose shape turned out new whole, its nested times spread between its root's and listed as untimed", () => {
    const r = new Recorder(1 << 12, { shapes: true, hurried: true });
    const turn = (nested: number): void => oneCall(r, nested);
    for (let i = 0; i < 20; i++) turn(2);
    // Root 1 repeated one shape long enough to go untimed: this turn of a new shape reads no clock inside.
    turn(3);
    turn(2);
    const batch = r.drain()!;
    expect(r.dropped).toBe(0);
    expect(r.untimedTurns).toBe(1);
    expect(batch.untimed).toEqual([80, 4]);
    expect([...(batch.turns?.shape ?? [])].every((shape) => shape >= 0)).toBe(true);
    const rows: BatchRow[] = [];
    walkBatch(batch, new Map(), (row) => row.seq >= 80 && row.seq < 84 && rows.push(row), () => {});
    expect(rows.map((row) => row.id)).toEqual([1, 3, 3, 1]);
    // Spread evenly between the root's entry and exit, both read from the clock.
    const [t0, t1, t2, t3] = rows.map((row) => row.time);
    expect(t0).toBeGreaterThan(0);
    expect(t1 - t0).toBeCloseTo((t3 - t0) / 3, 9);
    expect(t2 - t1).toBeCloseTo((t3 - t0) / 3, 9);
    const store = new TurnStore({ records: 1000, turns: 1000 });
    store.add(batch, 0);
    const view = store.records(0, Infinity);
    expect(Array.from({ length: view.length }, (_, i) => view.seq(i))).toEqual(Array.from({ length: 88 }, (_, i) => i));
    expect(store.dropped).toBe(0);
    expect(store.untimedTurns).toBe(1);
  });

  it("skips clocks only while records come fast: at a light rate a new shape is sent whole", () => {
    const r = new Recorder(1 << 12, { shapes: true });
    const turn = (nested: number): void => oneCall(r, nested);
    for (let i = 0; i < 20; i++) turn(2);
    r.pace(1000);
    turn(3);
    expect(r.dropped).toBe(0);
    const light = r.drain()!;
    expect(light.ids.slice(-4)).toEqual(Int32Array.from([1, 3, 3, 1]));
    // 1,000 turns' records in 1 ms: fast enough to skip the clocks of the repeating root.
    for (let i = 0; i < 1000; i++) turn(2);
    r.pace(1);
    for (let i = 0; i < 20; i++) turn(2);
    turn(4);
    expect(r.dropped).toBe(0);
    expect(r.untimedTurns).toBe(1);
  });
});
