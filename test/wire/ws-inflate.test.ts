import { constants, createDeflateRaw, deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { createConnectionDecoder } from "../../src/wire/index.js";
import type { EngineLayer, SocketLayer, WireMessage } from "../../src/wire/index.js";
import { deflateParams, HISTORY_LIMIT, WsInflater } from "../../src/wire/ws-inflate.js";
import type { WsMessage } from "../../src/wire/websocket.js";
import { chunkSequence, clientFrame, httpMessage, wsFrame } from "./helpers.js";

/**
 * Compresses messages as a permessage-deflate sender does: one raw deflate
 * stream (its window kept across messages unless `reset`), a sync flush after
 * each message, and the trailing 00 00 ff ff removed.
 */
async function compressAll(texts: readonly string[], reset = false): Promise<Uint8Array[]> {
  if (reset) return texts.map((t) => strip(deflateRawSync(Buffer.from(t), { finishFlush: constants.Z_SYNC_FLUSH })));
  const stream = createDeflateRaw();
  const out: Uint8Array[] = [];
  for (const text of texts) {
    const parts: Buffer[] = [];
    const onData = (d: Buffer): void => void parts.push(d);
    stream.on("data", onData);
    stream.write(Buffer.from(text));
    await new Promise<void>((resolve) => stream.flush(constants.Z_SYNC_FLUSH, () => resolve()));
    stream.off("data", onData);
    out.push(strip(Buffer.concat(parts)));
  }
  stream.destroy();
  return out;
}

function strip(data: Uint8Array): Uint8Array {
  const n = data.length;
  expect([...data.subarray(n - 4)]).toEqual([0, 0, 0xff, 0xff]);
  return data.subarray(0, n - 4);
}

const message = (data: Uint8Array, complete = true): WsMessage => ({ text: true, data, size: complete ? data.length : data.length + 10, complete, compressed: true });
const text = (plain: Uint8Array | string): string => (typeof plain === "string" ? `ERROR ${plain}` : Buffer.from(plain).toString());

describe("deflateParams", () => {
  it("reads what the server accepted, per direction", () => {
    expect(deflateParams("permessage-deflate; client_no_context_takeover; server_max_window_bits=10", "in")).toEqual({ noContextTakeover: true });
    expect(deflateParams("permessage-deflate; client_no_context_takeover; server_max_window_bits=10", "out")).toEqual({ noContextTakeover: false });
    expect(deflateParams("x-webkit-deflate-frame, permessage-deflate;server_no_context_takeover", "out")).toEqual({ noContextTakeover: true });
    expect(deflateParams("", "in")).toBeUndefined();
    expect(deflateParams("permessage-deflatex", "in")).toBeUndefined();
  });
});

describe("WsInflater", () => {
  it("inflates messages that refer back into earlier ones (context takeover)", async () => {
    const texts = ['42["chat message","hello hello hello"]', '42["chat message","hello hello hello"]', "2", '42["chat message","hello again"]'];
    const compressed = await compressAll(texts);
    // The repeat is a back-reference into the first message: alone, it does not inflate to the text.
    expect(compressed[1].length).toBeLessThan(compressed[0].length);
    expect(text(new WsInflater({ noContextTakeover: true }).inflate(message(compressed[1])))).not.toBe(texts[1]);
    const inflater = new WsInflater({ noContextTakeover: false });
    expect(compressed.map((c) => text(inflater.inflate(message(c))))).toEqual(texts);
  });

  it("inflates each message alone when the sender resets its window", async () => {
    const texts = ['42["a"]', '42["a"]'];
    const inflater = new WsInflater({ noContextTakeover: true });
    expect((await compressAll(texts, true)).map((c) => text(inflater.inflate(message(c))))).toEqual(texts);
  });

  it("says why, and stops for later messages, when a message was not captured whole", async () => {
    const [first, second] = await compressAll(['42["one"]', '42["two"]']);
    const inflater = new WsInflater({ noContextTakeover: false });
    expect(inflater.inflate(message(first, false))).toMatch(/^not inflated: 10 of \d+ compressed bytes not captured$/);
    expect(inflater.inflate(message(second))).toMatch(/earlier compressed message was not captured whole/);
  });

  it("reports garbage as not inflated instead of throwing", () => {
    const inflater = new WsInflater({ noContextTakeover: false });
    expect(inflater.inflate(message(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x07)))).toMatch(/^not inflated: /);
    expect(inflater.inflate(message(Uint8Array.of(1)))).toMatch(/^not inflated: /);
  });

  it("bounds the history it replays", async () => {
    const inflater = new WsInflater({ noContextTakeover: false });
    const random = Uint8Array.from({ length: 64 * 1024 }, (_, i) => (i * 2654435761) >>> 24);
    const big = strip(deflateRawSync(random, { finishFlush: constants.Z_SYNC_FLUSH, level: 0 }));
    let last: Uint8Array | string = "";
    for (let i = 0; i * big.length <= HISTORY_LIMIT + big.length; i++) last = inflater.inflate(message(big));
    expect(last).toMatch(/more than \d+ compressed bytes in this direction/);
  });
});

describe("permessage-deflate on a traced connection", () => {
  it("decodes compressed frames in both directions down to Socket.IO", async () => {
    const next = chunkSequence();
    const d = createConnectionDecoder(1);
    d.push(next("in", httpMessage("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1", ["Connection: Upgrade", "Upgrade: websocket", "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits"])));
    d.push(next("out", httpMessage("HTTP/1.1 101 Switching Protocols", ["Upgrade: websocket", "Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover"])));
    const fromServer = await compressAll(['40{"sid":"abc"}', '42["chat message","hi"]']);
    const fromClient = await compressAll(['42["chat message","hi"]'], true);
    const decoded: WireMessage[] = [
      ...d.push(next("out", wsFrame(fromServer[0], { rsv: 4 }))),
      ...d.push(next("in", clientFrame(fromClient[0], { rsv: 4 }))),
      ...d.push(next("out", wsFrame(fromServer[1], { rsv: 4 }))),
    ];
    const socket = decoded.map((m) => (m.layers.find((l) => l.kind === "socket.io") as SocketLayer | undefined)?.packets[0]);
    expect(socket.map((p) => [p?.name, p?.event])).toEqual([["CONNECT", undefined], ["EVENT", "chat message"], ["EVENT", "chat message"]]);
    const engine = decoded[2].layers.find((l) => l.kind === "engine.io") as EngineLayer;
    expect(engine.malformed).toBeUndefined();
    expect(decoded.every((m) => m.malformed === undefined)).toBe(true);
  });
});

describe("WsInflater, property-based", () => {
  it("gives back every message of a real deflate stream, whatever the messages", async () => {
    const fc = (await import("fast-check")).default;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: "grapheme", maxLength: 300 }), { minLength: 1, maxLength: 12 }), fc.boolean(), async (texts, reset) => {
        const compressed = await compressAll(texts, reset);
        const inflater = new WsInflater({ noContextTakeover: reset });
        expect(compressed.map((c) => text(inflater.inflate(message(c))))).toEqual(texts);
      }),
      { numRuns: 60 },
    );
  });

  it("never throws on mutated compressed bytes, and answers bytes or a reason", async () => {
    const fc = (await import("fast-check")).default;
    const compressed = await compressAll(['42["chat message","hello hello"]', '42["chat message","hello again"]', "3"]);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(2), fc.nat(64), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), (edits) => {
        const copies = compressed.map((c) => c.slice());
        for (const [which, at, value] of edits) if (copies[which].length) copies[which][at % copies[which].length] = value;
        const inflater = new WsInflater({ noContextTakeover: false });
        for (const c of copies) {
          const out = inflater.inflate(message(c));
          expect(typeof out === "string" ? out.startsWith("not inflated") : out instanceof Uint8Array).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
