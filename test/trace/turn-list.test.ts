// Folded turns in columns that spill to a temporary file: every number read back exactly,
// searches right across spilled blocks, and the rows held in memory bounded however many are added.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { SpillColumns } from "../../src/trace/spill-columns.js";
import { TurnList } from "../../src/trace/turn-list.js";
import type { TurnRepeat } from "../../src/trace/model.js";
import { parseTraceFile, serializeTrace } from "../../src/trace/trace-file.js";
import { chatTrace } from "../fixtures/export/chat-trace.js";

describe("SpillColumns", () => {
  it("reads back every row exactly, spilled or held, and holds at most hotBlocks full blocks plus the one being filled", () => {
    const columns = new SpillColumns(3, { blockRows: 16, hotBlocks: 2 });
    const rows = 1000;
    const value = (row: number, col: number): number => row * 3 + col + (col === 2 ? 0.123456789 : 0) - (row % 7 === 0 ? 1e9 : 0);
    let peakHot = 0;
    for (let row = 0; row < rows; row++) {
      columns.push(value(row, 0), value(row, 1), value(row, 2));
      peakHot = Math.max(peakHot, columns.stats.hotRows);
    }
    expect(columns.length).toBe(rows);
    expect(peakHot).toBeLessThanOrEqual(3 * 16);
    expect(columns.stats.spilledBlocks).toBe(Math.floor(rows / 16) - 2);
    // In order, backwards and at random: each read may come from another spilled block than the last.
    for (let row = 0; row < rows; row++) for (let col = 0; col < 3; col++) expect(columns.get(col, row)).toBe(value(row, col));
    for (let row = rows - 1; row >= 0; row -= 37) expect(columns.get(2, row)).toBe(value(row, 2));
  });

  it("finds the first row at or above a value in an ascending column, wherever it lies", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 300 }), fc.integer({ min: -5, max: 20_000 }), (steps, probe) => {
        const columns = new SpillColumns(1, { blockRows: 16, hotBlocks: 1 });
        const values: number[] = [];
        let at = 0;
        for (const step of steps) {
          at += step;
          values.push(at);
          columns.push(at);
        }
        const expected = values.findIndex((v) => v >= probe);
        expect(columns.lowerBound(0, probe)).toBe(expected === -1 ? values.length : expected);
      }),
      { numRuns: 200 },
    );
  });
});

describe("TurnList", () => {
  const turns: TurnRepeat[] = Array.from({ length: 5000 }, (_, i) => ({
    like: 10,
    seq: 100 + i * 7,
    start: 1.5 + i * 0.25,
    end: 1.75 + i * 0.25,
    ...(i % 3 === 0 ? { async: { kind: (["timer", "io", "promise"] as const)[i % 9 / 3], from: 50 + i } } : {}),
    ...(i % 2 ? { process: 1 } : {}),
  }));

  it("gives back every turn as it was pushed, past the point where it spills, and finds a turn by seq", () => {
    const list = TurnList.from(turns, { blockRows: 64, hotBlocks: 2 });
    expect(list.stats.spilledBlocks).toBeGreaterThan(0);
    expect(list.stats.hotRows).toBeLessThanOrEqual(3 * 64);
    expect([...list]).toEqual(turns);
    expect(list.at(4321)).toEqual(turns[4321]);
    expect(list.lowerBound(100 + 4321 * 7)).toBe(4321);
    expect(list.lowerBound(100 + 4321 * 7 - 3)).toBe(4321);
    expect(list.seqAt(17)).toBe(turns[17].seq);
  });

  it("is written to a trace file as the list of its turns (the text JSON.stringify gives, in pieces) and read back into columns", () => {
    const trace = chatTrace();
    const at = trace.steps.findIndex((step) => step.calls.length > 0);
    const like = trace.steps[at].calls[0];
    const own = turns.map((turn) => ({ ...turn, like: like.seq, seq: turn.seq + 1e6 }));
    const steps = trace.steps.map((step, i) => (i === at ? { ...step, turns: TurnList.from(own) } : step));
    const text = serializeTrace({ ...trace, steps });
    expect(text).toContain(JSON.stringify({ ...trace.steps[at], turns: own }));
    const back = parseTraceFile(text);
    expect(back.steps[at].turns).toBeInstanceOf(TurnList);
    expect([...back.steps[at].turns!]).toEqual(own);
    expect(back.steps.filter((_, i) => i !== at)).toEqual(trace.steps.filter((_, i) => i !== at));
  });
});
