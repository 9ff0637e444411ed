import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { createConnectionDecoder, decodeChunks } from "../../src/wire/index.js";
import type { EngineLayer, HttpRequestLayer, SocketLayer, WireMessage, WsFrameLayer } from "../../src/wire/index.js";
import { bytes, chunked, chunkSequence, clientFrame, httpMessage, join, latin1, wsFrame } from "./helpers.js";

const POLL = "/socket.io/?EIO=4&transport=polling&sid=s1";
const layer = <K extends WireMessage["layers"][number]["kind"]>(m: WireMessage, kind: K) =>
  m.layers.find((l) => l.kind === kind) as Extract<WireMessage["layers"][number], { kind: K }> | undefined;

/** A connection already upgraded to WebSocket for Engine.IO. */
function upgraded(path = "/socket.io/?EIO=4&transport=websocket") {
  const next = chunkSequence();
  const decoder = createConnectionDecoder(3);
  decoder.push(next("in", httpMessage(`GET ${path} HTTP/1.1`, ["Connection: Upgrade", "Upgrade: websocket"])));
  decoder.push(next("out", httpMessage("HTTP/1.1 101 Switching Protocols", ["Connection: Upgrade", "Upgrade: websocket"])));
  return { decoder, next };
}

describe("createConnectionDecoder", () => {
  it("decodes a polling batch in a GET response, with a namespace and an ack id", () => {
    const next = chunkSequence();
    const d = createConnectionDecoder(1);
    d.push(next("in", httpMessage(`GET ${POLL} HTTP/1.1`)));
    const [m] = d.push(next("out", httpMessage("HTTP/1.1 200 OK", [], '40/admin,{"sid":"x"}\x1e42/admin,5["tick",1]\x1e2')));
    expect((layer(m, "engine.io") as EngineLayer).packets.map((p) => p.name)).toEqual(["message", "message", "ping"]);
    expect((layer(m, "socket.io") as SocketLayer).packets.map((p) => [p.name, p.nsp, p.id, p.event])).toEqual([
      ["CONNECT", "/admin", undefined, undefined], ["EVENT", "/admin", 5, "tick"],
    ]);
  });

  it("decodes a chunked, gzip-encoded polling response", () => {
    const next = chunkSequence();
    const d = createConnectionDecoder(1);
    d.push(next("in", httpMessage(`GET ${POLL} HTTP/1.1`, ["Accept-Encoding: gzip"])));
    const zipped = gzipSync(Buffer.from('42["big",' + JSON.stringify("z".repeat(2000)) + "]"));
    const body = join(latin1(`${zipped.length.toString(16)}\r\n`), zipped, latin1("\r\n0\r\n\r\n"));
    const head = latin1("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n");
    const [m] = d.push(next("out", join(head, body)));
    expect(m.malformed).toBeUndefined();
    expect((layer(m, "socket.io") as SocketLayer).packets[0]).toMatchObject({ event: "big" });
  });

  it("decodes a polling POST with a chunked body and keeps non-Engine.IO traffic plain", () => {
    const next = chunkSequence();
    const d = createConnectionDecoder(1);
    const post = join(latin1(`POST ${POLL} HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n`), latin1(chunked(['42["a"]', '\x1e42["b"]'])));
    const [m] = d.push(next("in", post));
    expect((layer(m, "socket.io") as SocketLayer).packets.map((p) => p.event)).toEqual(["a", "b"]);
    const [plain] = d.push(next("in", httpMessage("POST /api?EIO=3 HTTP/1.1", [], "40")));
    expect(plain.layers.map((l) => l.kind)).toEqual(["http-request"]);
  });

  it("carries a BINARY_EVENT and its attachments over WebSocket frames", () => {
    const { decoder, next } = upgraded();
    const header = decoder.push(next("in", clientFrame('451-["upload",{"_placeholder":true,"num":0}]')));
    const attachment = decoder.push(next("in", clientFrame(bytes([0xca, 0xfe]), { opcode: 2 })));
    expect((layer(header[0], "socket.io") as SocketLayer).packets[0]).toMatchObject({ name: "BINARY_EVENT", attachments: 1, event: "upload" });
    expect(attachment[0].raw).toBe("<binary 2 bytes> ca fe");
    expect((layer(attachment[0], "engine.io") as EngineLayer).packets[0]).toMatchObject({ name: "message", binary: true });
    expect((layer(attachment[0], "socket.io") as SocketLayer).packets[0]).toMatchObject({ name: "BINARY_EVENT", attachment: 0, attachments: 1 });
  });

  it("decodes a fragmented message on its final frame", () => {
    const { decoder, next } = upgraded();
    const first = decoder.push(next("in", clientFrame("42[", { fin: false })));
    const last = decoder.push(next("in", clientFrame('"split"]', { opcode: 0 })));
    expect(first[0].layers).toHaveLength(1);
    expect((layer(last[0], "ws-frame") as WsFrameLayer).fragments).toBe(2);
    expect((layer(last[0], "socket.io") as SocketLayer).packets[0].event).toBe("split");
  });

  it("inflates permessage-deflate payloads, and says why when it cannot", () => {
    const next = chunkSequence();
    const d = createConnectionDecoder(1);
    d.push(next("in", httpMessage("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1", ["Connection: Upgrade", "Upgrade: websocket"])));
    d.push(next("out", httpMessage("HTTP/1.1 101 Switching Protocols", ["Upgrade: websocket", "Sec-WebSocket-Extensions: permessage-deflate"])));
    // "3" compressed: a fixed-Huffman block, as a sender emits it (the 00 00 ff ff tail removed).
    const [pong] = d.push(next("out", wsFrame(bytes([0x32, 0x06, 0x00]), { rsv: 4 })));
    expect(pong.malformed).toBeUndefined();
    expect((layer(pong, "engine.io") as EngineLayer).packets.map((p) => p.name)).toEqual(["pong"]);
    const [bad] = d.push(next("out", wsFrame(bytes([0xff, 0xff, 0xff]), { rsv: 4 })));
    expect(layer(bad, "engine.io")?.malformed).toMatch(/^not inflated: /);
  });

  it("does not decode WebSocket traffic that is not Engine.IO", () => {
    const { decoder, next } = upgraded("/chat");
    const [m] = decoder.push(next("in", clientFrame("42[\"x\"]")));
    expect(m.layers.map((l) => l.kind)).toEqual(["ws-frame"]);
  });

  it("escapes control characters and cuts raw text at 160 characters", () => {
    const { decoder, next } = upgraded();
    const [m] = decoder.push(next("out", wsFrame(`4a\x1eb\x1b[31m\u202e${"x".repeat(300)}`)));
    expect(m.raw).toBe(`4a\\x1eb\\x1b[31m\\u202e${"x".repeat(160 - 21)}… 161 more`);
  });

  it("shows the rest of a direction as one opaque message per chunk after malformed HTTP", () => {
    const next = chunkSequence();
    const d = createConnectionDecoder(1);
    const bad = d.push(next("in", latin1("\x00\x01garbage\r\nmore")));
    const later = d.push(next("in", bytes("GET / HTTP/1.1\r\n\r\n")));
    expect(bad.map((m) => m.malformed)).toEqual(["not an HTTP request line", "after malformed HTTP: not an HTTP request line"]);
    expect(bad[1]).toMatchObject({ raw: "more", layers: [] });
    expect(later).toHaveLength(1);
    expect(later[0]).toMatchObject({ raw: "GET / HTTP/1.1\\r\\n\\r\\n", size: 18, layers: [] });
    // The other direction is not affected.
    expect(d.push(next("out", httpMessage("HTTP/1.1 400 Bad Request", [], "{}")))[0].malformed).toBeUndefined();
  });

  it("does not decode a protocol other than WebSocket after a 101", () => {
    const next = chunkSequence();
    const d = createConnectionDecoder(1);
    d.push(next("in", httpMessage("GET / HTTP/1.1", ["Connection: Upgrade", "Upgrade: h2c"])));
    const out = d.push(next("out", join(httpMessage("HTTP/1.1 101 Switching Protocols", ["Upgrade: h2c"]), bytes("PRI"))));
    expect(out.map((m) => m.malformed)).toEqual([undefined, 'not decoded: connection switched to "h2c"']);
  });

  it("spans first and last chunk, time and call of a message", () => {
    const next = chunkSequence();
    const d = createConnectionDecoder(1);
    const data = httpMessage(`POST ${POLL} HTTP/1.1`, [], '42["x"]');
    expect(d.push(next("in", data.subarray(0, 10), 77))).toEqual([]);
    const [m] = d.push(next("in", data.subarray(10), 78));
    expect(m).toMatchObject({ conn: 1, dir: "in", firstChunk: 1, lastChunk: 2, time: 5, call: 77, size: data.length });
  });

  it("counts bytes the capture cut and does not decode what it lost", () => {
    const data = httpMessage(`POST ${POLL} HTTP/1.1`, [], `42["${"x".repeat(500)}"]`);
    const cut = data.subarray(0, 100);
    const [m] = decodeChunks([{ seq: 1, conn: 4, dir: "in", time: 0, size: data.length, truncated: true, data: Buffer.from(cut).toString("base64") }]);
    expect(m.size).toBe(data.length);
    expect((m.layers[0] as HttpRequestLayer).bodySize).toBe(506);
    expect(layer(m, "engine.io")?.malformed).toMatch(/^not decoded: \d+ of 506 bytes missing$/);
  });

  it("flushes a message cut by the end of the connection", () => {
    const { decoder, next } = upgraded();
    decoder.push(next("out", wsFrame("4hello").subarray(0, 4)));
    const [m] = decoder.end();
    expect(m.malformed).toBe("connection ended after 2 of 6 payload bytes");
    expect(m.layers).toHaveLength(1);
  });
});
