/**
 * The `advanced` serialization of Node's IPC channel (a 4-byte length, then the V8 bytes):
 * messages as the IPC tap writes them the way Node does, split anywhere, a Buffer behind
 * Node's host-object tag, and bytes that are not a message — shown as malformed, never thrown.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ipcBytes } from "../../src/instrument/ipc-tap.js";
import { createV8IpcStream, decodeV8IpcMessage, type IpcEvent } from "../../src/wire/cluster-ipc.js";
import { createConnectionDecoder } from "../../src/wire/connection-decoder.js";

const broadcast = { type: 3, data: { packet: { type: 2, data: ["chat message", "hi"], nsp: "/" }, opts: { rooms: ["room-b"], except: [], flags: {} } }, uid: "4a9d5a6a68faf158", nsp: "/", source: "_sio_adapter" };
const handover = { cmd: "NODE_HANDLE", type: "net.Socket", msg: { type: "sticky:connection", data: Buffer.from("GET /socket.io/?EIO=4 HTTP/1.1\r\n\r\n") } };

function pushAll(parts: readonly Uint8Array[]): IpcEvent[] {
  const stream = createV8IpcStream();
  return [...parts.flatMap((p) => stream.push(p)), ...stream.end()];
}

describe("advanced IPC messages", () => {
  it("decodes the cluster adapter's BROADCAST with its packet and rooms", () => {
    const [event] = pushAll([ipcBytes(broadcast, "advanced")]);
    expect(event.malformed).toBeUndefined();
    expect(event.layers[0]).toMatchObject({ kind: "ipc", source: "_sio_adapter" });
    expect(event.layers[1]).toMatchObject({ kind: "adapter", adapter: "cluster", typeName: "BROADCAST", uid: "4a9d5a6a68faf158", rooms: ["room-b"] });
    expect(event.size).toBe(ipcBytes(broadcast, "advanced").length);
  });

  it("reads a Buffer behind Node's host-object tag (sticky's handed-over bytes)", () => {
    const [event] = pushAll([ipcBytes(handover, "advanced")]);
    expect(event.malformed).toBeUndefined();
    expect(event.layers[0]).toMatchObject({ kind: "ipc", cmd: "NODE_HANDLE" });
    expect(event.layers[0].kind === "ipc" && event.layers[0].text).toContain("sticky:connection");
  });

  it("gives the same messages however the bytes are cut", () => {
    const whole = Buffer.concat([ipcBytes(broadcast, "advanced"), ipcBytes(handover, "advanced"), ipcBytes({ type: 2, uid: "u", nsp: "/", source: "_sio_adapter" }, "advanced")]);
    const once = pushAll([whole]).map((e) => e.layers);
    expect(once).toHaveLength(3);
    for (let cut = 1; cut < whole.length; cut += 7) expect(pushAll([whole.subarray(0, cut), whole.subarray(cut)]).map((e) => e.layers)).toEqual(once);
  });

  it("shows bytes that are not V8 as malformed, and a channel closed mid-message as cut", () => {
    const bad = Buffer.from([0, 0, 0, 3, 0xff, 0x0f, 0x99]);
    expect(pushAll([bad])[0].malformed).toMatch(/not a V8-serialized message/);
    const cut = ipcBytes(broadcast, "advanced").subarray(0, 20);
    expect(pushAll([cut])).toEqual([{ layers: [], size: 20, raw: "", malformed: "the channel closed inside a message" }]);
    expect(decodeV8IpcMessage(new Uint8Array(0))[0].malformed).toBeDefined();
  });

  it("counts a message over the decode limit without keeping it, and what follows it is decoded", () => {
    const head = Buffer.from([0, 0x30, 0, 0]); // 3 MiB announced
    const body = Buffer.alloc(3 * 1024 * 1024, 1);
    const next = ipcBytes(broadcast, "advanced");
    const events = pushAll([Buffer.concat([head, body.subarray(0, 1000)]), body.subarray(1000, 2_000_000), Buffer.concat([body.subarray(2_000_000), next])]);
    expect(events.reduce((n, e) => n + e.size, 0)).toBe(4 + body.length + next.length);
    expect(events.at(-1)?.layers[1]).toMatchObject({ typeName: "BROADCAST" });
    const cut = pushAll([Buffer.concat([head, body.subarray(0, 5000)]), body.subarray(5000, 9000)]);
    expect(cut.reduce((n, e) => n + e.size, 0)).toBe(9004);
  });

  it("never throws and counts every byte once, on any input cut anywhere", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), fc.array(fc.nat(), { maxLength: 6 }), (data, cuts) => {
      const at = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
      const parts = [0, ...at, data.length].slice(1).map((end, i, ends) => data.subarray(i === 0 ? 0 : ends[i - 1], end));
      const events = pushAll(parts.length ? parts : [data]);
      const counted = events.reduce((n, e) => n + e.size, 0);
      // An over-long message is counted up to what arrived: never more bytes than came.
      expect(counted).toBeLessThanOrEqual(data.length);
      if (!events.some((e) => e.malformed?.includes("decode limit"))) expect(counted).toBe(data.length);
    }));
  });

  it("is told apart from HTTP and Redis by the connection decoder, in both serializations", () => {
    for (const mode of ["advanced", "json"]) {
      const decoder = createConnectionDecoder(1);
      const messages = decoder.push({ seq: 1, dir: "out", time: 0, bytes: ipcBytes(broadcast, mode) });
      expect(messages.map((m) => m.layers.map((l) => l.kind))).toEqual([["ipc", "adapter"]]);
      expect(messages[0].layers[0]).toMatchObject({ kind: "ipc", source: "_sio_adapter" });
    }
  });
});
