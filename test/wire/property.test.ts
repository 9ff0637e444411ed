/**
 * Property tests: random and mutated bytes never make a decoder throw or hang,
 * and the connection decoder accounts for every byte exactly once.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { boundedJson } from "../../src/wire/bounded-json.js";
import { createConnectionDecoder, type ConnectionChunk } from "../../src/wire/connection-decoder.js";
import { decodeEngineBinary, decodeEnginePayload, decodeEngineText } from "../../src/wire/engineio.js";
import { createHttpParser } from "../../src/wire/http.js";
import { createSocketStream } from "../../src/wire/socketio.js";
import type { WireMessage } from "../../src/wire/types.js";
import { createWsParser } from "../../src/wire/websocket.js";
import { bytes, chunked, clientFrame, closePayload, httpMessage, join, latin1, pieces, ref, wsFrame } from "./helpers.js";
import { mutate, mutations } from "../helpers/mutate.js";

const RUNS = { numRuns: 150 };

const mutation = mutations();

const HTTP_SAMPLES = [
  httpMessage("GET /socket.io/?EIO=4&transport=polling HTTP/1.1", ["Host: a"]),
  httpMessage("POST /socket.io/?EIO=4&transport=polling&sid=x HTTP/1.1", [], '40\x1e42["a"]'),
  join(latin1("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"), latin1(chunked(["ab", "cdef"]))),
  httpMessage("HTTP/1.1 200 OK", [], '0{"sid":"x"}'),
  httpMessage("HTTP/1.1 101 Switching Protocols", ["Upgrade: websocket", "Connection: Upgrade"]),
];
const WS_SAMPLES = [
  join(clientFrame("2probe"), clientFrame('42["a"]', { fin: false }), clientFrame("x", { opcode: 9 }), clientFrame("]", { opcode: 0 })),
  join(wsFrame("m".repeat(300)), wsFrame(bytes([1, 2, 3]), { opcode: 2 }), wsFrame(closePayload(1000, "bye"), { opcode: 8 })),
];
const sample = (list: readonly Uint8Array[]) => fc.constantFrom(...list);
const mutated = (list: readonly Uint8Array[]) =>
  fc.tuple(sample(list), fc.array(mutation, { maxLength: 6 })).map(([d, m]) => mutate(d, m));
const anyBytes = (list: readonly Uint8Array[]) => fc.oneof(fc.uint8Array({ maxLength: 300 }), mutated(list));

describe("decoders never throw on random or mutated input", () => {
  it("HTTP parser", () => {
    fc.assert(fc.property(anyBytes(HTTP_SAMPLES), fc.array(fc.nat(), { maxLength: 8 }), fc.boolean(), (data, cuts, isRequest) => {
      const parser = createHttpParser({ side: isRequest ? "request" : "response", takeRequest: () => ({ method: "GET", target: "/" }) });
      for (const [i, p] of pieces(data, cuts).entries()) parser.push(p, ref(i), i === 1 ? 3 : 0);
      parser.end();
    }), RUNS);
  });

  it("WebSocket parser", () => {
    fc.assert(fc.property(anyBytes(WS_SAMPLES), fc.array(fc.nat(), { maxLength: 8 }), fc.boolean(), fc.boolean(), (data, cuts, fromClient, deflate) => {
      const parser = createWsParser({ fromClient, deflate: () => deflate });
      for (const [i, p] of pieces(data, cuts).entries()) parser.push(p, ref(i));
      parser.end();
    }), RUNS);
  });

  it("Engine.IO and Socket.IO layers", () => {
    const text = fc.oneof(fc.string({ unit: "binary", maxLength: 80 }), fc.constantFrom('451-["a",{"_placeholder":true,"num":0}]', '2/admin,3["x"]', "bAQID"));
    const input = fc.oneof(text, fc.uint8Array({ maxLength: 20 }), fc.constant(undefined));
    fc.assert(fc.property(fc.array(input, { maxLength: 8 }), (inputs) => {
      const stream = createSocketStream();
      for (const x of inputs) {
        const engine = typeof x === "string" ? (x.length % 2 ? decodeEnginePayload(x) : decodeEngineText(x)) : x ? decodeEngineBinary(x) : undefined;
        stream.decode(engine ? engine.messages : [x]);
      }
    }), RUNS);
  });

  it("bounded JSON", () => {
    fc.assert(fc.property(fc.anything({ maxDepth: 6 }), (value) => {
      expect(boundedJson(value).length).toBeLessThan(20_000);
    }), RUNS);
  });
});

describe("the connection decoder", () => {
  const session = [
    { dir: "in", data: HTTP_SAMPLES[1] },
    { dir: "out", data: httpMessage("HTTP/1.1 200 OK", [], "ok") },
    { dir: "in", data: httpMessage("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1", ["Connection: Upgrade", "Upgrade: websocket"]) },
    { dir: "out", data: HTTP_SAMPLES[4] },
    { dir: "in", data: WS_SAMPLES[0] },
    { dir: "out", data: WS_SAMPLES[1] },
  ] as const;

  const chunkList = fc.array(
    fc.record({
      dir: fc.constantFrom("in" as const, "out" as const),
      data: fc.oneof(fc.uint8Array({ maxLength: 120 }), mutated([...HTTP_SAMPLES, ...WS_SAMPLES])),
      missing: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(50) }),
    }),
    { maxLength: 10 },
  );
  const mutatedSession = fc.tuple(fc.array(mutation, { maxLength: 4 }), fc.array(fc.nat(), { maxLength: 6 })).map(([m, cuts]) =>
    session.flatMap((s, i) => pieces(i % 2 === 0 ? mutate(s.data, m) : s.data, cuts).map((data) => ({ dir: s.dir, data, missing: 0 }))));

  it("never throws and accounts for every byte once", () => {
    fc.assert(fc.property(fc.oneof(chunkList, mutatedSession), (list) => {
      const decoder = createConnectionDecoder(1);
      const out: WireMessage[] = [];
      const total = { in: 0, out: 0 };
      for (const [i, c] of list.entries()) {
        const chunk: ConnectionChunk = { seq: i + 1, dir: c.dir, time: i, bytes: c.data, size: c.data.length + c.missing };
        total[c.dir] += chunk.size ?? 0;
        out.push(...decoder.push(chunk));
      }
      out.push(...decoder.end());
      for (const dir of ["in", "out"] as const) {
        const counted = out.filter((m) => m.dir === dir).reduce((n, m) => n + m.size, 0);
        expect(counted).toBe(total[dir]);
      }
      for (const m of out) {
        expect(m.raw.length).toBeLessThan(400);
        expect(m.firstChunk).toBeLessThanOrEqual(m.lastChunk);
      }
    }), RUNS);
  });
});
