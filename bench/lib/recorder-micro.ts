// Micro-benchmark of the recorder's per-call cost, in one process (no I/O): what an
// instrumented call costs beside a plain one, and how much of it is the clock.
import { serialize } from "node:v8";
import { Recorder } from "../../src/instrument/recorder.js";

const N = 2_000_000;

function time(fn: () => void): number {
  for (let k = 0; k < 3; k++) fn();
  const samples: number[] = [];
  for (let k = 0; k < 7; k++) {
    const started = performance.now();
    fn();
    samples.push(((performance.now() - started) * 1e6) / N);
  }
  return samples.sort((a, b) => a - b)[3];
}

/**
 * ns per call of a repeated turn (a root and `NESTED` nested calls), recorded with turn shapes off
 * and on, measured A/B interleaved in this process: samples alternate between the two, median of each.
 */
const NESTED = 16;
function turnsAB(): { off: number; on: number; bytesOff: number; bytesOn: number } {
  const make = (shapes: boolean) => {
    const r = new Recorder(1 << 18, { shapes, hurried: shapes });
    let bytes = 0;
    r.onHighWater = () => (bytes += serialize(r.drain()).length);
    const turn = (): void => {
      r.e(1);
      for (let k = 0; k < NESTED; k++) {
        r.e(2 + k);
        r.x(2 + k);
      }
      r.x(1);
    };
    return { r, turn, bytes: () => bytes };
  };
  const a = make(false);
  const b = make(true);
  const turns = N / (NESTED + 1);
  const run = (v: ReturnType<typeof make>): number => {
    const started = performance.now();
    for (let i = 0; i < turns; i++) v.turn();
    const batch = v.r.drain();
    const ns = ((performance.now() - started) * 1e6) / N;
    if (batch) serialize(batch);
    return ns;
  };
  for (let k = 0; k < 3; k++) {
    run(a);
    run(b);
  }
  const off: number[] = [];
  const on: number[] = [];
  for (let k = 0; k < 9; k++) {
    off.push(run(a));
    on.push(run(b));
  }
  const mid = (xs: number[]) => xs.sort((x, y) => x - y)[xs.length >> 1];
  // Bytes over IPC per record: one serialized drain of 3,000 turns (under the high water, so one batch).
  const bytesOf = (v: ReturnType<typeof make>): number => {
    v.r.drain();
    for (let i = 0; i < 3000; i++) v.turn();
    return serialize(v.r.drain()).length / (3000 * (NESTED + 1) * 2);
  };
  return { off: mid(off), on: mid(on), bytesOff: bytesOf(make(false)), bytesOn: bytesOf(make(true)) };
}

/** ns per call for each variant, and serialization cost per record. */
export async function recorderMicro(): Promise<Record<string, number | boolean>> {
  const r = new Recorder(1 << 20);
  const noop = { e(_id: number): void {}, x(_id: number): void {} };
  let sink = 0;
  const plain = (i: number): number => i + 1;
  const shaped = (i: number): number => {
    noop.e(7);
    try {
      return i + 1;
    } finally {
      noop.x(7);
    }
  };
  const recorded = (i: number): number => {
    r.e(7);
    try {
      return i + 1;
    } finally {
      r.x(7);
    }
  };
  const out: Record<string, number | boolean> = {
    plainNs: time(() => {
      for (let i = 0; i < N; i++) sink += plain(i);
    }),
    tryFinallyNoopNs: time(() => {
      for (let i = 0; i < N; i++) sink += shaped(i);
    }),
    recordedNs: time(() => {
      for (let i = 0; i < N; i++) {
        sink += recorded(i);
        if (r.pending() > r.capacity - 4) r.drain();
      }
    }),
    performanceNowNs: time(() => {
      for (let i = 0; i < N; i++) sink += performance.now();
    }),
  };
  const ab = turnsAB();
  out.turnCallNsShapesOff = ab.off;
  out.turnCallNsShapesOn = ab.on;
  out.turnBytesPerRecordShapesOff = ab.bytesOff;
  out.turnBytesPerRecordShapesOn = ab.bytesOn;
  r.drain();
  for (let i = 0; i < 100_000; i++) {
    r.e(1);
    r.x(1);
  }
  const batch = r.drain();
  const started = performance.now();
  let bytes = 0;
  for (let k = 0; k < 20; k++) bytes = serialize(batch).length;
  out.serializeNsPerRecord = ((performance.now() - started) / 20) * 1e6 / 200_000;
  out.bytesPerRecord = bytes / 200_000;
  out.sink = sink > 0;
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await recorderMicro());
