/**
 * Property tests of the decoders of traffic between servers: random, mutated and split
 * RESP, adapter payloads and IPC lines never make them throw, and a well-formed stream
 * decodes to the same values however it is cut.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clusterAdapterLayer, redisAdapterLayer } from "../../src/wire/adapter-payload.js";
import { createIpcStream, decodeIpcMessage } from "../../src/wire/cluster-ipc.js";
import { createConnectionDecoder } from "../../src/wire/connection-decoder.js";
import { createRespParser } from "../../src/wire/resp.js";
import { mutate, mutations } from "../helpers/mutate.js";
import { bytes, join, pieces } from "./helpers.js";
import { aggregate, broadcastPayload, bulk, command, msgpack } from "./resp-helpers.js";

const RUNS = { numRuns: 150 };
const mutation = mutations();

const payload = broadcastPayload("uidA", ["chat message", "hi"], ["room"]);
const RESP_SAMPLES = [
  join(command("PUBLISH", "socket.io#/#", payload), command("SUBSCRIBE", "a", "b"), command("PUBSUB", "NUMSUB", "socket.io-request#/#")),
  join(aggregate(">", bulk("pmessage"), bulk("socket.io#/#*"), bulk("socket.io#/#room#"), bulk(payload)), bytes(":2\r\n%1\r\n+proto\r\n:3\r\n-ERR x\r\n$-1\r\n")),
  join(aggregate("*", bulk("message"), bulk("socket.io-request#/#"), bulk('{"uid":"u","type":5,"requestId":"r"}')), bytes("_\r\n#f\r\n,1.5\r\n~1\r\n+x\r\n")),
];
const mutated = fc.tuple(fc.constantFrom(...RESP_SAMPLES), fc.array(mutation, { maxLength: 6 })).map(([d, m]) => mutate(d, m));
const anyResp = fc.oneof(fc.uint8Array({ maxLength: 300 }), mutated);

describe("decoders of traffic between servers never throw", () => {
  it("RESP parser, both sides, any cuts and gaps", () => {
    fc.assert(fc.property(anyResp, fc.array(fc.nat(), { maxLength: 8 }), fc.boolean(), fc.nat({ max: 3 }), (data, cuts, inline, gapAt) => {
      const p = createRespParser({ inline });
      let seen = 0;
      for (const [i, piece] of pieces(data, cuts).entries()) seen += p.push(piece, i === gapAt ? 2 : 0).reduce((n, e) => n + e.size, 0);
      p.end();
      expect(seen).toBeGreaterThanOrEqual(0);
    }), RUNS);
  });

  it("a Redis connection accounts for every byte exactly once when nothing is lost", () => {
    fc.assert(fc.property(anyResp, anyResp, fc.array(fc.nat(), { maxLength: 6 }), (out, inn, cuts) => {
      const decoder = createConnectionDecoder(1);
      let seq = 0;
      let size = 0;
      const first = join(bytes("*1\r\n$4\r\nPING\r\n"), out);
      for (const piece of pieces(first, cuts)) size += decoder.push({ seq: ++seq, dir: "out", time: seq, bytes: piece }).reduce((n, m) => n + m.size, 0);
      for (const piece of pieces(inn, cuts)) size += decoder.push({ seq: ++seq, dir: "in", time: seq, bytes: piece }).reduce((n, m) => n + m.size, 0);
      size += decoder.end().reduce((n, m) => n + m.size, 0);
      expect(size).toBe(first.length + inn.length);
    }), RUNS);
  });

  it("adapter payloads and IPC lines", () => {
    const samples = [payload, msgpack({ uid: "u", type: 7, packet: { type: 2, data: [1] }, opts: { rooms: ["a"] } }), bytes('{"requestId":"r","sockets":[]}')];
    const anyPayload = fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.tuple(fc.constantFrom(...samples), fc.array(mutation, { maxLength: 6 })).map(([d, m]) => mutate(d, m)));
    fc.assert(fc.property(anyPayload, fc.constantFrom("socket.io#/#", "socket.io#/#r#", "socket.io-request#/#", "socket.io-response#/#u#"), (data, channel) => {
      const layer = redisAdapterLayer(channel, data);
      expect(layer?.kind).toBe("adapter");
    }), RUNS);
    fc.assert(fc.property(fc.jsonValue(), fc.string(), (value, text) => {
      clusterAdapterLayer(value);
      clusterAdapterLayer({ source: "_sio_adapter", type: 3, data: value });
      decodeIpcMessage(text);
      const stream = createIpcStream();
      stream.push(bytes(`${JSON.stringify(value)}\n${text}`));
      stream.end();
    }), RUNS);
  });
});

describe("a well-formed Redis stream decodes the same however it is cut", () => {
  it("same layers for every split", () => {
    const data = RESP_SAMPLES[1];
    const whole = createConnectionDecoder(1);
    whole.push({ seq: 1, dir: "out", time: 0, bytes: command("PSUBSCRIBE", "socket.io#/#*") });
    const expected = whole.push({ seq: 2, dir: "in", time: 0, bytes: data }).map((m) => m.layers);
    fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 10 }), (cuts) => {
      const decoder = createConnectionDecoder(1);
      decoder.push({ seq: 1, dir: "out", time: 0, bytes: command("PSUBSCRIBE", "socket.io#/#*") });
      let seq = 1;
      const got = pieces(data, cuts).flatMap((piece) => decoder.push({ seq: ++seq, dir: "in", time: 0, bytes: piece })).map((m) => m.layers);
      expect(got).toEqual(expected);
    }), RUNS);
  });
});
