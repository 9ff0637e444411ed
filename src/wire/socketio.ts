/**
 * The Socket.IO v5 layer, decoded with socket.io-parser's own `Decoder`.
 *
 * The decoder throws on bad input and keeps state between a BINARY_EVENT /
 * BINARY_ACK header and its attachments, so each logical stream (one direction
 * of one connection) gets its own, replaced by a fresh one after any error.
 * A binary message no header announced is read as socket.io-msgpack-parser
 * writes packets (the default parser never sends one); bytes that are not such
 * a packet stay malformed, as the default parser would have them.
 */
import { Decoder, type Packet } from "socket.io-parser";
import { boundedJson } from "./bounded-json.js";
import type { EngineMessageData } from "./engineio.js";
import { DISPLAY_LIMIT } from "./limits.js";
import { msgpackPacket } from "./socketio-msgpack.js";
import { escapeControls, hexPreview, printableText } from "./text.js";
import type { SocketLayer, SocketPacket } from "./types.js";

/** Packet names by type number. */
const NAMES = ["CONNECT", "DISCONNECT", "EVENT", "ACK", "CONNECT_ERROR", "BINARY_EVENT", "BINARY_ACK"];
const EVENT_NAME_LIMIT = 200;

/** Decodes the `message` payloads of a stream's Engine.IO layers, in wire order. */
export interface SocketStream {
  /** Decodes one Engine.IO layer's messages; `undefined` when it has none. */
  decode(messages: readonly EngineMessageData[]): SocketLayer | undefined;
}

interface Pending {
  readonly header: SocketPacket;
  readonly total: number;
  received: number;
}

function describe(p: Packet, type: number): SocketPacket {
  const data: unknown = p.data;
  const first = Array.isArray(data) ? (data as unknown[])[0] : undefined;
  const isEvent = type === 2 || type === 5;
  return {
    type,
    name: NAMES[type] ?? `UNKNOWN-${type}`,
    nsp: printableText(String(p.nsp), EVENT_NAME_LIMIT),
    ...(p.id !== undefined ? { id: p.id } : {}),
    ...(isEvent && (typeof first === "string" || typeof first === "number")
      ? { event: printableText(String(first), EVENT_NAME_LIMIT) } : {}),
    // JSON escapes C0 controls but not C1 ones, line separators or bidi controls.
    data: data === undefined ? "" : escapeControls(boundedJson(data)),
  };
}

function broken(text: string, reason: string): SocketPacket {
  const digit = /^[0-6]/.test(text) ? Number(text[0]) : -1;
  return { type: digit, name: NAMES[digit] ?? "UNKNOWN", nsp: "/", data: printableText(text, DISPLAY_LIMIT), malformed: reason };
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Creates the Socket.IO decoding state of one logical stream.
 *
 * @example
 * const stream = createSocketStream();
 * stream.decode(['2["chat message","hi"]'])?.packets[0].event; // "chat message"
 */
export function createSocketStream(): SocketStream {
  let decoder: Decoder;
  let decoded: Packet | undefined;
  let pending: Pending | undefined;

  function fresh(): void {
    decoder = new Decoder();
    decoder.on("decoded", (p: Packet) => {
      decoded = p;
    });
  }
  fresh();

  /** Runs the decoder on one input; returns the packet it completed or the reason it threw. */
  function add(input: string | Uint8Array): { packet?: Packet; error?: string } {
    decoded = undefined;
    try {
      decoder.add(input);
      return decoded ? { packet: decoded } : {};
    } catch (error) {
      fresh();
      return { error: reasonOf(error) };
    }
  }

  function text(str: string): SocketPacket {
    let note: string | undefined;
    if (pending) {
      // socket.io-parser would throw on this text and lose it: report the gap, decode the text.
      note = `${pending.header.name} before it still expected ${pending.total - pending.received} attachment(s)`;
      pending = undefined;
      fresh();
    }
    const type = Number(str.charAt(0));
    const result = add(str);
    if (result.error) return broken(str, note ? `${result.error}; ${note}` : result.error);
    let packet: SocketPacket;
    if (result.packet) {
      packet = describe(result.packet, type);
    } else {
      // A binary header: the decoder now waits for attachments and keeps the packet
      // to itself, so read the fields from the same text as a plain EVENT / ACK.
      const dash = str.indexOf("-");
      const total = Number(str.slice(1, dash));
      const plain = new Decoder();
      let fields: Packet | undefined;
      plain.on("decoded", (p: Packet) => {
        fields = p;
      });
      try {
        plain.add((type === 5 ? "2" : "3") + str.slice(dash + 1));
      } catch {
        // Same grammar as the header the real decoder accepted; nothing to add.
      }
      packet = { ...(fields ? describe(fields, type) : broken(str, "unreadable binary header")), attachments: total };
      pending = { header: packet, total, received: 0 };
    }
    return note ? { ...packet, malformed: note } : packet;
  }

  function binary(bytes: Uint8Array): SocketPacket {
    const owner = pending;
    const packed = owner ? undefined : msgpackPacket(bytes);
    if (packed) return { ...describe(packed as Packet, packed.type), encoding: "msgpack" };
    const shown = hexPreview(bytes, bytes.length, Math.floor(DISPLAY_LIMIT / 3));
    const result = add(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
    if (!owner) {
      return { type: -1, name: "ATTACHMENT", nsp: "/", data: shown, malformed: result.error ?? "binary data without a binary packet" };
    }
    const index = owner.received++;
    if (result.error || owner.received >= owner.total) pending = undefined;
    const { header } = owner;
    return {
      type: header.type,
      name: header.name,
      nsp: header.nsp,
      ...(header.id !== undefined ? { id: header.id } : {}),
      ...(header.event !== undefined ? { event: header.event } : {}),
      data: shown,
      attachments: owner.total,
      attachment: index,
      ...(result.error ? { malformed: result.error } : {}),
    };
  }

  return {
    decode(messages) {
      if (messages.length === 0) return undefined;
      const packets = messages.map((m) =>
        m === undefined ? broken("", "empty Engine.IO message (no Socket.IO packet)")
          : typeof m === "string" ? text(m) : binary(m));
      const bad = packets.findIndex((p) => p.malformed !== undefined);
      const malformed = bad < 0 ? undefined
        : packets.length === 1 ? packets[0].malformed
        : `packet ${bad + 1} of ${packets.length}: ${packets[bad].malformed}`;
      return { kind: "socket.io", packets, ...(malformed ? { malformed } : {}) };
    },
  };
}
