/**
 * The RESP parser and the Redis connection decoder on bytes: commands, replies matched to
 * them, RESP3 pushes, split input, and malformed input shown as malformed.
 */
import { describe, expect, it } from "vitest";
import { layerSummary } from "../../src/export/text.js";
import { createConnectionDecoder } from "../../src/wire/connection-decoder.js";
import { createRespParser } from "../../src/wire/resp.js";
import type { AdapterLayer, RedisLayer, WireMessage } from "../../src/wire/types.js";
import { bytes, chunkSequence, join, split } from "./helpers.js";
import { aggregate, broadcastPayload, bulk, command } from "./resp-helpers.js";

function redisLayer(m: WireMessage): RedisLayer {
  const layer = m.layers[0];
  if (layer?.kind !== "redis") throw new Error(`not a Redis message: ${m.raw} ${m.malformed ?? ""}`);
  return layer;
}

describe("RESP parser", () => {
  it("reads every RESP2 and RESP3 type", () => {
    const p = createRespParser();
    const events = p.push(bytes("+OK\r\n-ERR no\r\n:42\r\n$3\r\nabc\r\n$-1\r\n*-1\r\n_\r\n#t\r\n,3.5\r\n(123456789012345678901\r\n=7\r\ntxt:abc\r\n%1\r\n+k\r\n:1\r\n~1\r\n+x\r\n>2\r\n+a\r\n+b\r\n!3\r\nERR\r\n"));
    expect(events.map((e) => (e.kind === "value" ? e.value.type : e.reason))).toEqual([
      "simple string", "error", "integer", "bulk string", "null", "null", "null", "boolean", "double", "big number",
      "verbatim string", "map", "set", "push", "bulk error",
    ]);
    expect(p.pending).toBe(0);
  });

  it("waits for a value split anywhere, and counts its bytes once", () => {
    const data = command("PUBLISH", "socket.io#/#", "hello");
    for (let size = 1; size < data.length; size++) {
      const p = createRespParser();
      const events = split(data, size).flatMap((piece) => p.push(piece));
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ kind: "value", size: data.length });
    }
  });

  it("shows bad bytes as malformed and resynchronises at the next line", () => {
    const p = createRespParser();
    const events = p.push(join(bytes("?what\r\n"), bytes("$x\r\n"), bytes("+OK\r\n")));
    expect(events.map((e) => e.kind)).toEqual(["malformed", "malformed", "value"]);
    expect(events[0]).toMatchObject({ reason: "unknown RESP type byte 0x3f" });
    expect(events[1]).toMatchObject({ reason: 'bulk string length "x" is not a number' });
  });

  it("refuses lengths over the limits instead of waiting for them", () => {
    expect(createRespParser().push(bytes("$999999999\r\n"))[0]).toMatchObject({ kind: "malformed", reason: "bulk string of 999999999 bytes is over the decode limit" });
    expect(createRespParser().push(bytes("*99999999\r\n"))[0]).toMatchObject({ kind: "malformed", reason: "array of 99999999 elements is over the limit" });
    expect(createRespParser().push(bytes("*1\r\n".repeat(40)))[0]).toMatchObject({ kind: "malformed", reason: "nested deeper than 32 levels" });
  });

  it("stops at bytes the capture lost, saying so", () => {
    const p = createRespParser();
    const events = [...p.push(bytes("$10\r\nabc"), 9), ...p.push(bytes("+OK\r\n"))];
    expect(events.every((e) => e.kind === "malformed")).toBe(true);
    expect(events[0]).toMatchObject({ reason: "9 bytes were not captured; RESP cannot be followed past them", size: 17 });
  });

  it("reads inline commands on the client's side only", () => {
    expect(createRespParser({ inline: true }).push(bytes("PING hi\r\n"))[0]).toMatchObject({ kind: "value", value: { type: "inline" } });
    expect(createRespParser().push(bytes("PING\r\n"))[0]).toMatchObject({ kind: "malformed" });
  });

  it("flags a value cut by the end of the stream", () => {
    const p = createRespParser();
    expect(p.push(bytes("*2\r\n$1\r\na\r\n"))).toEqual([]);
    expect(p.end()[0]).toMatchObject({ kind: "malformed", reason: "the connection ended inside a RESP value", size: 11 });
  });
});

describe("a Redis connection", () => {
  it("is told from HTTP by its first byte and reads commands, replies and pushes", () => {
    const next = chunkSequence();
    const decoder = createConnectionDecoder(3);
    const payload = broadcastPayload("uidA", ["hello", "world"]);
    const out = [
      ...decoder.push(next("out", join(command("SUBSCRIBE", "socket.io-request#/#", "socket.io-response#/#"), command("PUBLISH", "socket.io#/#", payload)), 7)),
      ...decoder.push(next("in", join(
        aggregate(">", bulk("subscribe"), bulk("socket.io-request#/#"), bytes(":1\r\n")),
        aggregate(">", bulk("subscribe"), bulk("socket.io-response#/#"), bytes(":2\r\n")),
        bytes(":2\r\n"),
        aggregate(">", bulk("pmessage"), bulk("socket.io#/#*"), bulk("socket.io#/#"), bulk(payload)),
      ), 9)),
    ];
    const layers = out.map(redisLayer);
    expect(layers.map((l) => `${l.role} ${l.name}`)).toEqual(["command SUBSCRIBE", "command PUBLISH", "push subscribe", "push subscribe", "reply integer", "push pmessage"]);
    expect(layers[0].channel).toBe("socket.io-request#/# socket.io-response#/#");
    expect(layers[1].channel).toBe("socket.io#/#");
    expect(layers[4]).toMatchObject({ replyTo: "PUBLISH", args: ["2"] });
    expect(layers[5]).toMatchObject({ pattern: "socket.io#/#*", channel: "socket.io#/#" });
    // The command links to the call that wrote it, the push to the call its bytes started.
    expect(out[1].call).toBe(7);
    expect(out[5].call).toBe(9);
    expect(out.map((m) => m.layers.map(layerSummary).join(" | "))).toEqual([
      "Redis SUBSCRIBE channel socket.io-request#/# socket.io-response#/#",
      'Redis PUBLISH channel socket.io#/# | redis-adapter, broadcast, msgpack, uid uidA EVENT ["hello","world"]',
      "Redis push subscribe channel socket.io-request#/#",
      "Redis push subscribe channel socket.io-response#/#",
      "Redis reply to PUBLISH: integer 2",
      'Redis push pmessage pattern socket.io#/#*, channel socket.io#/# | redis-adapter, broadcast, msgpack, uid uidA EVENT ["hello","world"]',
    ]);
    for (const i of [1, 5]) {
      const adapter = out[i].layers[1] as AdapterLayer;
      expect(adapter).toMatchObject({ kind: "adapter", channel: "broadcast", encoding: "msgpack", uid: "uidA", packet: { name: "EVENT", event: "hello", data: '["hello","world"]' } });
    }
  });

  it("gives a value split over chunks the chunks it spans", () => {
    const next = chunkSequence();
    const decoder = createConnectionDecoder(1);
    const data = command("PING");
    const out = split(data, 3).flatMap((piece) => decoder.push(next("out", piece)));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ firstChunk: 1, lastChunk: Math.ceil(data.length / 3), size: data.length });
  });

  it("shows a command that is not an array of bulk strings as malformed", () => {
    const decoder = createConnectionDecoder(1);
    const [m] = decoder.push(chunkSequence()("out", bytes("*1\r\n:5\r\n")));
    expect(redisLayer(m)).toMatchObject({ role: "command", malformed: "a command is an array of bulk strings" });
  });
});
