/**
 * Fuzzing at the trace level: random and mutated captures, several connections
 * interleaved, chunks cut or out of order, and chunk records as a hostile trace
 * file may carry them (bad base64, odd sizes, unknown directions, repeated seqs),
 * go through `decodeChunks` and `renderText` on a synthetic trace. Neither may
 * throw or hang, lines stay bounded, and every captured byte is accounted for.
 * (`test/wire/property.test.ts` fuzzes the decoders one layer at a time.)
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderText } from "../../src/export/text.js";
import type { Chunk, Direction, Trace } from "../../src/trace/model.js";
import { decodeChunks } from "../../src/wire/index.js";
import { bytes, chunked, clientFrame, closePayload, httpMessage, join, latin1, wsFrame } from "../wire/helpers.js";
import { mutate, mutations } from "../helpers/mutate.js";

const RUNS = { numRuns: Number(process.env.FUZZ_RUNS ?? 120) };
/** A run taking longer than this counts as a hang. */
const HANG_MS = 2000;
const MAX_LINE = 12_000;
/** What makes a terminal act: C0 controls, DEL, C1 (U+009B is CSI), line separators, bidi controls. */
const TERMINAL_CONTROLS = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** Block fields (bodies, payloads) may keep line feeds and tabs. */
const BLOCK_CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Every string in decoded layers is display text: none may carry a terminal control. */
function expectTerminalSafe(messages: ReturnType<typeof decodeChunks>): void {
  const visit = (value: unknown, key: string): void => {
    if (typeof value === "string") {
      const pattern = key === "body" || key === "payload" ? BLOCK_CONTROLS : TERMINAL_CONTROLS;
      expect(pattern.test(value), `${key}: ${JSON.stringify(value.slice(0, 120))}`).toBe(false);
    } else if (Array.isArray(value)) value.forEach((v) => visit(v, key));
    else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) visit(v, k);
  };
  for (const m of messages) visit({ raw: m.raw, malformed: m.malformed, layers: m.layers }, "message");
}

/** One whole socket.io session as captured, in wire order: polling handshake, upgrade, frames. */
const SESSION: readonly { readonly dir: Direction; readonly data: Uint8Array }[] = [
  { dir: "in", data: httpMessage("GET /socket.io/?EIO=4&transport=polling&t=1 HTTP/1.1", ["Host: 127.0.0.1"]) },
  { dir: "out", data: httpMessage("HTTP/1.1 200 OK", ["Content-Type: text/plain; charset=UTF-8"], '0{"sid":"abc","upgrades":["websocket"],"pingInterval":1500,"pingTimeout":3000,"maxPayload":1000000}') },
  { dir: "in", data: httpMessage("POST /socket.io/?EIO=4&transport=polling&sid=abc HTTP/1.1", ["Content-Type: text/plain;charset=UTF-8"], '40{"token":"let-me-in"}') },
  { dir: "out", data: httpMessage("HTTP/1.1 200 OK", [], "ok") },
  { dir: "in", data: join(latin1("GET /socket.io/?EIO=4&transport=polling&sid=abc HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"), latin1(chunked([]))) },
  { dir: "out", data: httpMessage("HTTP/1.1 200 OK", [], '40{"sid":"s1"}\x1e42["chat message","hi"]') },
  { dir: "in", data: httpMessage("GET /socket.io/?EIO=4&transport=websocket&sid=abc HTTP/1.1", ["Connection: Upgrade", "Upgrade: websocket", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"]) },
  { dir: "out", data: httpMessage("HTTP/1.1 101 Switching Protocols", ["Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="]) },
  { dir: "in", data: join(clientFrame("2probe"), clientFrame("5")) },
  { dir: "out", data: wsFrame("3probe") },
  { dir: "in", data: join(clientFrame('451-0["chat message",{"_placeholder":true,"num":0}]'), clientFrame(bytes([1, 2, 3]), { opcode: 2 })) },
  { dir: "out", data: join(wsFrame('430[{"received":true}]'), wsFrame("2"), wsFrame("m".repeat(70_000))) },
  { dir: "in", data: join(clientFrame("3"), clientFrame("41"), clientFrame(closePayload(1000, "bye"), { opcode: 8 })) },
  { dir: "out", data: wsFrame(closePayload(1000), { opcode: 8 }) },
];

interface Piece {
  readonly conn: number;
  readonly dir: Direction;
  readonly data: Uint8Array;
  /** Bytes on the wire past `data` (the capture cut the chunk). */
  readonly cut: number;
}

const mutation = mutations(["flip", "insert", "delete"]);

/** The session on one connection, each message possibly mutated, split at random points, maybe cut. */
const sessionPieces = (conn: number): fc.Arbitrary<Piece[]> =>
  fc.tuple(
    fc.array(fc.tuple(fc.nat(SESSION.length - 1), fc.array(mutation, { maxLength: 3 })), { maxLength: 4 }),
    fc.array(fc.nat(), { maxLength: 10 }),
    fc.option(fc.tuple(fc.nat(SESSION.length - 1), fc.integer({ min: 1, max: 100_000 })), { freq: 4 }),
    fc.nat(SESSION.length),
  ).map(([mutations, splits, cut, stopAt]) => {
    const out: Piece[] = [];
    SESSION.slice(0, Math.max(1, stopAt)).forEach((s, i) => {
      const data = mutations.filter(([index]) => index === i).reduce((d, [, m]) => mutate(d, m), s.data);
      const points = [...new Set(splits.map((p) => p % (data.length + 1)))].sort((a, b) => a - b);
      let last = 0;
      for (const p of [...points, data.length]) {
        if (p > last) out.push({ conn, dir: s.dir, data: data.subarray(last, p), cut: 0 });
        last = p;
      }
      if (cut && cut[0] === i && out.length > 0) out[out.length - 1] = { ...out[out.length - 1], cut: cut[1] };
    });
    return out;
  });

/** Random chunks on random connections. */
const noisePieces: fc.Arbitrary<Piece[]> = fc.array(
  fc.record({ conn: fc.integer({ min: 1, max: 4 }), dir: fc.constantFrom<Direction>("in", "out"), data: fc.uint8Array({ maxLength: 200 }), cut: fc.constant(0) }),
  { maxLength: 20 },
);

/** Several connections' pieces merged in a random but per-connection-order-keeping way. */
const interleaved: fc.Arbitrary<Piece[]> = fc
  .tuple(sessionPieces(1), sessionPieces(2), noisePieces, fc.array(fc.nat(2), { maxLength: 200 }))
  .map(([a, b, noise, order]) => {
    const queues = [a, b, noise];
    const out: Piece[] = [];
    for (const q of order) if (queues[q].length) out.push(queues[q].shift() as Piece);
    for (const q of queues) out.push(...q);
    return out;
  });

function toChunks(pieces: readonly Piece[]): Chunk[] {
  return pieces.map((p, i) => ({
    seq: i,
    conn: p.conn,
    dir: p.dir,
    time: i,
    data: Buffer.from(p.data).toString("base64"),
    size: p.data.length + p.cut,
    ...(p.cut ? { truncated: true } : {}),
    ...(i % 3 === 0 ? { call: i } : {}),
  }));
}

/** A trace around the chunks: a few steps splitting them, the shape renderers get. */
function traceOf(chunks: readonly Chunk[], splits: readonly number[]): Trace {
  const seqs = chunks.map((c) => c.seq);
  const cuts = [...new Set(splits.map((s) => s % (seqs.length + 1)))].sort((a, b) => a - b);
  const bounds = [0, ...cuts, seqs.length];
  const steps = bounds.slice(1).map((end, index) => ({
    index,
    id: `step-${index}`,
    title: `Step ${index}`,
    explanation: "fuzzed",
    values: {},
    started: bounds[index],
    ended: end,
    calls: [],
    chunks: seqs.slice(bounds[index], end),
  }));
  return {
    meta: { schema: "trace-socket", version: 1, tool: "0.0.0", node: process.version, platform: "fuzz", startedAt: new Date(0).toISOString(), command: "fuzz", scenario: "fuzz", packages: {} },
    functions: [],
    steps,
    connections: [...new Set(chunks.map((c) => c.conn))].map((id) => ({ id, remote: "127.0.0.1:1", local: "127.0.0.1:2", opened: 0 })),
    chunks,
    logs: [],
    dropped: { calls: 0, chunks: 0, bytes: 0, logs: 0 },
  };
}

/** Decodes and renders; returns the messages; fails on a throw, a hang or an unbounded line. */
function decodeAndRender(trace: Trace): ReturnType<typeof decodeChunks> {
  const started = performance.now();
  const messages = decodeChunks(trace.chunks);
  const text = renderText(trace, { maxFrames: Number.POSITIVE_INFINITY });
  const elapsed = performance.now() - started;
  expect(elapsed, "decode + render time").toBeLessThan(HANG_MS);
  for (const line of text.split("\n")) expect(line.length).toBeLessThanOrEqual(MAX_LINE);
  expect(TERMINAL_CONTROLS.exec(text.replaceAll("\n", ""))?.[0], "terminal control in the rendered text").toBeUndefined();
  expectTerminalSafe(messages);
  return messages;
}

describe("decodeChunks + renderText on fuzzed traces", () => {
  it("interleaved, mutated, split and cut sessions: no throw, no hang, every byte accounted once", () => {
    fc.assert(fc.property(interleaved, fc.array(fc.nat(), { maxLength: 3 }), fc.boolean(), (pieces, splits, shuffle) => {
      const chunks = toChunks(pieces);
      // Chunks may come out of order in a file; decodeChunks sorts them by seq.
      const given = shuffle ? [...chunks].reverse() : chunks;
      const messages = decodeAndRender(traceOf(given, splits));
      const wire = new Map<string, number>();
      for (const c of chunks) wire.set(`${c.conn}/${c.dir}`, (wire.get(`${c.conn}/${c.dir}`) ?? 0) + c.size);
      const decoded = new Map<string, number>();
      for (const m of messages) decoded.set(`${m.conn}/${m.dir}`, (decoded.get(`${m.conn}/${m.dir}`) ?? 0) + m.size);
      for (const [key, size] of wire) if (size > 0) expect(decoded.get(key) ?? 0, key).toBe(size);
      for (let i = 1; i < messages.length; i++) expect(messages[i].firstChunk).toBeGreaterThanOrEqual(messages[i - 1].firstChunk);
    }), RUNS);
  });

  it("chunk records as a hostile trace file may hold them", () => {
    const hostileChunk: fc.Arbitrary<Chunk> = fc.record({
      seq: fc.oneof(fc.nat(50), fc.constant(-1), fc.constant(Number.MAX_SAFE_INTEGER)),
      conn: fc.oneof(fc.nat(3), fc.constant(Number.NaN), fc.constant(-7)),
      dir: fc.constantFrom("in", "out", "sideways", "__proto__", "constructor") as fc.Arbitrary<Direction>,
      time: fc.double(),
      data: fc.oneof(fc.base64String({ maxLength: 120 }), fc.string({ maxLength: 60 }), fc.constant("!!!not base64!!!")),
      size: fc.oneof(fc.nat(500), fc.constant(-5), fc.constant(Number.NaN), fc.constant(2 ** 40), fc.constant(Number.POSITIVE_INFINITY)),
      truncated: fc.option(fc.boolean(), { nil: undefined }),
      call: fc.option(fc.integer(), { nil: undefined }),
    });
    // Found by this property: a direction named like an Object.prototype member reached it.
    const prototypeKey = { seq: 0, conn: 1, dir: "constructor" as Direction, time: 0, data: "R0VUIC8=", size: 5 };
    fc.assert(fc.property(fc.array(hostileChunk, { maxLength: 25 }), fc.array(fc.nat(), { maxLength: 2 }), (chunks, splits) => {
      decodeAndRender(traceOf(chunks, splits));
    }), { ...RUNS, examples: [[[prototypeKey], []]] });
  });

  it("valid WebSocket framing with random payloads and random opcodes after a real upgrade", () => {
    const frameSpec = fc.record({
      payload: fc.uint8Array({ maxLength: 300 }),
      opcode: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(0, 1, 2, 8, 9, 10) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 15 }) }),
      fin: fc.boolean(),
      rsv: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 7 }) }),
      masked: fc.boolean(),
    });
    fc.assert(fc.property(fc.array(frameSpec, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 8 }), (frames, splits) => {
      const head = SESSION.slice(6, 8).map((s) => ({ conn: 1, dir: s.dir, data: s.data, cut: 0 }) satisfies Piece);
      const body = frames.map((f, i): Piece => ({
        conn: 1,
        dir: i % 3 === 2 ? "out" : "in",
        data: wsFrame(f.payload, { opcode: f.opcode, fin: f.fin, rsv: f.rsv, mask: f.masked ? [1, 2, 3, 4] : false }),
        cut: 0,
      }));
      const pieces: Piece[] = [...head];
      for (const piece of body) {
        const at = splits.length ? splits[pieces.length % splits.length] % (piece.data.length + 1) : 0;
        if (at > 0 && at < piece.data.length) pieces.push({ ...piece, data: piece.data.subarray(0, at) }, { ...piece, data: piece.data.subarray(at) });
        else pieces.push(piece);
      }
      const messages = decodeAndRender(traceOf(toChunks(pieces), splits));
      expect(messages.filter((m) => m.layers[0]?.kind === "ws-frame").length).toBeGreaterThan(frames.length > 0 ? 0 : -1);
    }), RUNS);
  });

  it("huge declared lengths, deep JSON and long batches stay cheap", () => {
    const deep = `42["ev",${"[".repeat(50_000)}${"]".repeat(50_000)}]`;
    const batch = Array.from({ length: 3000 }, (_, i) => `4${i}`).join("\x1e");
    const pieces: Piece[] = [
      ...SESSION.slice(6, 8).map((s) => ({ conn: 1, dir: s.dir, data: s.data, cut: 0 })),
      { conn: 1, dir: "in", data: clientFrame(deep), cut: 0 },
      { conn: 1, dir: "in", data: wsFrame("x", { mask: [1, 2, 3, 4], declaredLength: 2n ** 62n }), cut: 0 },
      { conn: 2, dir: "in", data: httpMessage("POST /socket.io/?EIO=4&transport=polling&sid=abc HTTP/1.1", [], batch), cut: 0 },
      { conn: 3, dir: "in", data: latin1(`POST /x HTTP/1.1\r\nContent-Length: 999999999999\r\n\r\nabc`), cut: 5_000_000 },
    ];
    const messages = decodeAndRender(traceOf(toChunks(pieces), [2]));
    expect(messages.some((m) => m.layers.some((l) => l.kind === "socket.io" && l.packets[0]?.event === "ev"))).toBe(true);
  });
});
