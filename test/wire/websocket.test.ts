import { describe, expect, it } from "vitest";
import { DECODE_LIMIT } from "../../src/wire/limits.js";
import type { WsFrameLayer } from "../../src/wire/types.js";
import { createWsParser, type WsEvent, type WsFrameEvent } from "../../src/wire/websocket.js";
import { bytes, clientFrame, closePayload, join, ref, split, wsFrame } from "./helpers.js";

function parse(pieces: readonly Uint8Array[], opts: { fromClient?: boolean; deflate?: boolean } = {}): WsEvent[] {
  const parser = createWsParser({ fromClient: opts.fromClient ?? false, deflate: () => opts.deflate ?? false });
  return [...pieces.flatMap((p, i) => parser.push(p, ref(i + 1))), ...parser.end()];
}
const frames = (events: readonly WsEvent[]): WsFrameEvent[] => events.filter((e): e is WsFrameEvent => e.kind === "frame");
const layer = (e: WsEvent): WsFrameLayer => (e as WsFrameEvent).layer;
const text = (m: WsFrameEvent): string => new TextDecoder().decode(m.message?.data);

describe("WebSocket frames", () => {
  it("reads 7-, 16- and 64-bit payload lengths", () => {
    const mid = "m".repeat(300);
    const big = "b".repeat(70_000);
    const events = frames(parse([join(wsFrame("short"), wsFrame(mid), wsFrame(big))]));
    expect(events.map((e) => [layer(e).lengthBits, layer(e).payloadLength, e.message?.size])).toEqual([[7, 5, 5], [16, 300, 300], [64, 70_000, 70_000]]);
    expect(events.every((e) => !layer(e).malformed)).toBe(true);
    expect(layer(events[2]).payload).toMatch(/^b{4096}… 65904 more$/);
    expect(events[2].raw).toMatch(/^b{160}… 69840 more$/);
  });

  it("unmasks client frames split across chunks, several frames per chunk", () => {
    const data = join(clientFrame("2probe"), clientFrame('42["chat message","hi"]'), clientFrame("5"));
    for (const size of [1, 2, 7, data.length]) {
      const events = frames(parse(split(data, size), { fromClient: true }));
      expect(events.map((e) => e.raw)).toEqual(["2probe", '42["chat message","hi"]', "5"]);
      expect(layer(events[0])).toMatchObject({ fin: true, rsv: 0, opcode: 1, opcodeName: "text", masked: true, maskKey: "37fa213d" });
      expect(events.every((e) => !layer(e).malformed)).toBe(true);
    }
  });

  it("reports each fragment, with a ping between them, and joins the message on the last", () => {
    const data = join(
      clientFrame('42["chat ', { fin: false }),
      clientFrame("are you there", { opcode: 9 }),
      clientFrame('message",', { opcode: 0, fin: false }),
      clientFrame('"hi"]', { opcode: 0 }),
    );
    const events = frames(parse([data], { fromClient: true }));
    expect(events.map((e) => [layer(e).opcodeName, layer(e).fin, e.raw])).toEqual([
      ["text", false, '42["chat '], ["ping", true, "are you there"], ["continuation", false, 'message",'], ["continuation", true, '"hi"]'],
    ]);
    expect(events.map((e) => e.message !== undefined)).toEqual([false, false, false, true]);
    expect(layer(events[3]).fragments).toBe(3);
    expect(text(events[3])).toBe('42["chat message","hi"]');
    expect(events.every((e) => !layer(e).malformed)).toBe(true);
  });

  it("joins fragmented binary messages", () => {
    const events = frames(parse([wsFrame(bytes([1, 2]), { opcode: 2, fin: false }), wsFrame(bytes([3]), { opcode: 0 })]));
    expect(layer(events[0]).payload).toBe("<binary 2 bytes> 01 02");
    expect(Array.from(events[1].message?.data ?? [])).toEqual([1, 2, 3]);
    expect(events[1].message?.text).toBe(false);
  });

  it("reads close frames: code and reason", () => {
    const events = frames(parse([join(wsFrame(closePayload(1001, "going away"), { opcode: 8 }), wsFrame(new Uint8Array(0), { opcode: 8 }))]));
    expect(layer(events[0])).toMatchObject({ opcodeName: "close", closeCode: 1001, closeReason: "going away", payload: "going away" });
    expect(events[0].raw).toBe("1001 going away");
    expect(layer(events[1]).closeCode).toBeUndefined();
    expect(layer(events[1]).malformed).toBe("frame after a close frame");
  });

  it.each([
    ["a 1-byte close payload", wsFrame(bytes([3]), { opcode: 8 }), "close payload of 1 byte (a code needs 2)"],
    ["close code 1005", wsFrame(closePayload(1005), { opcode: 8 }), "close code 1005 is not allowed on the wire"],
    ["a close reason that is not UTF-8", wsFrame(join(closePayload(1000), bytes([0xc3, 0x28])), { opcode: 8 }), "close reason is not valid UTF-8"],
    ["a control frame over 125 bytes", wsFrame("p".repeat(126), { opcode: 9 }), "control frame with 126 payload bytes (max 125)"],
    ["a fragmented control frame", wsFrame("p", { opcode: 10, fin: false }), "fragmented control frame"],
    ["bad UTF-8 in a text frame", wsFrame(bytes([0x34, 0xff, 0xfe])), "invalid UTF-8 in a text message"],
    ["a text frame cut inside a code point", wsFrame(bytes([0x34, 0xe2, 0x82])), "text message ends inside a UTF-8 sequence"],
    ["RSV1 without an extension", wsFrame("4x", { rsv: 4 }), "RSV bits 100 set without a negotiated extension"],
    ["RSV2 and RSV3", wsFrame("4x", { rsv: 3 }), "RSV bits 011 set without a negotiated extension"],
    ["a reserved opcode", wsFrame("x", { opcode: 3 }), "reserved opcode 0x3"],
    ["a continuation with nothing to continue", wsFrame("x", { opcode: 0 }), "continuation frame without a message to continue"],
    ["a masked server frame", clientFrame("4x"), "masked server-to-client frame"],
    ["a 16-bit length under 126", wsFrame("tiny", { lengthBits: 16 }), "16-bit length used for a payload under 126 bytes"],
    ["a 64-bit length under 65536", wsFrame("tiny", { lengthBits: 64 }), "64-bit length used for a payload under 65536 bytes"],
  ])("flags %s but still decodes it", (_name, data, reason) => {
    const [e] = parse([data]);
    expect(layer(e).malformed).toBe(reason);
    expect(e.kind).toBe("frame");
  });

  it("reads an RSV1 frame as plain text when no extension was negotiated", () => {
    const [e] = frames(parse([wsFrame("4plain", { rsv: 4 })]));
    expect(layer(e).malformed).toBe("RSV bits 100 set without a negotiated extension");
    expect(e.message).toMatchObject({ compressed: false });
    expect(text(e)).toBe("4plain");
  });

  it("flags unmasked client frames and still delivers the message", () => {
    const [e] = frames(parse([wsFrame("3")], { fromClient: true }));
    expect(layer(e).malformed).toBe("unmasked client-to-server frame");
    expect(text(e)).toBe("3");
  });

  it("accepts RSV1 on a data frame when permessage-deflate was negotiated", () => {
    const [e] = frames(parse([wsFrame(bytes([0xca, 0xc9, 0x2f, 0x00]), { opcode: 1, rsv: 4 })], { deflate: true }));
    expect(layer(e).malformed).toBeUndefined();
    expect(e.message?.compressed).toBe(true);
    expect(layer(e).payload).toBe("<binary 4 bytes> ca c9 2f 00");
  });

  it("flags a 64-bit length with the top bit set without allocating it", () => {
    const events = parse([wsFrame("abc", { declaredLength: 2n ** 63n + 5n })]);
    expect(layer(events[0]).malformed).toMatch(/^64-bit length with the most significant bit set; connection ended after 3 of/);
  });

  it("does not allocate a declared length of 2^53", () => {
    const parser = createWsParser({ fromClient: false });
    const events = parser.push(wsFrame("abc", { declaredLength: 2n ** 53n }), ref(1));
    expect(events).toEqual([]);
    for (let i = 0; i < 40; i++) parser.push(new Uint8Array(65536), ref(2 + i));
    const [e] = parser.end();
    expect(layer(e).payloadLength).toBe(2 ** 53);
    expect(layer(e).malformed).toBe(`connection ended after ${3 + 40 * 65536} of ${2 ** 53} payload bytes`);
    expect(e).toMatchObject({ first: { seq: 1 }, last: { seq: 41 } });
  });

  it("reports a frame header cut by the end of the connection", () => {
    const [e] = parse([bytes([0x81, 0xfe, 0x01])]);
    expect(e).toMatchObject({ kind: "opaque", reason: "connection ended inside a frame header", size: 3 });
  });

  it("keeps at most DECODE_LIMIT bytes of a huge message but counts all", () => {
    const parser = createWsParser({ fromClient: false });
    const size = DECODE_LIMIT + 10;
    parser.push(wsFrame("", { opcode: 2, declaredLength: BigInt(size) }), ref(1));
    const [e] = parser.push(new Uint8Array(size), ref(2)) as WsFrameEvent[];
    expect(e.message).toMatchObject({ size, complete: false });
    expect(e.message?.data.length).toBe(DECODE_LIMIT);
  });

  it("skips payload bytes missing from the capture, then loses framing on a header", () => {
    const parser = createWsParser({ fromClient: false });
    const frame = wsFrame("x".repeat(1000));
    const [e] = parser.push(frame.subarray(0, 104), ref(1), frame.length - 104) as WsFrameEvent[];
    expect(layer(e).malformed).toBe("900 payload bytes missing from the capture");
    expect(e.message).toMatchObject({ complete: false, size: 1000 });
    const lost = parser.push(wsFrame("1"), ref(2), 5);
    expect(lost.map((x) => x.kind)).toEqual(["frame", "opaque"]);
    expect(parser.push(wsFrame("2"), ref(3))[0].kind).toBe("opaque");
  });
});
