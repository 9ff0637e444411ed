import { describe, expect, it } from "vitest";
import { decodeEngineBinary, decodeEnginePayload, decodeEngineText } from "../../src/wire/engineio.js";
import { bytes } from "./helpers.js";

describe("Engine.IO packets", () => {
  it.each([
    ['0{"sid":"abc","upgrades":["websocket"]}', 0, "open", '{"sid":"abc","upgrades":["websocket"]}'],
    ["1", 1, "close", ""],
    ["2", 2, "ping", ""],
    ["3probe", 3, "pong", "probe"],
    ['42["hi"]', 4, "message", '2["hi"]'],
    ["5", 5, "upgrade", ""],
    ["6", 6, "noop", ""],
  ])("decodes %j as type %i (%s)", (encoded, type, name, data) => {
    const { layer, messages } = decodeEngineText(encoded);
    expect(layer).toEqual({ kind: "engine.io", packets: [{ type, name, data }] });
    expect(messages).toEqual(name === "message" ? [data] : []);
  });

  it("splits a polling batch on \\x1e and hands each message on", () => {
    const { layer, messages } = decodeEnginePayload('40\x1e42["a"]\x1e2');
    expect(layer.packets.map((p) => p.name)).toEqual(["message", "message", "ping"]);
    expect(messages).toEqual(["0", '2["a"]']);
  });

  it("treats \\x1e inside a WebSocket message as data", () => {
    expect(decodeEngineText('42["a\x1eb"]').layer.packets).toHaveLength(1);
  });

  it("decodes base64 binary (b…) in polling batches", () => {
    const { layer, messages } = decodeEnginePayload("451-[\"up\",{\"_placeholder\":true,\"num\":0}]\x1ebAQID");
    expect(layer.packets[1]).toEqual({ type: 4, name: "message", data: "<binary 3 bytes> 01 02 03", binary: true });
    expect(Array.from(messages[1] as Uint8Array)).toEqual([1, 2, 3]);
  });

  it("decodes a binary WebSocket message as a binary message packet", () => {
    const { layer, messages } = decodeEngineBinary(bytes([0xde, 0xad]));
    expect(layer.packets).toEqual([{ type: 4, name: "message", data: "<binary 2 bytes> de ad", binary: true }]);
    expect(Array.from(messages[0] as Uint8Array)).toEqual([0xde, 0xad]);
  });

  it("gives a message packet without data no payload", () => {
    expect(decodeEngineText("4").messages).toEqual([undefined]);
  });

  it.each([
    ["", "empty packet"],
    ["7x", 'unknown packet type "7"'],
    ["x", 'unknown packet type "x"'],
    ["\x1b[2J", 'unknown packet type "\\x1b"'],
  ])("reports %j as malformed", (encoded, reason) => {
    const { layer, messages } = decodeEngineText(encoded);
    expect(layer.malformed).toBe(reason);
    expect(layer.packets[0]).toMatchObject({ type: -1, name: "error", malformed: reason });
    expect(messages).toEqual([]);
  });

  it("keeps decoding a batch after a bad packet (engine.io-parser's decodePayload stops)", () => {
    const { layer, messages } = decodeEnginePayload('4a\x1e9zz\x1e4b\x1e');
    expect(layer.packets.map((p) => p.malformed ?? p.name)).toEqual(["message", 'unknown packet type "9"', "message", "empty packet"]);
    expect(layer.malformed).toBe('packet 2 of 4: unknown packet type "9"');
    expect(messages).toEqual(["a", "b"]);
  });

  it("flags invalid base64, which Buffer.from would silently accept", () => {
    const { layer } = decodeEnginePayload("bAQ*D");
    expect(layer.packets[0]).toMatchObject({ name: "message", binary: true, malformed: "invalid base64 (decoded leniently)" });
  });

  it("decodes at most 1000 packets of a batch and counts the rest", () => {
    const { layer } = decodeEnginePayload(Array.from({ length: 1500 }, () => "6").join("\x1e"));
    expect(layer.packets).toHaveLength(1000);
    expect(layer.malformed).toBe("only the first 1000 packets decoded, 500 more not decoded");
  });

  it("bounds the data it keeps for display", () => {
    const { layer, messages } = decodeEngineText(`4${"x".repeat(100_000)}`);
    expect(layer.packets[0].data).toMatch(/^x{4096}… 95904 more$/);
    expect((messages[0] as string).length).toBe(100_000);
  });
});
