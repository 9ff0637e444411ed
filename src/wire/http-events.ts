/**
 * What the incremental HTTP/1.1 parser reports: whole messages, bytes it
 * could not parse, and the switch to another protocol. Apart from the parser
 * because the connection decoder and the Engine.IO router consume these
 * events without needing the parser's state machine.
 */
import type { ChunkRef } from "./bytes.js";
import type { HttpRequestLayer, HttpResponseLayer } from "./types.js";

/** The request a response answers, as far as framing and routing need it. */
export interface RequestInfo {
  readonly method: string;
  readonly target: string;
}

/** A complete (or, at the end, cut-off) HTTP message. */
export interface HttpMessageEvent {
  readonly kind: "message";
  readonly layer: HttpRequestLayer | HttpResponseLayer;
  /** The start line, for display. */
  readonly startLine: string;
  /** De-chunked body bytes kept for the inner layers (at most `DECODE_LIMIT`). */
  readonly body: Uint8Array;
  /** Whether `body` holds every byte of the body. */
  readonly bodyComplete: boolean;
  /** The head was unreadable or the framing broke: the body is not what was sent. */
  readonly broken: boolean;
  readonly contentEncoding?: string;
  /** For a response: the request it answers, when one was seen. */
  readonly request?: RequestInfo;
  readonly first: ChunkRef;
  readonly last: ChunkRef;
  readonly size: number;
}

/** Bytes that could not be parsed as HTTP (after a malformed message). */
export interface HttpOpaqueEvent {
  readonly kind: "opaque";
  readonly bytes: Uint8Array;
  readonly size: number;
  readonly ref: ChunkRef;
  readonly reason: string;
}

/** The connection switched protocols; `rest` (and all later bytes) belong to it. */
export interface HttpUpgradeEvent {
  readonly kind: "upgrade";
  /** Lower-cased `Upgrade` value, e.g. `websocket`. */
  readonly protocol: string;
  /** `Sec-WebSocket-Extensions` of the head that switched. */
  readonly extensions: string;
  readonly rest: Uint8Array;
  /** Uncaptured bytes that followed `rest` in the same chunk. */
  readonly missing: number;
  readonly ref: ChunkRef;
}

/** What the HTTP parser reports. */
export type HttpEvent = HttpMessageEvent | HttpOpaqueEvent | HttpUpgradeEvent;
