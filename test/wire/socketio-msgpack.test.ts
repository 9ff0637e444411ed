/**
 * socket.io-msgpack-parser's packets on the wire: one binary message each, the msgpack of the
 * packet object. Encoded here with the parser's own Encoder (the one an app loads), decoded as
 * packets, not as attachments with no header; what the parser's Decoder refuses stays malformed.
 */
import { createRequire } from "node:module";
import { encode } from "notepack.io";
import { describe, expect, it } from "vitest";
import { createSocketStream } from "../../src/wire/socketio.js";
import { msgpackPacket } from "../../src/wire/socketio-msgpack.js";

const require = createRequire(import.meta.url);
const { Encoder } = require("socket.io-msgpack-parser") as { Encoder: new () => { encode(packet: object): Uint8Array[] } };

const wire = (packet: object): Uint8Array => new Encoder().encode(packet)[0];

describe("socket.io-msgpack-parser packets", () => {
  it.each([
    [{ type: 0, nsp: "/", data: { token: "t" } }, { type: 0, name: "CONNECT", nsp: "/", data: '{"token":"t"}' }],
    [{ type: 2, nsp: "/", data: ["add", 2, 3], id: 4 }, { type: 2, name: "EVENT", nsp: "/", id: 4, event: "add", data: '["add",2,3]' }],
    [{ type: 3, nsp: "/chat", data: [5], id: 4 }, { type: 3, name: "ACK", nsp: "/chat", id: 4, data: "[5]" }],
    [{ type: 1, nsp: "/" }, { type: 1, name: "DISCONNECT", nsp: "/", data: "" }],
    [{ type: 4, nsp: "/", data: { message: "no" } }, { type: 4, name: "CONNECT_ERROR", nsp: "/", data: '{"message":"no"}' }],
  ])("decodes %j as the app reads it", (packet, shown) => {
    const layer = createSocketStream().decode([wire(packet)]);
    expect(layer?.packets[0]).toEqual({ ...shown, encoding: "msgpack" });
    expect(layer?.malformed).toBeUndefined();
  });

  it.each([
    ["a packet type the parser refuses", { type: 5, nsp: "/", data: ["x"] }],
    ["a namespace that is not a string", { type: 2, nsp: 3, data: ["x"] }],
    ["an EVENT whose data is no array", { type: 2, nsp: "/", data: "x" }],
    ["an id that is no integer", { type: 2, nsp: "/", data: ["x"], id: 1.5 }],
  ])("leaves %s malformed, as the parser's Decoder throws on it", (_why, packet) => {
    expect(msgpackPacket(encode(packet))).toBeUndefined();
    expect(createSocketStream().decode([encode(packet)])?.packets[0]).toMatchObject({ name: "ATTACHMENT", malformed: expect.any(String) });
  });

  it("an attachment the default parser announced is still an attachment, not a msgpack packet", () => {
    const stream = createSocketStream();
    stream.decode(['51-["up",{"_placeholder":true,"num":0}]']);
    expect(stream.decode([wire({ type: 2, nsp: "/", data: ["x"] })])?.packets[0]).toMatchObject({ name: "BINARY_EVENT", attachment: 0 });
  });
});
