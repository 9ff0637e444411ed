/**
 * IPC links on hand-built messages: a write joined to the receipt of the same message at the
 * other end of the channel, by the digest of its value in channel order, never by time; the
 * V8 bytes of a sender's dense array and of a receiver's sparse copy digest alike.
 */
import { describe, expect, it } from "vitest";
import v8 from "node:v8";
import { decodeV8IpcMessage } from "../../src/wire/cluster-ipc.js";
import { ipcLinks, type IpcEnds } from "../../src/wire/ipc-links.js";
import type { Layer, WireMessage } from "../../src/wire/types.js";

/** Connections: 1 is worker-1's to the primary, 2 the primary's to worker-1, 3 the primary's to worker-2, 4 worker-2's to the primary. */
const ends: IpcEnds = {
  process: (conn) => ({ 1: "worker-1", 2: "primary", 3: "primary", 4: "worker-2" })[conn],
  remote: (conn) => ({ 1: "ipc:primary", 2: "ipc:worker-1", 3: "ipc:worker-2", 4: "ipc:primary" })[conn],
};

let seq = 0;
function ipc(conn: number, dir: "in" | "out", value: unknown, time: number, call?: number): WireMessage {
  seq++;
  const layers: Layer[] = decodeV8IpcMessage(v8.serialize(value));
  return { conn, dir, firstChunk: seq, lastChunk: seq, time, ...(call !== undefined ? { call, callEnd: call + 5 } : {}), size: 10, raw: "", layers };
}

const broadcast = { type: 3, data: { packet: { type: 2, data: ["chat message", "hi"] } }, uid: "u1", source: "_sio_adapter" };

describe("ipcLinks", () => {
  it("joins worker 1's write to the primary's receipt, and the primary's relay to worker 2's", () => {
    const sent = ipc(1, "out", broadcast, 10, 100);
    const got = ipc(2, "in", broadcast, 11, 200);
    const relayed = ipc(3, "out", broadcast, 12, 201);
    const received = ipc(4, "in", broadcast, 13, 300);
    const links = ipcLinks([sent, got, relayed, received], ends);
    expect(links).toEqual([
      { channel: "ipc:primary", from: { process: "worker-1", chunk: sent.firstChunk, call: 100 }, to: { process: "primary", chunk: got.firstChunk, call: 200, callEnd: 205 } },
      { channel: "ipc:worker-2", from: { process: "primary", chunk: relayed.firstChunk, call: 201 }, to: { process: "worker-2", chunk: received.firstChunk, call: 300, callEnd: 305 } },
    ]);
  });

  it("pairs the same message written twice in channel order, whatever the clocks say", () => {
    const writes = [50, 60].map((time, i) => ipc(1, "out", broadcast, time, i + 1));
    // The receiver's clock runs behind: its receipts read earlier than the writes.
    const receipts = [40, 45].map((time, i) => ipc(2, "in", broadcast, time, 10 * (i + 1)));
    expect(ipcLinks([...writes, ...receipts], ends).map((l) => [l.from.call, l.to.call])).toEqual([[1, 10], [2, 20]]);
  });

  it("links only the same value, on the channel between the two, and nothing malformed", () => {
    const sent = ipc(1, "out", broadcast, 1, 1);
    const other = ipc(2, "in", { ...broadcast, uid: "u2" }, 2, 2);
    const elsewhere = ipc(4, "in", broadcast, 3, 3);
    const bad: WireMessage = { ...ipc(2, "in", broadcast, 4, 4), layers: [{ kind: "ipc", text: "", malformed: "not a V8-serialized message" }] };
    expect(ipcLinks([sent, other, elsewhere, bad], ends)).toEqual([]);
  });

  it("digests a dense array and its sparse copy alike", () => {
    const dense = v8.serialize(broadcast);
    const copy = v8.deserialize(dense) as typeof broadcast;
    // A received array is holey in V8: written again, it is a sparse array, other bytes.
    const sparse = v8.serialize(copy);
    expect(Buffer.from(sparse).equals(Buffer.from(dense))).toBe(false);
    const digest = (bytes: Uint8Array) => (decodeV8IpcMessage(bytes)[0] as { digest?: string }).digest;
    expect(digest(dense)).toBeDefined();
    expect(digest(sparse)).toBe(digest(dense));
  });
});
