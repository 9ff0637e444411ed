/**
 * Incremental RFC 6455 frame parser for one direction of an upgraded connection.
 * Frames may be split across chunks and several may share one; every frame is
 * reported, and the frame that completes a text or binary message carries the
 * joined payload for the Engine.IO layer. Rule breaks are flagged, never fatal.
 */
import { CappedBytes, type ChunkRef } from "./bytes.js";
import { DECODE_LIMIT, DISPLAY_LIMIT, RAW_LIMIT } from "./limits.js";
import {
  headerProblems, headerSize, opcodeName, rawPayload, readClose, readHeader, showPayload, unmask,
  type FrameHeader,
} from "./websocket-frame.js";
import { toHex } from "./text.js";
import type { WsFrameLayer } from "./types.js";

/** A whole text or binary message, delivered with the frame that completes it. */
export interface WsMessage {
  /** Opcode 1 (text) rather than 2 (binary). */
  readonly text: boolean;
  /** Unmasked, joined payload; at most `DECODE_LIMIT` bytes. */
  readonly data: Uint8Array;
  readonly size: number;
  /** Whether `data` holds every byte of the message. */
  readonly complete: boolean;
  /** Compressed with permessage-deflate (RSV1): `data` is not the plain payload. */
  readonly compressed: boolean;
}

/** One frame. */
export interface WsFrameEvent {
  readonly kind: "frame";
  readonly layer: WsFrameLayer;
  /** Printable one-line payload. */
  readonly raw: string;
  readonly first: ChunkRef;
  readonly last: ChunkRef;
  readonly size: number;
  readonly message?: WsMessage;
}

/** Bytes that cannot be framed any more (framing lost to missing capture). */
export interface WsOpaqueEvent {
  readonly kind: "opaque";
  readonly bytes: Uint8Array;
  readonly size: number;
  readonly ref: ChunkRef;
  readonly reason: string;
}

/** What the WebSocket parser reports. */
export type WsEvent = WsFrameEvent | WsOpaqueEvent;

/** Options of `createWsParser`. */
export interface WsParserOptions {
  /** Client-to-server frames must be masked; server-to-client ones must not. */
  readonly fromClient: boolean;
  /** Whether permessage-deflate was negotiated (asked when each frame header arrives). */
  readonly deflate?: () => boolean;
}

/** An incremental frame parser; `push` never throws. */
export interface WsParser {
  /** Parses captured bytes; `missing` counts bytes of the same chunk that were not captured. */
  push(bytes: Uint8Array, ref: ChunkRef, missing?: number): WsEvent[];
  /** The connection ended: flushes a frame still in progress. */
  end(): WsEvent[];
}

interface Frame {
  readonly h: FrameHeader;
  readonly problems: string[];
  readonly first: ChunkRef;
  readonly display: CappedBytes;
  /** How the payload is shown: text frames as text, binary as hex, control frames as whichever fits. */
  readonly show: "text" | "hex" | "auto";
  /** Whether the payload is part of the current text or binary message. */
  readonly inMessage: boolean;
  size: number;
  remaining: number;
  offset: number;
}

interface Message {
  readonly text: boolean;
  readonly compressed: boolean;
  readonly data: CappedBytes;
  frames: number;
  /** Streaming validator for text; dropped once invalid or once bytes go missing. */
  utf8?: InstanceType<typeof TextDecoder>;
}

// Enough payload for DISPLAY_LIMIT characters of UTF-8 and a whole control frame.
const FRAME_DISPLAY_BYTES = DISPLAY_LIMIT * 4;

/**
 * Creates a frame parser for one direction.
 *
 * @example
 * const parser = createWsParser({ fromClient: true });
 * parser.push(maskedFrameBytes, { seq: 7, time: 12 }); // → [{ kind: "frame", raw: "2probe", … }]
 */
export function createWsParser(options: WsParserOptions): WsParser {
  const { fromClient } = options;
  const header = new Uint8Array(14);
  let headerLen = 0;
  let headerFirst: ChunkRef | undefined;
  let frame: Frame | undefined;
  let message: Message | undefined;
  let closed = false;
  let opaque: string | undefined;
  let lastRef: ChunkRef | undefined;
  let out: WsEvent[] = [];

  function startFrame(ref: ChunkRef): void {
    const h = readHeader(header.subarray(0, headerLen));
    const deflate = options.deflate?.() ?? false;
    const problems = headerProblems(h, fromClient, deflate);
    if (closed) problems.push("frame after a close frame");
    if (h.opcode === 0 && !message) problems.push("continuation frame without a message to continue");
    if ((h.opcode === 1 || h.opcode === 2) && message) {
      problems.push("new message while a fragmented message is unfinished");
      message = undefined;
    }
    if (h.opcode === 1 || h.opcode === 2) {
      // Without a negotiated extension RSV1 is only flagged: the payload is read as plain.
      const compressed = deflate && (h.rsv & 4) !== 0;
      message = {
        text: h.opcode === 1,
        compressed,
        data: new CappedBytes(DECODE_LIMIT),
        frames: 0,
        ...(h.opcode === 1 && !compressed ? { utf8: new TextDecoder("utf-8", { fatal: true }) } : {}),
      };
    }
    const data = h.opcode === 0 || h.opcode === 1 || h.opcode === 2;
    frame = {
      inMessage: data && message !== undefined,
      h,
      problems,
      first: headerFirst ?? ref,
      display: new CappedBytes(FRAME_DISPLAY_BYTES),
      show: !data ? "auto" : message?.text && !message.compressed ? "text" : "hex",
      size: headerLen,
      remaining: h.length,
      offset: 0,
    };
    headerLen = 0;
    headerFirst = undefined;
  }

  function payload(f: Frame, piece: Uint8Array): void {
    const plain = f.h.maskKey ? unmask(piece.slice(), f.h.maskKey, f.offset) : piece;
    f.offset += piece.length;
    f.display.add(plain);
    if (!f.inMessage || !message) return;
    message.data.add(plain);
    if (message.utf8) {
      try {
        message.utf8.decode(plain, { stream: true });
      } catch {
        f.problems.push("invalid UTF-8 in a text message");
        delete message.utf8;
      }
    }
  }

  function finishFrame(f: Frame, ref: ChunkRef, cut?: string): void {
    const { h } = f;
    const problems = f.problems;
    let close: ReturnType<typeof readClose> | undefined;
    if (h.opcode === 8) {
      close = readClose(f.display.bytes(), f.display.size);
      problems.push(...close.problems);
      closed = true;
    }
    let delivered: WsMessage | undefined;
    let fragments: number | undefined;
    if (message && f.inMessage) {
      message.frames++;
      if (h.fin && !cut) {
        if (message.utf8) {
          try {
            message.utf8.decode();
          } catch {
            problems.push("text message ends inside a UTF-8 sequence");
          }
        }
        if (message.frames > 1) fragments = message.frames;
        delivered = {
          text: message.text,
          data: message.data.bytes(),
          size: message.data.size,
          complete: message.data.complete,
          compressed: message.compressed,
        };
        message = undefined;
      }
    }
    if (f.display.missing > 0) problems.push(`${f.display.missing} payload bytes missing from the capture`);
    if (cut) problems.push(cut);
    const layer: WsFrameLayer = {
      kind: "ws-frame",
      fin: h.fin,
      rsv: h.rsv,
      opcode: h.opcode,
      opcodeName: opcodeName(h.opcode),
      masked: h.masked,
      ...(h.maskKey ? { maskKey: toHex(h.maskKey) } : {}),
      payloadLength: h.length,
      lengthBits: h.lengthBits,
      payload: close ? close.reason ?? "" : showPayload(f.display.bytes(), f.display.size, f.show),
      ...(close?.code !== undefined ? { closeCode: close.code, closeReason: close.reason ?? "" } : {}),
      ...(fragments !== undefined ? { fragments } : {}),
      ...(problems.length > 0 ? { malformed: problems.join("; ") } : {}),
    };
    const raw = close
      ? closeRaw(f.display.bytes(), f.display.size, close.code)
      : rawPayload(f.display.bytes(), f.display.size, f.show, RAW_LIMIT);
    out.push({ kind: "frame", layer, raw, first: f.first, last: ref, size: f.size, ...(delivered ? { message: delivered } : {}) });
    frame = undefined;
  }

  function push(bytes: Uint8Array, ref: ChunkRef, missing: number): WsEvent[] {
    out = [];
    if (opaque) {
      out.push({ kind: "opaque", bytes, size: bytes.length + missing, ref, reason: opaque });
      return out;
    }
    let at = 0;
    while (at < bytes.length) {
      if (!frame) {
        if (headerLen === 0) headerFirst = ref;
        header[headerLen++] = bytes[at++];
        if (headerLen < 2 || headerLen < headerSize(header[1])) continue;
        startFrame(ref);
        const f = frame as Frame | undefined;
        if (f && f.remaining === 0) finishFrame(f, ref);
        continue;
      }
      const take = Math.min(frame.remaining, bytes.length - at);
      payload(frame, bytes.subarray(at, at + take));
      frame.size += take;
      frame.remaining -= take;
      at += take;
      if (frame.remaining === 0) finishFrame(frame, ref);
    }
    if (missing > 0) skip(missing, ref);
    return out;
  }

  /** Uncaptured bytes: skipped inside a payload, framing is lost anywhere else. */
  function skip(n: number, ref: ChunkRef): void {
    if (frame) {
      const k = Math.min(n, frame.remaining);
      frame.display.skip(k);
      if (message && frame.inMessage) {
        message.data.skip(k);
        delete message.utf8;
      }
      frame.size += k;
      frame.remaining -= k;
      n -= k;
      if (frame.remaining === 0) finishFrame(frame, ref);
    }
    if (n === 0) return;
    opaque = `not decoded: ${n} bytes missing from the capture; WebSocket framing lost`;
    out.push({ kind: "opaque", bytes: new Uint8Array(0), size: n + headerLen, ref, reason: opaque });
    headerLen = 0;
  }

  function end(): WsEvent[] {
    out = [];
    if (frame) {
      const f = frame;
      finishFrame(f, lastRef ?? f.first, `connection ended after ${f.display.size} of ${f.h.length} payload bytes`);
    } else if (headerLen > 0 && headerFirst) {
      const bytes = header.slice(0, headerLen);
      out.push({ kind: "opaque", bytes, size: headerLen, ref: headerFirst, reason: "connection ended inside a frame header" });
      headerLen = 0;
    }
    return out;
  }

  return {
    push(bytes, ref, missing = 0) {
      lastRef = ref;
      return push(bytes, ref, missing);
    },
    end,
  };
}

function closeRaw(payload: Uint8Array, total: number, code: number | undefined): string {
  // An empty close payload is legal (no status code); say so rather than print nothing.
  if (code === undefined) return "<close, no status code>";
  const reason = rawPayload(payload.subarray(2), total - 2, "text", RAW_LIMIT);
  return reason ? `${code} ${reason}` : `${code}`;
}
