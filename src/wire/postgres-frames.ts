/**
 * Message boundaries of one direction of a PostgreSQL connection (protocol 3.0): every message is
 * a type byte and an int32 length that counts itself, except the frontend's first ones (StartupMessage,
 * SSLRequest, CancelRequest), which have no type byte, and the server's one-byte answer to an
 * SSLRequest. Bytes go in as captured; whole messages come out. Bytes the capture cut (`missing`)
 * end the message they fall in, which is reported cut; a cut that hides a header loses the
 * boundaries, and the rest of that direction is reported as not decoded. Never throws.
 */
import { concatBytes } from "./bytes.js";

/** A message body larger than this is not held to be decoded: its first bytes are kept, the rest skipped. */
export const PG_BODY_LIMIT = 1024 * 1024;
/** What is kept of a body over {@link PG_BODY_LIMIT} (enough to show what it began with). */
const KEPT_OF_LARGE = 4096;

/** One message of a direction, or bytes that could not be read as messages. */
export type PgFrameEvent =
  | {
    readonly kind: "message";
    /** The type byte as a character; "" for the frontend's untyped start-up messages and the SSL answer. */
    readonly code: string;
    /** The body after the length (for the one-byte SSL answer: that byte). */
    readonly body: Uint8Array;
    /** Bytes on the wire, header included. */
    readonly size: number;
    /** Set when part of the body was not captured or not kept: why the body is shorter than declared. */
    readonly cut?: string;
    /** The message's bytes as captured (header and body). */
    readonly raw: Uint8Array;
  }
  | { readonly kind: "malformed"; readonly reason: string; readonly size: number; readonly raw: Uint8Array };

/** The framing of one direction. */
export interface PgFramer {
  push(bytes: Uint8Array, missing?: number): PgFrameEvent[];
  /** The connection closed: a message still incomplete, as a malformed event. */
  end(): PgFrameEvent[];
  /** Bytes of a message begun and not yet complete. */
  readonly pending: number;
}

/** What the two directions tell each other: the frontend's SSL or GSS request makes the server answer one byte. */
export interface PgHandshake {
  /** Untyped start-up messages still to come from the frontend (a StartupMessage ends them). */
  startup: boolean;
  /** The server owes a one-byte answer to an SSLRequest or GSSENCRequest. */
  sslAnswer: boolean;
  /** Set once the answer was "S"/"G": the rest is encrypted and not decoded. */
  encrypted?: string;
}

function int32(b: Uint8Array, at: number): number {
  return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
}

/** Start-up codes that make the server answer with one byte (SSLRequest, GSSENCRequest). */
const ENCRYPTION_REQUESTS = new Set([80877103, 80877104]);

/**
 * Creates the framer of the frontend (`frontend: true`, the side that writes the StartupMessage)
 * or the backend; both share `handshake`.
 */
export function createPgFramer(frontend: boolean, handshake: PgHandshake): PgFramer {
  let buf: Uint8Array = new Uint8Array(0);
  /** Bytes still to come of a message already reported (cut or too large). */
  let skip = 0;
  let lost: string | undefined;

  function headerSize(): number {
    if (frontend) return handshake.startup ? 4 : 5;
    return handshake.sslAnswer ? 1 : 5;
  }

  /** The next message's total size once its header is in `buf`, or a reason it cannot be one. */
  function total(): number | string | undefined {
    const head = headerSize();
    if (buf.length < head) return undefined;
    if (head === 1) return 1;
    const length = int32(buf, head - 4);
    if (length < 4) return `a message length of ${length} (at least 4 counts the length itself)`;
    return length + head - 4;
  }

  function emit(size: number, kept: Uint8Array, cut?: string): PgFrameEvent {
    const head = headerSize();
    const code = head === 5 ? String.fromCharCode(kept[0]) : "";
    const body = head === 1 ? kept : kept.subarray(head);
    if (frontend && handshake.startup && body.length >= 4) {
      const requested = int32(body, 0);
      if (ENCRYPTION_REQUESTS.has(requested)) handshake.sslAnswer = true;
      else if (requested >>> 16 === 3) handshake.startup = false;
    }
    if (!frontend && head === 1) {
      handshake.sslAnswer = false;
      if (kept[0] === 0x53 || kept[0] === 0x47) handshake.encrypted = "the connection switched to TLS or GSS encryption: not decoded";
    }
    return { kind: "message", code, body, size, raw: kept, ...(cut ? { cut } : {}) };
  }

  function drain(out: PgFrameEvent[]): void {
    for (;;) {
      const size = total();
      if (size === undefined) return;
      if (typeof size === "string") {
        lost = `lost the message boundaries: ${size}`;
        out.push({ kind: "malformed", reason: lost, size: buf.length, raw: buf });
        buf = new Uint8Array(0);
        return;
      }
      if (size - headerSize() > PG_BODY_LIMIT && buf.length >= headerSize() + KEPT_OF_LARGE) {
        const kept = buf.subarray(0, headerSize() + KEPT_OF_LARGE);
        out.push(emit(size, kept.slice(), `${size} B, only the first ${kept.length} B kept`));
        skip = size - kept.length;
        const rest = buf.subarray(kept.length);
        buf = new Uint8Array(0);
        takeBytes(rest, out);
        return;
      }
      if (buf.length < size) return;
      out.push(emit(size, buf.slice(0, size)));
      buf = buf.subarray(size);
    }
  }

  function takeBytes(bytes: Uint8Array, out: PgFrameEvent[]): void {
    if (skip > 0) {
      const n = Math.min(skip, bytes.length);
      skip -= n;
      bytes = bytes.subarray(n);
    }
    if (bytes.length === 0) return;
    buf = buf.length ? concatBytes([buf, bytes]) : bytes;
    drain(out);
  }

  function takeMissing(missing: number, out: PgFrameEvent[]): void {
    const n = Math.min(skip, missing);
    skip -= n;
    missing -= n;
    if (missing === 0) return;
    const size = total();
    if (typeof size !== "number" || buf.length + missing > size) {
      lost = `lost the message boundaries: ${missing} B not captured`;
      out.push({ kind: "malformed", reason: lost, size: buf.length + missing, raw: buf });
      buf = new Uint8Array(0);
      return;
    }
    out.push(emit(size, buf.slice(), `${size - buf.length} B of it not captured`));
    skip = size - buf.length - missing;
    buf = new Uint8Array(0);
  }

  return {
    push(bytes, missing = 0) {
      const encrypted = handshake.encrypted;
      if (lost || encrypted) return bytes.length + missing > 0 ? [{ kind: "malformed", reason: encrypted ?? lost!, size: bytes.length + missing, raw: bytes }] : [];
      const out: PgFrameEvent[] = [];
      takeBytes(bytes, out);
      if (missing > 0 && !lost) takeMissing(missing, out);
      return out;
    },
    end() {
      if (buf.length === 0 || lost) return [];
      const raw = buf;
      buf = new Uint8Array(0);
      return [{ kind: "malformed", reason: "the connection ended inside a message", size: raw.length, raw }];
    },
    get pending() {
      return buf.length + skip;
    },
  };
}
