import { describe, expect, it } from "vitest";
import { ShapeTable, fnvHash } from "../../src/instrument/turn-shapes.js";

/** A turn's records as the recorder's columns hold them. */
function turn(...pairs: [number, number][]): { ops: Uint8Array; ids: Int32Array } {
  return { ops: Uint8Array.from(pairs.map((p) => p[0])), ids: Int32Array.from(pairs.map((p) => p[1])) };
}

describe("turn shape table", () => {
  const a = turn([1, 5], [1, 6], [2, 6], [2, 5]);
  const b = turn([1, 5], [1, 7], [2, 7], [2, 5]);

  it("finds a sequence it was given, and only that one", () => {
    const table = new ShapeTable();
    expect(table.find(a.ops, a.ids, 0, 4, -1)).toBe(-1);
    const id = table.add(a.ops, a.ids, 0, 4, -1);
    expect(table.find(a.ops, a.ids, 0, 4, -1)).toBe(id);
    expect(table.find(b.ops, b.ids, 0, 4, -1)).toBe(-1);
    // The root's link kind is part of the shape.
    expect(table.find(a.ops, a.ids, 0, 4, 1)).toBe(-1);
    expect(table.length(id)).toBe(4);
  });

  it("reads a turn where it sits in the columns", () => {
    const table = new ShapeTable();
    const id = table.add(a.ops, a.ids, 0, 4, -1);
    const later = turn([5, 0], [1, 5], [1, 6], [2, 6], [2, 5]);
    expect(table.find(later.ops, later.ids, 1, 5, -1)).toBe(id);
  });

  it("never folds two sequences with one hash onto each other", () => {
    const collide = () => 42;
    const table = new ShapeTable(collide);
    expect(table.find(a.ops, a.ids, 0, 4, -1)).toBe(-1);
    const ia = table.add(a.ops, a.ids, 0, 4, -1);
    // Same hash, different sequence: not found, then kept as a shape of its own.
    expect(table.find(b.ops, b.ids, 0, 4, -1)).toBe(-1);
    const ib = table.add(b.ops, b.ids, 0, 4, -1);
    expect(ib).not.toBe(ia);
    expect(table.find(a.ops, a.ids, 0, 4, -1)).toBe(ia);
    expect(table.find(b.ops, b.ids, 0, 4, -1)).toBe(ib);
    const c = turn([1, 5], [2, 5]);
    expect(table.find(c.ops, c.ids, 0, 2, -1)).toBe(-1);
    expect(table.size).toBe(2);
  });

  it("hashes equal sequences equal wherever they sit", () => {
    const later = turn([5, 0], [1, 5], [1, 6], [2, 6], [2, 5]);
    expect(fnvHash(later.ops, later.ids, 1, 5, -1)).toBe(fnvHash(a.ops, a.ids, 0, 4, -1));
    expect(fnvHash(b.ops, b.ids, 0, 4, -1)).not.toBe(fnvHash(a.ops, a.ids, 0, 4, -1));
  });
});
