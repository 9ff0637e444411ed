/**
 * Byte builders for the wire decoder tests: every fixture is made here, from
 * the RFCs and protocol docs, rather than captured.
 */
import type { ConnectionChunk } from "../../src/wire/connection-decoder.js";
import type { ChunkRef } from "../../src/wire/bytes.js";

/** UTF-8 (or raw) bytes. */
export function bytes(input: string | readonly number[]): Uint8Array {
  return typeof input === "string" ? new TextEncoder().encode(input) : Uint8Array.from(input);
}

/** Latin1 bytes: one byte per character, for heads and deliberately bad data. */
export function latin1(input: string): Uint8Array {
  return Uint8Array.from(input, (c) => c.charCodeAt(0) & 0xff);
}

/** Joins byte arrays. */
export function join(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A chunk reference for direct parser tests. */
export function ref(seq: number, time = seq * 10, call?: number): ChunkRef {
  return call === undefined ? { seq, time } : { seq, time, call };
}

/** Options of `wsFrame`. */
export interface FrameSpec {
  readonly opcode?: number;
  readonly fin?: boolean;
  readonly rsv?: number;
  /** A 4-byte key, or false for an unmasked frame. */
  readonly mask?: readonly number[] | false;
  /** Force a length encoding (even a non-minimal one). */
  readonly lengthBits?: 7 | 16 | 64;
  /** Declare a length other than the payload's (for truncation and huge-length tests). */
  readonly declaredLength?: bigint;
}

/** An RFC 6455 frame. */
export function wsFrame(payload: string | Uint8Array, spec: FrameSpec = {}): Uint8Array {
  const data = typeof payload === "string" ? bytes(payload) : payload;
  const { opcode = 1, fin = true, rsv = 0, mask = false } = spec;
  const declared = spec.declaredLength ?? BigInt(data.length);
  const bits = spec.lengthBits ?? (declared < 126n ? 7 : declared < 65536n ? 16 : 64);
  const head: number[] = [(fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0xf)];
  const maskBit = mask ? 0x80 : 0;
  if (bits === 7) head.push(maskBit | Number(declared));
  else if (bits === 16) head.push(maskBit | 126, Number(declared >> 8n) & 0xff, Number(declared) & 0xff);
  else {
    head.push(maskBit | 127);
    for (let i = 7; i >= 0; i--) head.push(Number((declared >> BigInt(i * 8)) & 0xffn));
  }
  if (!mask) return join(Uint8Array.from(head), data);
  const masked = data.map((b, i) => b ^ mask[i % 4]);
  return join(Uint8Array.from([...head, ...mask]), masked);
}

/** A masked client frame, as browsers send them. */
export function clientFrame(payload: string | Uint8Array, spec: FrameSpec = {}): Uint8Array {
  return wsFrame(payload, { mask: [0x37, 0xfa, 0x21, 0x3d], ...spec });
}

/** A close frame payload: code and reason. */
export function closePayload(code: number, reason = ""): Uint8Array {
  return join(Uint8Array.from([code >> 8, code & 0xff]), bytes(reason));
}

/** An HTTP message with CRLF line ends and, when there is a body, its Content-Length. */
export function httpMessage(startLine: string, headers: readonly string[] = [], body = ""): Uint8Array {
  const b = bytes(body);
  const all = body === "" ? headers : [...headers, `Content-Length: ${b.length}`];
  return join(latin1(`${[startLine, ...all].join("\r\n")}\r\n\r\n`), b);
}

/** A chunked body from its pieces. */
export function chunked(pieces: readonly string[]): string {
  return pieces.map((p) => `${bytes(p).length.toString(16)}\r\n${p}\r\n`).join("") + "0\r\n\r\n";
}

/** Splits bytes into pieces of at most `size` bytes. */
export function split(data: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < data.length; i += size) out.push(data.subarray(i, i + size));
  return out;
}

/** Builds connection chunks with increasing sequence numbers. */
export function chunkSequence(): (dir: "in" | "out", data: Uint8Array, call?: number) => ConnectionChunk {
  let seq = 0;
  return (dir, data, call) => {
    seq++;
    return { seq, dir, time: seq * 5, bytes: data, ...(call !== undefined ? { call } : {}) };
  };
}

/** Cuts bytes into pieces at the given (unsorted) points, taken modulo the length. */
export function pieces(data: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let last = 0;
  for (const p of [...points, data.length]) {
    if (p > last) out.push(data.subarray(last, p));
    last = p;
  }
  return out;
}
