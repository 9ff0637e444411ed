import { describe, expect, it } from "vitest";
import type { Chunk } from "../../src/trace/model.js";
import { createConnectionDecoder, decodeChunks } from "../../src/wire/index.js";
import type { EngineLayer, HttpRequestLayer, HttpResponseLayer, SocketLayer, WireMessage, WsFrameLayer } from "../../src/wire/index.js";
import { chunkSequence, clientFrame, closePayload, httpMessage, join, wsFrame } from "./helpers.js";

const SID = "hAuMzKzR9dAhhbL9AAAB";
const OPEN = `0{"sid":"${SID}","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}`;
const base = "/socket.io/?EIO=4&transport=polling";

function engine(m: WireMessage): EngineLayer {
  return m.layers.find((l) => l.kind === "engine.io") as EngineLayer;
}
function socket(m: WireMessage): SocketLayer {
  return m.layers.find((l) => l.kind === "socket.io") as SocketLayer;
}
function ws(m: WireMessage): WsFrameLayer {
  return m.layers[0] as WsFrameLayer;
}

/** A polling handshake on connection 1, then the WebSocket upgrade on connection 2. */
function session(): { polling: WireMessage[]; websocket: WireMessage[] } {
  const next = chunkSequence();
  const polling = createConnectionDecoder(1);
  const p: WireMessage[] = [];
  p.push(...polling.push(next("in", httpMessage(`GET ${base}&t=PA1 HTTP/1.1`, ["Host: localhost:3000", "Connection: keep-alive"]), 11)));
  p.push(...polling.push(next("out", httpMessage("HTTP/1.1 200 OK", ["Content-Type: text/plain; charset=UTF-8"], OPEN), 12)));
  p.push(...polling.push(next("in", httpMessage(`POST ${base}&t=PA2&sid=${SID} HTTP/1.1`, ["Host: localhost:3000", "Content-Type: text/plain;charset=UTF-8"], "40"))));
  p.push(...polling.push(next("out", httpMessage("HTTP/1.1 200 OK", ["Content-Type: text/html"], "ok"))));
  p.push(...polling.push(next("in", httpMessage(`GET ${base}&t=PA3&sid=${SID} HTTP/1.1`, ["Host: localhost:3000"]))));
  p.push(...polling.push(next("out", httpMessage("HTTP/1.1 200 OK", ["Content-Type: text/plain; charset=UTF-8"], `40{"sid":"Kx2pnWeLd1y0JXBWAAAC"}`))));
  p.push(...polling.end());

  const wsConn = createConnectionDecoder(2);
  const w: WireMessage[] = [];
  const upgrade = httpMessage(`GET /socket.io/?EIO=4&transport=websocket&sid=${SID} HTTP/1.1`, [
    "Host: localhost:3000", "Connection: Upgrade", "Upgrade: websocket",
    "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
  ]);
  w.push(...wsConn.push(next("in", upgrade)));
  const switched = httpMessage("HTTP/1.1 101 Switching Protocols", [
    "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
  ]);
  w.push(...wsConn.push(next("out", switched)));
  w.push(...wsConn.push(next("in", clientFrame("2probe"))));
  w.push(...wsConn.push(next("out", wsFrame("3probe"))));
  // Two frames in one chunk, the second split across chunks.
  const event = clientFrame('420["chat message","hi"]');
  w.push(...wsConn.push(next("in", join(clientFrame("5"), event.subarray(0, 9)))));
  w.push(...wsConn.push(next("in", event.subarray(9))));
  w.push(...wsConn.push(next("out", wsFrame('430["got it"]'))));
  w.push(...wsConn.push(next("out", wsFrame("2"))));
  w.push(...wsConn.push(next("in", clientFrame("3"))));
  w.push(...wsConn.push(next("in", clientFrame(closePayload(1000, "bye"), { opcode: 8 }))));
  w.push(...wsConn.push(next("out", wsFrame(closePayload(1000), { opcode: 8 }))));
  w.push(...wsConn.end());
  return { polling: p, websocket: w };
}

describe("a realistic socket.io session through createConnectionDecoder", () => {
  const { polling, websocket } = session();

  it("decodes the polling handshake, the namespace connect and its answer", () => {
    expect(polling.map((m) => m.raw)).toEqual([
      `GET ${base}&t=PA1 HTTP/1.1`,
      "HTTP/1.1 200 OK",
      `POST ${base}&t=PA2&sid=${SID} HTTP/1.1`,
      "HTTP/1.1 200 OK",
      `GET ${base}&t=PA3&sid=${SID} HTTP/1.1`,
      "HTTP/1.1 200 OK",
    ]);
    expect(polling.every((m) => m.malformed === undefined)).toBe(true);
    const [get, open, post, ok, , connected] = polling;
    expect(get).toMatchObject({ conn: 1, dir: "in", firstChunk: 1, lastChunk: 1, time: 5, call: 11 });
    expect(get.layers).toHaveLength(1);
    expect(open).toMatchObject({ dir: "out", call: 12 });
    expect(engine(open).packets).toEqual([{ type: 0, name: "open", data: OPEN.slice(1) }]);
    expect(socket(open)).toBeUndefined();
    expect((post.layers[0] as HttpRequestLayer).body).toBe("40");
    expect(engine(post).packets[0]).toMatchObject({ name: "message", data: "0" });
    expect(socket(post).packets).toEqual([{ type: 0, name: "CONNECT", nsp: "/", data: "" }]);
    expect(ok.layers).toHaveLength(1); // the POST's "ok" is not Engine.IO
    expect(socket(connected).packets[0]).toMatchObject({ name: "CONNECT", data: '{"sid":"Kx2pnWeLd1y0JXBWAAAC"}' });
  });

  it("switches both directions to WebSocket at the upgrade", () => {
    const [upgrade, switched] = websocket;
    expect(upgrade.raw).toBe(`GET /socket.io/?EIO=4&transport=websocket&sid=${SID} HTTP/1.1`);
    expect(switched.raw).toBe("HTTP/1.1 101 Switching Protocols");
    expect((switched.layers[0] as HttpResponseLayer).status).toBe(101);
    expect(websocket.slice(2).every((m) => m.layers[0].kind === "ws-frame")).toBe(true);
  });

  it("decodes probe, upgrade, event with ack, ack, ping/pong and close", () => {
    const frames = websocket.slice(2);
    expect(frames.map((m) => `${m.dir} ${m.raw}`)).toEqual([
      "in 2probe", "out 3probe", "in 5", 'in 420["chat message","hi"]', 'out 430["got it"]',
      "out 2", "in 3", "in 1000 bye", "out 1000",
    ]);
    expect(frames.every((m) => m.malformed === undefined)).toBe(true);
    const [probe, probeAnswer, upgradePacket, event, ack, ping, pong, clientClose, serverClose] = frames;
    expect(ws(probe)).toMatchObject({ opcodeName: "text", masked: true, maskKey: "37fa213d", payload: "2probe", lengthBits: 7 });
    expect(ws(probeAnswer).masked).toBe(false);
    expect(engine(probe).packets[0]).toEqual({ type: 2, name: "ping", data: "probe" });
    expect(engine(probeAnswer).packets[0]).toEqual({ type: 3, name: "pong", data: "probe" });
    expect(engine(upgradePacket).packets[0]).toEqual({ type: 5, name: "upgrade", data: "" });
    expect(event.firstChunk).toBe(event.lastChunk - 1);
    expect(socket(event).packets[0]).toEqual({
      type: 2, name: "EVENT", nsp: "/", id: 0, event: "chat message", data: '["chat message","hi"]',
    });
    expect(socket(ack).packets[0]).toEqual({ type: 3, name: "ACK", nsp: "/", id: 0, data: '["got it"]' });
    expect(engine(ping).packets[0].name).toBe("ping");
    expect(engine(pong).packets[0].name).toBe("pong");
    expect(ws(clientClose)).toMatchObject({ opcodeName: "close", closeCode: 1000, closeReason: "bye" });
    expect(clientClose.layers).toHaveLength(1);
    expect(ws(serverClose)).toMatchObject({ closeCode: 1000, closeReason: "" });
  });

  it("decodes the same bytes from trace chunks in wire order", () => {
    const next = chunkSequence();
    const a = next("in", httpMessage(`GET ${base}&t=1 HTTP/1.1`, ["Host: x"]));
    const b = next("in", httpMessage(`GET ${base}&t=2 HTTP/1.1`, ["Host: x"]));
    const c = next("out", httpMessage("HTTP/1.1 200 OK", [], OPEN));
    const d = next("out", httpMessage("HTTP/1.1 200 OK", [], OPEN));
    const toChunk = (x: typeof a, conn: number): Chunk => ({
      seq: x.seq, conn, dir: x.dir, time: x.time, size: x.bytes.length, data: Buffer.from(x.bytes).toString("base64"),
    });
    const chunks = [toChunk(d, 8), toChunk(b, 8), toChunk(a, 7), toChunk(c, 7)];
    const messages = decodeChunks(chunks);
    expect(messages.map((m) => [m.conn, m.firstChunk])).toEqual([[7, 1], [8, 2], [7, 3], [8, 4]]);
    expect(messages.every((m) => m.malformed === undefined)).toBe(true);
    expect(engine(messages[2]).packets[0].name).toBe("open");
  });
});
