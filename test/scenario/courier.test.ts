import { describe, expect, it } from "vitest";
import { Courier, MAX_UNSENT, MAX_UNSENT_BYTES, RETAIN_BYTES, emptyBatch } from "../../src/runtime/node/courier.js";
import { Collector } from "../../src/runtime/collector.js";
import { ChunkPacker, chunkCount } from "../../src/instrument/chunk-batch.js";
import type { FromTraced } from "../../src/runtime/node/protocol.js";
import type { RecordBatch } from "../../src/instrument/recorder.js";
import type { TapBatch } from "../../src/instrument/socket-tap.js";
import { SlowChannel } from "../helpers/slow-channel.js";

function records(firstSeq: number, n: number, droppedRanges: number[] = []): FromTraced {
  const batch: RecordBatch = { ...emptyBatch(firstSeq, droppedRanges), ops: new Uint8Array(n), ids: new Int32Array(n), times: new Float64Array(n), links: new Float64Array(n).fill(-1), linkKinds: new Uint8Array(n) };
  return { t: "records", batch };
}

function tap(seq: number, size: number): FromTraced {
  const packer = new ChunkPacker();
  packer.add(1, "in", 0, new Uint8Array(size), size, -1);
  const chunks = { ...packer.take(), firstSeq: seq };
  const batch: TapBatch = { chunks, events: [{ type: "close", conn: 1, time: 0 }], droppedChunks: 0, droppedBytes: 0 };
  return { t: "tap", batch };
}

describe("Courier", () => {
  it("numbers messages in sending order and tags them for the channel", () => {
    const channel = new SlowChannel();
    const courier = new Courier(channel, () => undefined);
    courier.send({ t: "hello", timeOrigin: 1, pid: 2 });
    courier.send({ t: "settled" });
    expect(channel.written.map((m) => [m.t, m.n])).toEqual([["hello", 1], ["settled", 2]]);
    expect(Object.getOwnPropertySymbols(channel.written[0])).toHaveLength(0);
    expect(Object.keys(channel.written[0])).toContain("__traceSocket");
  });

  it("spills what is still in flight, and nothing once it was taken", () => {
    const channel = new SlowChannel();
    const courier = new Courier(channel, () => undefined);
    courier.send({ t: "functions", list: [] });
    courier.send(records(0, 10));
    channel.ack(1);
    expect(courier.unsent).toBe(1);
    courier.spill();
    courier.send({ t: "app-error", message: "boom", stack: "boom" });
    expect(channel.written).toHaveLength(2);
    const left = courier.leftovers();
    expect(left.map((m) => [m.t, m.n])).toEqual([["records", 2], ["app-error", 3]]);
    expect(left[0].t === "records" && left[0].batch.ops.length).toBe(10);
  });

  it("drops bulk batches past the backlog and counts them, with their own drops", () => {
    const channel = new SlowChannel();
    const states: boolean[] = [];
    const courier = new Courier(channel, (full) => states.push(full));
    for (let i = 0; i < MAX_UNSENT; i++) courier.send(records(i * 10, 10));
    expect(courier.full).toBe(true);
    expect(states).toEqual([true]);
    courier.send(records(MAX_UNSENT * 10, 10, [MAX_UNSENT * 10 + 10, MAX_UNSENT * 10 + 15]));
    courier.send(tap(1, 100));
    courier.send({ t: "notice", text: "control messages still go" });
    expect(courier.takeLostChunks()).toMatchObject({ chunks: { firstSeq: 1 }, events: [{ type: "close" }], droppedChunks: 1, droppedBytes: 100 });
    expect(courier.takeLostChunks()).toBeUndefined();
    const base = MAX_UNSENT * 10;
    expect(courier.takeLostRecords()?.droppedRanges).toEqual([base, base + 15]);
    expect(courier.takeLostRecords()).toBeUndefined();
    expect(channel.written.at(-1)?.t).toBe("notice");
    channel.ack(MAX_UNSENT / 2 + 1);
    expect(states.at(-1)).toBe(false);
  });

  it("keeps a counted stand-in, not the payload, for in-flight bulk beyond its budget", () => {
    const channel = new SlowChannel();
    const courier = new Courier(channel, () => undefined);
    // Each alone is over what is kept whole for the spill, both together under the backlog's bytes.
    const big = RETAIN_BYTES + 1024;
    const n = Math.ceil(RETAIN_BYTES / 22) + 10;
    expect(big + n * 22).toBeLessThan(MAX_UNSENT_BYTES);
    courier.send(tap(7, big));
    courier.send(records(0, n, [n, n + 4]));
    const [chunkStandIn, recordStandIn] = courier.leftovers();
    expect(chunkStandIn.t === "tap" && chunkStandIn.batch).toMatchObject({ chunks: { firstSeq: 7 }, events: [{ type: "close" }], droppedChunks: 1, droppedBytes: big });
    expect(chunkStandIn.t === "tap" && chunkCount(chunkStandIn.batch.chunks)).toBe(0);
    expect(recordStandIn.t === "records" && recordStandIn.batch.ops.length).toBe(0);
    expect(recordStandIn.t === "records" && recordStandIn.batch.droppedRanges).toEqual([0, n, n, n + 4]);
  });

  it("stand-ins account exactly: kept + dropped = produced in the collector", () => {
    const channel = new SlowChannel();
    const courier = new Courier(channel, () => undefined);
    courier.send(records(0, 100));
    courier.send(records(100, 1_000_000));
    courier.spill();
    const collector = new Collector(Date.now());
    for (const message of courier.leftovers()) if (message.t === "records") collector.addRecords(message.batch);
    expect(collector.records(0, Number.MAX_SAFE_INTEGER).length + collector.dropped.calls).toBe(1_000_100);
  });
});

describe("Courier backlog in bytes", () => {
  it("fills on bytes as well as on count, and empties below half of both", () => {
    const channel = new SlowChannel();
    const states: boolean[] = [];
    const courier = new Courier(channel, (full) => states.push(full));
    const perBatch = 100_000;
    const batches = Math.ceil(MAX_UNSENT_BYTES / (perBatch * 22));
    for (let i = 0; i < batches; i++) courier.send(records(i * perBatch, perBatch));
    expect(courier.unsent).toBeLessThan(MAX_UNSENT);
    expect(courier.full).toBe(true);
    courier.send(records(batches * perBatch, 5));
    expect(courier.takeLostRecords()).toMatchObject({ firstSeq: batches * perBatch, droppedRanges: [batches * perBatch, batches * perBatch + 5] });
    channel.ack(1);
    expect(courier.full).toBe(false);
    expect(states).toEqual([true]);
    channel.ack(batches);
    expect(states).toEqual([true, false]);
  });
});

describe("Courier lost records", () => {
  it("reports consecutive dropped batches as one range, ahead of the next batch", () => {
    const channel = new SlowChannel();
    const courier = new Courier(channel, () => undefined);
    for (let i = 0; i < MAX_UNSENT; i++) courier.send(records(i, 1));
    courier.send(records(MAX_UNSENT, 3));
    courier.send(records(MAX_UNSENT + 3, 0, [MAX_UNSENT + 3, MAX_UNSENT + 9]));
    channel.ack();
    const collector = new Collector(Date.now());
    for (const message of channel.written) if (message.t === "records") collector.addRecords(message.batch);
    collector.addRecords(courier.takeLostRecords()!);
    const next = records(MAX_UNSENT + 9, 2);
    if (next.t === "records") collector.addRecords(next.batch);
    expect(collector.records(0, Number.MAX_SAFE_INTEGER).length).toBe(MAX_UNSENT + 2);
    expect(collector.dropped.calls).toBe(9);
  });
});

describe("Courier while spilling", () => {
  it("is never full, so losses are reported ahead of what is drained after the spill began", () => {
    const channel = new SlowChannel();
    const courier = new Courier(channel, () => undefined);
    for (let i = 0; i < MAX_UNSENT; i++) courier.send(records(i, 1));
    courier.send(records(MAX_UNSENT, 2));
    expect(courier.full).toBe(true);
    courier.spill();
    expect(courier.full).toBe(false);
    const lost = courier.takeLostRecords();
    expect(lost?.droppedRanges).toEqual([MAX_UNSENT, MAX_UNSENT + 2]);
  });
});
