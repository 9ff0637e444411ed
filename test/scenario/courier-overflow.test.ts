/**
 * While the IPC channel is backed up, bulk batches go to the overflow file
 * instead of being dropped: the channel carries a numbered notice of where
 * each one is, the CLI's feed reads it back at its place in the order, and
 * nothing is counted lost. Only when the file cannot take a batch (full, or
 * unwritable) is it dropped and counted, and the recorder told to shed; a
 * notice whose batch cannot be read is taken as its counted stand-in.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serialize } from "node:v8";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Courier, MAX_UNSENT, emptyBatch } from "../../src/runtime/node/courier.js";
import { OverflowFile, overflowFileOf, readOverflow } from "../../src/runtime/node/overflow-file.js";
import { TracedFeed } from "../../src/runtime/node/traced-feed.js";
import { Collector } from "../../src/runtime/collector.js";
import { ChunkPacker } from "../../src/instrument/chunk-batch.js";
import type { FromTraced, Numbered } from "../../src/runtime/node/protocol.js";
import { SlowChannel } from "../helpers/slow-channel.js";

function records(firstSeq: number, n: number): FromTraced {
  return { t: "records", batch: { ...emptyBatch(firstSeq, []), ops: new Uint8Array(n).fill(1), ids: new Int32Array(n).fill(3), times: new Float64Array(n), links: new Float64Array(n).fill(-1), linkKinds: new Uint8Array(n) } };
}

function tap(seq: number, size: number): FromTraced {
  const packer = new ChunkPacker();
  packer.add(1, "out", 0, new Uint8Array(size).fill(9), size, -1);
  return { t: "tap", batch: { chunks: { ...packer.take(), firstSeq: seq }, events: [{ type: "open", conn: 1, time: 0, remote: "r", local: "l" }], droppedChunks: 0, droppedBytes: 0 } };
}

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "trace-socket-overflow-"));
  file = overflowFileOf(join(dir, "spill.bin"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Fills the backlog with one-record batches (seqs 0 … MAX_UNSENT - 1), then sends `more`. */
function backedUp(overflow: OverflowFile | undefined, more: readonly FromTraced[]): { channel: SlowChannel; courier: Courier; states: boolean[] } {
  const channel = new SlowChannel();
  const states: boolean[] = [];
  const courier = new Courier(channel, (full) => states.push(full), overflow);
  for (let i = 0; i < MAX_UNSENT; i++) courier.send(records(i, 1));
  expect(courier.full).toBe(true);
  for (const message of more) courier.send(message);
  return { channel, courier, states };
}

describe("the overflow file", () => {
  it("takes the bulk batches of a backed-up channel, and the feed reads them back in order: nothing lost", () => {
    const overflow = new OverflowFile(file);
    const { channel, courier, states } = backedUp(overflow, [records(MAX_UNSENT, 50_000), tap(0, 300), { t: "notice", text: "control messages go as before" }, records(MAX_UNSENT + 50_000, 7)]);
    // The recorder was never told to shed, and nothing was counted lost.
    expect(states).toEqual([]);
    expect(courier.takeLostRecords()).toBeUndefined();
    expect(courier.takeLostChunks()).toBeUndefined();
    expect(channel.written.slice(MAX_UNSENT).map((m) => [m.t, m.n])).toEqual([["overflow", MAX_UNSENT + 1], ["overflow", MAX_UNSENT + 2], ["notice", MAX_UNSENT + 3], ["overflow", MAX_UNSENT + 4]]);
    expect(overflow.bytes).toBeGreaterThan(50_000 * (1 + 4));
    channel.ack();
    const collector = new Collector(Date.now());
    const feed = new TracedFeed(collector, () => undefined, () => undefined, file);
    for (const message of channel.written) feed.take(message);
    const all = collector.records(0, Number.MAX_SAFE_INTEGER);
    expect(all).toHaveLength(MAX_UNSENT + 50_000 + 7);
    expect(Array.from({ length: all.length }, (_, i) => all.seq(i))).toEqual(Array.from({ length: all.length }, (_, i) => i));
    expect(all.id(MAX_UNSENT + 49_999)).toBe(3);
    expect(collector.dropped).toEqual({ calls: 0, chunks: 0, bytes: 0, logs: 0 });
    expect(collector.chunks.map((c) => [c.seq, c.size, c.bytes[0]])).toEqual([[0, 300, 9]]);
    expect(collector.connections.get(1)).toMatchObject({ remote: "r" });
    expect(feed.notices).toEqual(["control messages go as before"]);
  });

  it("when full, drops and counts as before, and then the recorder sheds", () => {
    // Room for the first batch only.
    const overflow = new OverflowFile(file, serialize({ ...records(MAX_UNSENT, 100), n: MAX_UNSENT + 1 }).length + 100);
    const { channel, courier, states } = backedUp(overflow, [records(MAX_UNSENT, 100), records(MAX_UNSENT + 100, 100)]);
    expect(overflow.open).toBe(false);
    expect(states).toEqual([true]);
    expect(channel.written.at(-1)?.t).toBe("overflow");
    expect(courier.takeLostRecords()?.droppedRanges).toEqual([MAX_UNSENT + 100, MAX_UNSENT + 200]);
  });

  it("a batch that cannot be read back is taken as its counted stand-in, and the trace says so", () => {
    const { channel } = backedUp(new OverflowFile(file), [records(MAX_UNSENT, 40), tap(0, 10)]);
    rmSync(file);
    const collector = new Collector(Date.now());
    const feed = new TracedFeed(collector, () => undefined, () => undefined, file);
    for (const message of channel.written) feed.take(message);
    expect(collector.records(0, Number.MAX_SAFE_INTEGER)).toHaveLength(MAX_UNSENT);
    expect(collector.dropped).toMatchObject({ calls: 40, chunks: 1, bytes: 10 });
    expect(collector.connections.get(1)).toMatchObject({ remote: "r" });
    expect(collector.logs.map((l) => l.text).join("\n")).toContain("overflow file could not be read");
  });

  it("notices still in flight when the process dies are spilled, and read from the file after", () => {
    const { courier } = backedUp(new OverflowFile(file), [records(MAX_UNSENT, 30)]);
    courier.spill();
    const left = courier.leftovers();
    expect(left.at(-1)).toMatchObject({ t: "overflow", n: MAX_UNSENT + 1 });
    const notice = left.at(-1) as Extract<Numbered, { t: "overflow" }>;
    const batch = readOverflow(file, notice);
    expect(batch?.t === "records" && [batch.n, batch.batch.firstSeq, batch.batch.ops.length]).toEqual([MAX_UNSENT + 1, MAX_UNSENT, 30]);
  });

  it("an unwritable file closes it: batches are dropped and counted, never thrown into the app", () => {
    const overflow = new OverflowFile(join(dir, "no-such-folder", "overflow.bin"));
    const { courier, states } = backedUp(overflow, [records(MAX_UNSENT, 5)]);
    expect(overflow.open).toBe(false);
    expect(states).toEqual([true]);
    expect(courier.takeLostRecords()?.droppedRanges).toEqual([MAX_UNSENT, MAX_UNSENT + 5]);
  });
});
