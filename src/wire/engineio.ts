/**
 * The Engine.IO v4 layer, decoded with engine.io-parser itself.
 *
 * engine.io-parser signals bad input with a shared `{ type: "error" }` packet and
 * no reason; `decodePayload` also stops at the first bad packet and drops the
 * rest. Here every packet of a batch is decoded and each bad one says why.
 */
import { decodePacket, type Packet } from "engine.io-parser";
import { DISPLAY_LIMIT } from "./limits.js";
import { hexPreview, printableText } from "./text.js";
import type { EngineLayer, EnginePacket } from "./types.js";

/** Polling batches separate packets with ASCII record separators. */
const SEPARATOR = "\x1e";
/** Packet names by type number (engine.io-parser does not export its table). */
const NAMES = ["open", "close", "ping", "pong", "message", "upgrade", "noop"];

/** Packets decoded per polling batch; the rest are counted, not decoded. */
const MAX_BATCH = 1000;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Data handed on to the Socket.IO layer: a `message` packet's text or bytes. */
export type EngineMessageData = string | Uint8Array | undefined;

/** The Engine.IO layer and the `message` payloads inside it, in order. */
export interface EngineDecoded {
  readonly layer: EngineLayer;
  readonly messages: readonly EngineMessageData[];
}

interface OnePacket {
  readonly packet: EnginePacket;
  readonly message?: { readonly data: EngineMessageData };
}

function binaryData(data: unknown): Uint8Array | undefined {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return undefined;
}

function fromParser(p: Packet, malformed?: string): OnePacket {
  const name = String(p.type);
  const type = NAMES.indexOf(name);
  const bytes = binaryData(p.data);
  const data: EngineMessageData = bytes ?? (typeof p.data === "string" ? p.data : undefined);
  const packet: EnginePacket = {
    type,
    name,
    data: bytes ? hexPreview(bytes, bytes.length, Math.floor(DISPLAY_LIMIT / 3)) : printableText(data as string | undefined ?? "", DISPLAY_LIMIT),
    ...(bytes ? { binary: true } : {}),
    ...(malformed ? { malformed } : {}),
  };
  return { packet, ...(name === "message" ? { message: { data } } : {}) };
}

function failed(encoded: string, reason: string): OnePacket {
  return { packet: { type: -1, name: "error", data: printableText(encoded, DISPLAY_LIMIT), malformed: reason } };
}

/** Decodes one encoded text packet (`4hello`, `2probe`, `bAQID`). */
function decodeOne(encoded: string): OnePacket {
  let p: Packet;
  try {
    p = decodePacket(encoded);
  } catch (error) {
    return failed(encoded, `engine.io-parser threw: ${String(error)}`);
  }
  if (p.type === "error") {
    if (encoded === "") return failed(encoded, "empty packet");
    return failed(encoded, `unknown packet type "${printableText(encoded.charAt(0), 20)}"`);
  }
  // Buffer.from(…, "base64") skips characters it does not know instead of failing.
  const bad = encoded.startsWith("b") && !BASE64.test(encoded.slice(1));
  return fromParser(p, bad ? "invalid base64 (decoded leniently)" : undefined);
}

function layerOf(parts: readonly OnePacket[], notDecoded = 0): EngineDecoded {
  const packets = parts.map((p) => p.packet);
  const badIndex = packets.findIndex((p) => p.malformed !== undefined);
  const malformed = notDecoded > 0 ? `only the first ${packets.length} packets decoded, ${notDecoded} more not decoded`
    : badIndex < 0 ? undefined
    : packets.length === 1 ? packets[0].malformed
    : `packet ${badIndex + 1} of ${packets.length}: ${packets[badIndex].malformed}`;
  return {
    layer: { kind: "engine.io", packets, ...(malformed ? { malformed } : {}) },
    messages: parts.flatMap((p) => (p.message ? [p.message.data] : [])),
  };
}

/**
 * Decodes an HTTP long-polling body: packets separated by `\x1e`.
 *
 * @example
 * decodeEnginePayload('40\x1e42["hi"]').layer.packets.map((p) => p.name); // ["message", "message"]
 */
export function decodeEnginePayload(body: string): EngineDecoded {
  const parts: OnePacket[] = [];
  let start = 0;
  for (;;) {
    const end = body.indexOf(SEPARATOR, start);
    if (parts.length === MAX_BATCH) {
      let more = 1;
      for (let i = body.indexOf(SEPARATOR, start); i >= 0; i = body.indexOf(SEPARATOR, i + 1)) more++;
      return layerOf(parts, more);
    }
    parts.push(decodeOne(end < 0 ? body.slice(start) : body.slice(start, end)));
    if (end < 0) return layerOf(parts);
    start = end + 1;
  }
}

/** Decodes the text of one WebSocket message: exactly one packet, `\x1e` is plain data. */
export function decodeEngineText(text: string): EngineDecoded {
  return layerOf([decodeOne(text)]);
}

/** Decodes one binary WebSocket message: a raw binary `message` packet. */
export function decodeEngineBinary(bytes: Uint8Array): EngineDecoded {
  try {
    return layerOf([fromParser(decodePacket(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)))]);
  } catch (error) {
    return layerOf([failed(hexPreview(bytes), `engine.io-parser threw: ${String(error)}`)]);
  }
}

/** An Engine.IO layer that could not be decoded at all, with the reason. */
export function undecodedEngine(reason: string): EngineDecoded {
  return { layer: { kind: "engine.io", packets: [], malformed: reason }, messages: [] };
}
