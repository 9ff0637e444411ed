/**
 * Property tests of the Postgres decoder: random and mutated frontend and backend streams, cut
 * anywhere and with bytes lost, never make it throw; when nothing is lost every byte is counted in
 * exactly one message; a well-formed stream decodes to the same messages however it is cut; and
 * no message body, however mangled, makes the message reader throw.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createConnectionDecoder } from "../../src/wire/connection-decoder.js";
import { postgresAdapterLayer } from "../../src/wire/postgres.js";
import { pgMessage } from "../../src/wire/postgres-messages.js";
import type { WireMessage } from "../../src/wire/types.js";
import { mutate, mutations } from "../helpers/mutate.js";
import { bytes, join, pieces } from "./helpers.js";
import { cstr, int16, int32, notification, pgMsg, pgNotify, startup } from "./pg-helpers.js";

const RUNS = { numRuns: 200 };
const mutation = mutations();
const BROADCAST = JSON.stringify({ uid: "u1", nsp: "/", type: 3, data: { packet: { type: 2, data: ["said", "hi"], nsp: "/" }, opts: { rooms: [], except: [] } } });

const FRONTEND = join(pgMsg("Q", cstr("SELECT 1")), pgNotify("socket.io#/", BROADCAST), pgMsg("p", cstr("secret")), pgMsg("X"));
const BACKEND = join(
  pgMsg("R", int32(0)), pgMsg("S", cstr("a"), cstr("b")), pgMsg("K", int32(1), int32(2)), pgMsg("Z", bytes("I")),
  pgMsg("1"), pgMsg("2"), pgMsg("T", int16(1), cstr("pg_notify"), int32(0), int16(0), int32(2278), int16(4), int32(-1), int16(0)),
  pgMsg("D", int16(2), int32(-1), int32(2), bytes("ok")), pgMsg("C", cstr("SELECT 1")), notification(9, "socket.io#/", BROADCAST),
  pgMsg("E", bytes("S"), cstr("ERROR"), bytes("M"), cstr("no"), bytes([0])),
);
const START = startup({ user: "postgres", database: "postgres" });
const mangled = (sample: Uint8Array) => fc.tuple(fc.constant(sample), fc.array(mutation, { maxLength: 6 })).map(([d, m]) => mutate(d, m));
const anyFrontend = fc.oneof(fc.uint8Array({ maxLength: 300 }), mangled(FRONTEND));
const anyBackend = fc.oneof(fc.uint8Array({ maxLength: 300 }), mangled(BACKEND));

/** Decodes the start-up then `out` and `inn` cut at `cuts`, with `lost` bytes missing after piece `gapAt`. */
function decode(out: Uint8Array, inn: Uint8Array, cuts: readonly number[], gapAt = -1, lost = 0): { messages: WireMessage[]; sent: number } {
  const d = createConnectionDecoder(1);
  let seq = 0;
  const messages = [...d.push({ seq: ++seq, dir: "out", time: seq, bytes: START })];
  for (const [dir, data] of [["out", out], ["in", inn]] as const) {
    for (const [i, piece] of pieces(data, cuts).entries()) {
      messages.push(...d.push({ seq: ++seq, dir, time: seq, bytes: piece, ...(i === gapAt ? { size: piece.length + lost } : {}) }));
    }
  }
  messages.push(...d.end());
  return { messages, sent: START.length + out.length + inn.length };
}

describe("the Postgres decoder never throws", () => {
  it("on any stream, any cuts, with bytes lost", () => {
    fc.assert(fc.property(anyFrontend, anyBackend, fc.array(fc.nat(), { maxLength: 8 }), fc.nat({ max: 4 }), fc.nat({ max: 70 }), (out, inn, cuts, gapAt, lost) => {
      const { messages } = decode(out, inn, cuts, gapAt, lost);
      for (const m of messages) expect(m.malformed !== undefined || m.layers[0]?.kind === "postgres").toBe(true);
    }), RUNS);
  });

  it("counts every byte in exactly one message when nothing is lost", () => {
    fc.assert(fc.property(anyFrontend, anyBackend, fc.array(fc.nat(), { maxLength: 8 }), (out, inn, cuts) => {
      const { messages, sent } = decode(out, inn, cuts);
      expect(messages.reduce((n, m) => n + m.size, 0)).toBe(sent);
    }), RUNS);
  });

  it("decodes a well-formed stream to the same messages however it is cut", () => {
    const whole = decode(FRONTEND, BACKEND, []).messages.map((m) => m.layers);
    expect(whole.flat().filter((l) => l.malformed)).toEqual([]);
    fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 12 }), (cuts) => {
      expect(decode(FRONTEND, BACKEND, cuts).messages.map((m) => m.layers)).toEqual(whole);
    }), RUNS);
  });

  it("reads any body of any type, and any notification payload", () => {
    const codes = fc.constantFrom("", ..."QPBDECSHXpdcfFRSKZCENA123nIsTDtGHWVv~".split(""));
    fc.assert(fc.property(fc.boolean(), codes, fc.uint8Array({ maxLength: 80 }), (frontend, code, body) => {
      expect(typeof pgMessage(frontend, code, body).name).toBe("string");
    }), { numRuns: 500 });
    fc.assert(fc.property(fc.string(), fc.oneof(fc.string(), fc.jsonValue().map((v) => JSON.stringify(v) ?? "")), (channel, payload) => {
      const layer = postgresAdapterLayer(channel, payload);
      if (layer) expect(layer.adapter).toBe("postgres");
    }), RUNS);
  });
});
