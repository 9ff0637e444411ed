import { describe, expect, it } from "vitest";
import { createSocketStream } from "../../src/wire/socketio.js";
import type { SocketPacket } from "../../src/wire/types.js";
import { bytes } from "./helpers.js";

function one(text: string): SocketPacket {
  const layer = createSocketStream().decode([text]);
  if (!layer) throw new Error("no layer");
  return layer.packets[0];
}

describe("Socket.IO packets", () => {
  it.each([
    ["0", { type: 0, name: "CONNECT", nsp: "/", data: "" }],
    ['0/admin,{"token":"abc"}', { type: 0, name: "CONNECT", nsp: "/admin", data: '{"token":"abc"}' }],
    ["1/admin,", { type: 1, name: "DISCONNECT", nsp: "/admin", data: "" }],
    ['2["chat message","hi"]', { type: 2, name: "EVENT", nsp: "/", event: "chat message", data: '["chat message","hi"]' }],
    ['2/admin,17["ev",{"a":[1,true,null]}]', { type: 2, name: "EVENT", nsp: "/admin", id: 17, event: "ev", data: '["ev",{"a":[1,true,null]}]' }],
    ['3/admin,17["ok"]', { type: 3, name: "ACK", nsp: "/admin", id: 17, data: '["ok"]' }],
    ['4{"message":"Not authorized"}', { type: 4, name: "CONNECT_ERROR", nsp: "/", data: '{"message":"Not authorized"}' }],
    ['2[42,"numeric event"]', { type: 2, name: "EVENT", nsp: "/", event: "42", data: '[42,"numeric event"]' }],
  ])("decodes %j", (text, expected) => {
    expect(one(text)).toEqual(expected);
  });

  it("shows a BINARY_EVENT header and marks the binary messages after it as its attachments", () => {
    const stream = createSocketStream();
    const header = '52-/admin,9["upload",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]';
    const layer = stream.decode([header, bytes([1, 2, 3])]);
    expect(layer?.packets).toEqual([
      {
        type: 5, name: "BINARY_EVENT", nsp: "/admin", id: 9, event: "upload", attachments: 2,
        data: '["upload",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]',
      },
      { type: 5, name: "BINARY_EVENT", nsp: "/admin", id: 9, event: "upload", attachments: 2, attachment: 0, data: "<binary 3 bytes> 01 02 03" },
    ]);
    // The second attachment arrives in a later Engine.IO message.
    expect(stream.decode([bytes([4])])?.packets[0]).toMatchObject({ attachment: 1, attachments: 2, data: "<binary 1 byte> 04" });
    expect(stream.decode(['2["next"]'])?.packets[0]).toMatchObject({ name: "EVENT", event: "next" });
  });

  it("decodes a BINARY_ACK and its attachment", () => {
    const layer = createSocketStream().decode(['61-3[{"_placeholder":true,"num":0}]', bytes([9])]);
    expect(layer?.packets.map((p) => [p.type, p.name, p.id, p.attachments, p.attachment])).toEqual([
      [6, "BINARY_ACK", 3, 1, undefined], [6, "BINARY_ACK", 3, 1, 0],
    ]);
    expect(layer?.malformed).toBeUndefined();
  });

  it.each([
    ["9", "unknown packet type 9"],
    ["x", "unknown packet type NaN"],
    ['2["connect"]', "invalid payload"],
    ["2[]", "invalid payload"],
    ["2{not json", "invalid payload"],
    ["1{}", "invalid payload"],
    ['0"string"', "invalid payload"],
    ['50-["a"]', "Illegal attachments"],
    ['511-["a"]', "too many attachments"],
  ])("reports %j as malformed: %s", (text, reason) => {
    expect(one(text)).toMatchObject({ malformed: reason });
  });

  it("reports binary data without a binary packet before it", () => {
    const layer = createSocketStream().decode([bytes([1])]);
    expect(layer?.packets[0]).toMatchObject({ type: -1, name: "ATTACHMENT", malformed: "got binary data when not reconstructing a packet" });
  });

  it("reports text that arrives while attachments are still expected, and decodes it", () => {
    const stream = createSocketStream();
    stream.decode(['51-["up",{"_placeholder":true,"num":0}]']);
    const packet = stream.decode(['2["other"]'])?.packets[0];
    expect(packet).toMatchObject({ name: "EVENT", event: "other", malformed: "BINARY_EVENT before it still expected 1 attachment(s)" });
  });

  it("reports a placeholder that points past the attachments", () => {
    const layer = createSocketStream().decode(['51-["up",{"_placeholder":true,"num":5}]', bytes([1])]);
    expect(layer?.packets[1]).toMatchObject({ attachment: 0, malformed: "illegal attachments" });
    expect(layer?.malformed).toBe("packet 2 of 2: illegal attachments");
  });

  it("reports an Engine.IO message without data", () => {
    expect(createSocketStream().decode([undefined])?.packets[0].malformed).toBe("empty Engine.IO message (no Socket.IO packet)");
  });

  it("keeps going after an error with a fresh decoder", () => {
    const stream = createSocketStream();
    expect(stream.decode(["2{bad"])?.packets[0].malformed).toBe("invalid payload");
    expect(stream.decode(['2["fine"]'])?.packets[0]).toMatchObject({ event: "fine" });
  });

  it("mirrors socket.io-parser's odd but accepted readings", () => {
    // Whitespace reads as ack id 0, a namespace without a comma swallows the data,
    // and an empty message is a CONNECT.
    expect(one('2 ["a"]')).toMatchObject({ id: 0, event: "a" });
    expect(one('2/admin["a"]')).toMatchObject({ nsp: '/admin["a"]', data: "" });
    expect(one("")).toMatchObject({ name: "CONNECT", nsp: "/" });
  });

  it("bounds deep and huge data", () => {
    const deep = `2["deep",${"[".repeat(50_000)}${"]".repeat(50_000)}]`;
    expect(one(deep).data).toBe(`["deep",${"[".repeat(11)}[… 1 more]${"]".repeat(11)}]`);
    const huge = one(`2["big","${"x".repeat(1_000_000)}"]`);
    expect(huge.data).toBe(`["big","${"x".repeat(200)}… 999800 more"]`);
    expect(one(`2["${"e".repeat(1000)}"]`).event).toBe(`${"e".repeat(200)}… 800 more`);
  });
});
