import { describe, expect, it } from "vitest";
import { ChunkPacker, chunkAt, chunkCount, keptBytes, noChunks, realBytes } from "../../src/instrument/chunk-batch.js";

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString();

describe("ChunkPacker", () => {
  it("packs chunks in order, capped for display but counted at full size", () => {
    const packer = new ChunkPacker();
    packer.add(1, "in", 10, Buffer.from("hello"), 64, -1);
    packer.add(2, "out", 11, Buffer.from("0123456789"), 4, 7);
    const columns = packer.take();
    expect(chunkCount(columns)).toBe(2);
    expect(chunkAt(columns, 0)).toMatchObject({ seq: 0, conn: 1, dir: "in", time: 10, call: -1, size: 5 });
    expect(text(chunkAt(columns, 0).bytes)).toBe("hello");
    expect(chunkAt(columns, 1)).toMatchObject({ seq: 1, conn: 2, dir: "out", call: 7, size: 10 });
    expect(text(chunkAt(columns, 1).bytes)).toBe("0123");
    expect(realBytes(columns)).toBe(15);
    expect(keptBytes(columns)).toBeGreaterThanOrEqual(9);
  });

  it("hands out copies: later chunks do not overwrite a taken batch", () => {
    const packer = new ChunkPacker();
    packer.add(1, "in", 0, Buffer.from("first"), 64, -1);
    const first = packer.take();
    packer.add(1, "in", 0, Buffer.from("SECOND"), 64, -1);
    expect(text(chunkAt(first, 0).bytes)).toBe("first");
    expect(text(chunkAt(packer.take(), 0).bytes)).toBe("SECOND");
  });

  it("numbers batches on from the last one, past a dropped tail", () => {
    const packer = new ChunkPacker();
    packer.add(1, "in", 0, Buffer.from("a"), 64, -1);
    packer.add(1, "in", 0, Buffer.from("b"), 64, -1);
    expect(packer.take(3).firstSeq).toBe(0);
    expect(packer.nextSeq).toBe(5);
    packer.add(1, "in", 0, Buffer.from("c"), 64, -1);
    expect(chunkAt(packer.take(), 0).seq).toBe(5);
  });

  it("grows past its first allocation and keeps every byte in place", () => {
    const packer = new ChunkPacker();
    const big = Buffer.alloc(200_000, 7);
    for (let i = 0; i < 1000; i++) packer.add(i, i % 2 ? "out" : "in", i, Buffer.from(String(i)), 64, i);
    packer.add(9999, "in", 0, big, big.length, -1);
    const columns = packer.take();
    expect(chunkCount(columns)).toBe(1001);
    for (const i of [0, 255, 256, 999]) expect(text(chunkAt(columns, i).bytes)).toBe(String(i));
    expect(chunkAt(columns, 1000).bytes).toEqual(new Uint8Array(big));
  });

  it("setCalls links a chunk of the current batch only, to the range of calls it started", () => {
    const packer = new ChunkPacker();
    const index = packer.add(1, "in", 0, Buffer.from("x"), 64, -1);
    packer.add(1, "in", 0, Buffer.from("y"), 64, -1);
    packer.setCalls(index, 42, 50);
    packer.setCalls(5, 1, 2);
    const columns = packer.take();
    expect(chunkAt(columns, 0)).toMatchObject({ call: 42, callEnd: 50 });
    expect(chunkAt(columns, 1)).toMatchObject({ call: -1, callEnd: -1 });
  });

  it("an empty batch still says where it starts", () => {
    expect(chunkCount(noChunks(12))).toBe(0);
    expect(noChunks(12).firstSeq).toBe(12);
  });
});
