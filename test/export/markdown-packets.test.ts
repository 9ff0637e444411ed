import { describe, expect, it } from "vitest";
import { cutData, messageKind, messageLine } from "../../src/export/markdown-packets.js";
import type { WireMessage } from "../../src/wire/types.js";

function wsMessage(engine: { type: number; name: string; data: string; binary?: boolean }[], socket: WireMessage["layers"][number][] = []): WireMessage {
  return {
    conn: 3,
    dir: "in",
    firstChunk: 1,
    lastChunk: 1,
    time: 0,
    size: 10,
    raw: "",
    layers: [
      { kind: "ws-frame", fin: true, rsv: 0, opcode: 1, opcodeName: "text", masked: true, payloadLength: 2, lengthBits: 7 } as WireMessage["layers"][number],
      { kind: "engine.io", packets: engine },
      ...socket,
    ],
  };
}

describe("messageLine", () => {
  it("names a Socket.IO packet by its wire code and what it is, namespace and ack id included", () => {
    const disconnect = wsMessage([{ type: 4, name: "message", data: "1" }], [{ kind: "socket.io", packets: [{ type: 1, name: "DISCONNECT", nsp: "/", data: "" }] }]);
    expect(messageLine(disconnect)).toBe("41 (disconnect /)");
    const admin = wsMessage([{ type: 4, name: "message", data: '2/admin,7["hi"]' }], [{ kind: "socket.io", packets: [{ type: 2, name: "EVENT", nsp: "/admin", id: 7, data: '["hi"]' }] }]);
    expect(messageLine(admin)).toBe('42/admin,7 (event /admin, ack 7) ["hi"]');
    expect(messageKind(admin)).toBe("42/admin,7 (event /admin)");
    const error = wsMessage([{ type: 4, name: "message", data: '4{"message":"unauthorized"}' }], [{ kind: "socket.io", packets: [{ type: 4, name: "CONNECT_ERROR", nsp: "/", data: '{"message":"unauthorized"}' }] }]);
    expect(messageLine(error)).toBe('44 (connect error /) {"message":"unauthorized"}');
  });

  it("writes a binary packet with its attachment count, and each attachment as the bytes it is", () => {
    const header = wsMessage([{ type: 4, name: "message", data: '52-0["up",{"_placeholder":true,"num":0}]' }], [
      { kind: "socket.io", packets: [{ type: 5, name: "BINARY_EVENT", nsp: "/", id: 0, event: "up", attachments: 2, data: '["up",{"_placeholder":true,"num":0}]' }] },
    ]);
    expect(messageLine(header)).toBe('452-0 (binary event /, ack 0) ["up",{"_placeholder":true,"num":0}]');
    // A polling body: the two attachments, then a text packet that must keep its own Socket.IO packet.
    const body = wsMessage([
      { type: 4, name: "message", data: "<binary 2 bytes> 68 69", binary: true },
      { type: 4, name: "message", data: "<binary 1 bytes> 89", binary: true },
      { type: 4, name: "message", data: "1" },
    ], [{
      kind: "socket.io",
      packets: [
        { type: 5, name: "BINARY_EVENT", nsp: "/", id: 0, attachments: 2, attachment: 0, data: "<binary 2 bytes> 68 69" },
        { type: 5, name: "BINARY_EVENT", nsp: "/", id: 0, attachments: 2, attachment: 1, data: "<binary 1 bytes> 89" },
        { type: 1, name: "DISCONNECT", nsp: "/", data: "" },
      ],
    }]);
    expect(messageLine(body)).toBe("<binary 2 bytes> 68 69 (attachment 1 of 2, binary event /) · <binary 1 bytes> 89 (attachment 2 of 2, binary event /) · 41 (disconnect /)");
  });

  it("names Engine.IO packets with and without data, a polling batch packet by packet", () => {
    expect(messageLine(wsMessage([{ type: 2, name: "ping", data: "" }]))).toBe("2 (ping)");
    expect(messageLine(wsMessage([{ type: 2, name: "ping", data: "probe" }]))).toBe("2probe (ping)");
    const batch = wsMessage([1, 2, 3, 4].map(() => ({ type: 6, name: "noop", data: "" })));
    expect(messageLine(batch)).toBe("6 (noop) · 6 (noop) · 6 (noop) · … 1 more packets");
  });
});

describe("cutData", () => {
  it("keeps whole fields of an object or entries of an array and counts the rest", () => {
    expect(cutData('{"sid":"abc","upgrades":["websocket"],"pingInterval":1500}', 40)).toBe('{"sid":"abc","upgrades":["websocket"], … 1 more field}');
    expect(cutData('["chat message","a long message that does not fit"]', 30)).toBe('["chat message", … 1 more]');
    expect(cutData('{"a":1}', 40)).toBe('{"a":1}');
  });

  it("cuts what is not JSON at a word, and a single huge field inside it", () => {
    expect(cutData("not json at all but long enough to be cut", 20)).toBe("not json at all but … 21 more");
    expect(cutData(`{"k":"${"x".repeat(100)}"}`, 20)).toMatch(/^\{"k":"x+… \d+ more$/);
  });
});
