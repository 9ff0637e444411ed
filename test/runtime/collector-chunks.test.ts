/**
 * The collector says, once, when it can keep no more chunks, so the traced
 * process can stop sending bytes that would only be counted: at its chunk
 * limit, or when its byte limit leaves no room for one more byte. Until then
 * a chunk too large for the bytes left is dropped and a smaller one still kept.
 */
import { describe, expect, it } from "vitest";
import { Collector, DEFAULT_LIMITS } from "../../src/runtime/collector.js";
import { ChunkPacker } from "../../src/instrument/chunk-batch.js";
import type { TapBatch } from "../../src/instrument/socket-tap.js";
import { ChunkQuota } from "../../src/instrument/chunk-quota.js";

/** A tap batch of chunks of the given sizes (after `skipped` chunks counted as dropped). */
function batch(packer: ChunkPacker, sizes: readonly number[], dropped = 0): TapBatch {
  for (const size of sizes) packer.add(1, "in", 0, new Uint8Array(size).fill(7), 64 * 1024, -1);
  return { chunks: packer.take(dropped), events: [], droppedChunks: dropped, droppedBytes: dropped * 10 };
}

function collector(chunks: number, bytes: number): { c: Collector; closed: () => number } {
  const c = new Collector(0, { ...DEFAULT_LIMITS, chunks, bytes });
  let calls = 0;
  c.onChunksClosed = () => calls++;
  return { c, closed: () => calls };
}

describe("the collector's chunk limits", () => {
  it("closes once, at the chunk limit, and counts what comes after", () => {
    const { c, closed } = collector(3, 1000);
    const packer = new ChunkPacker();
    c.addTap(batch(packer, [5, 5]));
    expect(closed()).toBe(0);
    c.addTap(batch(packer, [5, 5]));
    expect(closed()).toBe(1);
    expect(c.chunks).toHaveLength(3);
    expect(c.dropped.chunks).toBe(1);
    // What the traced process sends once told: counts only, taken as drops.
    c.addTap(batch(packer, [], 4));
    expect(closed()).toBe(1);
    expect(c.dropped).toMatchObject({ chunks: 5, bytes: 5 + 40 });
  });

  it("stays open while a smaller chunk still fits the bytes left, and closes when none can", () => {
    const { c, closed } = collector(100, 12);
    const packer = new ChunkPacker();
    c.addTap(batch(packer, [8, 6]));
    // 6 did not fit in the 4 bytes left, but 4 bytes still fit one more chunk.
    expect(closed()).toBe(0);
    expect(c.dropped.chunks).toBe(1);
    c.addTap(batch(packer, [3]));
    expect(closed()).toBe(0);
    c.addTap(batch(packer, [1]));
    expect(closed()).toBe(1);
    expect(c.chunks.map((chunk) => chunk.size)).toEqual([8, 3, 1]);
  });

  it("the tap's own quota closes at the very chunk the collector does (it mirrors the same rule)", () => {
    const sizes = [8, 6, 3, 20, 1, 5];
    const { c, closed } = collector(100, 12);
    const packer = new ChunkPacker();
    const quota = new ChunkQuota(100, 12);
    const closings: [number, boolean][] = [];
    for (const size of sizes) {
      c.addTap(batch(packer, [size]));
      quota.take(size);
      closings.push([closed(), quota.closed]);
    }
    expect(closings).toEqual([[0, false], [0, false], [0, false], [0, false], [1, true], [1, true]]);
    expect(quota.kept).toBe(c.chunks.length);
    expect(quota.keptBytes).toBe(12);
  });
});
