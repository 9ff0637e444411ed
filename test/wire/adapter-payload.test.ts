/**
 * The adapters' messages between servers: redis-adapter channels and payloads (msgpack and
 * JSON, as RedisAdapter publishes them) and the cluster adapter's IPC messages.
 */
import { describe, expect, it } from "vitest";
import { adapterChannel, clusterAdapterLayer, redisAdapterLayer } from "../../src/wire/adapter-payload.js";
import { createIpcStream, decodeIpcMessage } from "../../src/wire/cluster-ipc.js";
import { bytes, split } from "./helpers.js";
import { broadcastPayload, msgpack } from "./resp-helpers.js";

describe("redis-adapter channels", () => {
  it("names what each channel is for", () => {
    expect(adapterChannel("socket.io#/#")).toEqual({ role: "broadcast", prefix: "socket.io", nsp: "/" });
    expect(adapterChannel("socket.io#/#*")).toEqual({ role: "broadcast", prefix: "socket.io", nsp: "/" });
    expect(adapterChannel("socket.io#/chat#room-1#")).toEqual({ role: "broadcast", prefix: "socket.io", nsp: "/chat", rest: "room-1" });
    expect(adapterChannel("socket.io-request#/#")).toEqual({ role: "request", prefix: "socket.io", nsp: "/" });
    expect(adapterChannel("app-response#/#Ab12Cd#")).toEqual({ role: "response", prefix: "app", nsp: "/", rest: "Ab12Cd" });
    expect(adapterChannel("news")).toBeUndefined();
    expect(adapterChannel("socket.io#/#open")).toBeUndefined();
  });
});

describe("redis-adapter payloads", () => {
  it("reads a broadcast as [uid, packet, opts]", () => {
    const layer = redisAdapterLayer("socket.io#/#room-b#", broadcastPayload("Xy12Zw", ["chat message", "hi"], ["room-b"], ["sid1"]));
    expect(layer).toEqual({
      kind: "adapter", adapter: "redis", channel: "broadcast", nsp: "/", room: "room-b", encoding: "msgpack", uid: "Xy12Zw",
      packet: { type: 2, name: "EVENT", nsp: "/", event: "chat message", data: '["chat message","hi"]' },
      rooms: ["room-b"], except: ["sid1"], flags: "{}",
    });
  });

  it("reads JSON requests and responses with their type names", () => {
    const fetch = redisAdapterLayer("socket.io-request#/#", bytes(JSON.stringify({ uid: "u1", requestId: "r1", type: 5, opts: { rooms: [], except: [] } })));
    expect(fetch).toMatchObject({ channel: "request", encoding: "json", type: 5, typeName: "REMOTE_FETCH", uid: "u1", requestId: "r1", rooms: [], except: [] });
    const emit = redisAdapterLayer("socket.io-request#/#", bytes(JSON.stringify({ uid: "u1", type: 6, data: ["hello", 1] })));
    expect(emit).toMatchObject({ typeName: "SERVER_SIDE_EMIT", data: '{"data":["hello",1]}' });
    const response = redisAdapterLayer("socket.io-response#/#", bytes(JSON.stringify({ requestId: "r1", sockets: [{ id: "s1", rooms: ["s1"] }] })));
    expect(response).toMatchObject({ channel: "response", requestId: "r1", data: '{"sockets":[{"id":"s1","rooms":["s1"]}]}' });
    const ack = redisAdapterLayer("socket.io-request#/#", msgpack({ uid: "u1", requestId: "r2", type: 7, packet: { type: 2, data: ["q"], nsp: "/" }, opts: { rooms: ["a"], except: [] } }));
    expect(ack).toMatchObject({ encoding: "msgpack", typeName: "BROADCAST", packet: { event: "q" }, rooms: ["a"] });
  });

  it("shows broken payloads as malformed, never throwing", () => {
    expect(redisAdapterLayer("socket.io#/#", bytes([0xc1]))).toMatchObject({ encoding: "msgpack", malformed: "not msgpack: Could not parse" });
    expect(redisAdapterLayer("socket.io-request#/#", bytes("{nope"))?.malformed).toMatch(/^not JSON/);
    expect(redisAdapterLayer("socket.io#/#", msgpack({ a: 1 }))).toMatchObject({ malformed: "a broadcast payload is [uid, packet, opts]" });
    expect(redisAdapterLayer("socket.io#/#", msgpack(["u", "no packet", {}]))).toMatchObject({ uid: "u", malformed: "no Socket.IO packet in the broadcast" });
    expect(redisAdapterLayer("socket.io-request#/#", msgpack(3))).toMatchObject({ malformed: "a request is an object" });
    expect(redisAdapterLayer("socket.io#/#", new Uint8Array(100_000).fill(0x91))?.malformed).toMatch(/^not msgpack/);
  });

  it("does not let a payload's __proto__ key reach what it shows", () => {
    const layer = redisAdapterLayer("socket.io-request#/#", bytes('{"__proto__":{"type":7},"uid":"u"}'));
    expect(layer?.typeName).toBeUndefined();
    expect(layer?.uid).toBe("u");
  });
});

describe("cluster adapter over IPC", () => {
  const broadcast = { source: "_sio_adapter", uid: "w1", nsp: "/", type: 3, data: { packet: { type: 2, data: ["hi"], nsp: "/" }, opts: { rooms: [], except: ["s"] } } };

  it("reads the adapter's messages and Node's own", () => {
    expect(clusterAdapterLayer(broadcast)).toMatchObject({ adapter: "cluster", encoding: "ipc", typeName: "BROADCAST", uid: "w1", nsp: "/", packet: { event: "hi" }, except: ["s"] });
    expect(clusterAdapterLayer({ source: "_sio_adapter", type: 8, requesterUid: "w2", data: { requestId: "r", sockets: [] } }))
      .toMatchObject({ typeName: "FETCH_SOCKETS_RESPONSE", uid: "w2", requestId: "r", data: '{"sockets":[]}' });
    expect(clusterAdapterLayer({ cmd: "NODE_CLUSTER" })).toBeUndefined();
    const layers = decodeIpcMessage('{"cmd":"NODE_CLUSTER","act":"online"}');
    expect(layers).toEqual([{ kind: "ipc", cmd: "NODE_CLUSTER", text: '{"cmd":"NODE_CLUSTER","act":"online"}', digest: expect.stringMatching(/^[0-9a-f]{16}$/) }]);
    expect(decodeIpcMessage("{bad")[0].malformed).toMatch(/^not JSON/);
  });

  it("splits the channel's JSON lines wherever the bytes are cut", () => {
    const data = bytes(`${JSON.stringify(broadcast)}\n{"cmd":"NODE_HANDLE_ACK"}\n`);
    for (const size of [1, 7, 64, data.length]) {
      const stream = createIpcStream();
      const events = [...split(data, size).flatMap((p) => stream.push(p)), ...stream.end()];
      expect(events.map((e) => e.layers.map((l) => l.kind).join("+"))).toEqual(["ipc+adapter", "ipc"]);
      expect(events.reduce((n, e) => n + e.size, 0)).toBe(data.length);
    }
    const stream = createIpcStream();
    stream.push(bytes('{"a":'));
    expect(stream.end()[0]).toMatchObject({ malformed: "the channel closed inside a message", size: 5 });
  });
});
