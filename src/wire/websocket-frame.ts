/**
 * Pure pieces of RFC 6455 framing: header fields, the rules a frame header must
 * follow, close codes, and how a payload is shown.
 */
import { DISPLAY_LIMIT } from "./limits.js";
import { bytesAsText, hexPreview, isUtf8 } from "./text.js";

/** Opcode names as the RFC lists them. */
const OPCODES: Readonly<Record<number, string>> = {
  0x0: "continuation",
  0x1: "text",
  0x2: "binary",
  0x8: "close",
  0x9: "ping",
  0xa: "pong",
};

/** `text`, `binary`… or `reserved-0xN`. */
export function opcodeName(opcode: number): string {
  return OPCODES[opcode] ?? `reserved-0x${opcode.toString(16)}`;
}

/** Whether an opcode is a control frame (close, ping, pong and the reserved 0xB–0xF). */
export function isControl(opcode: number): boolean {
  return (opcode & 0x8) !== 0;
}

/** The fixed fields of a frame header. */
export interface FrameHeader {
  readonly fin: boolean;
  readonly rsv: number;
  readonly opcode: number;
  readonly masked: boolean;
  readonly maskKey?: Uint8Array;
  /** Declared payload length; past 2^53 only approximate, and never allocated. */
  readonly length: number;
  readonly lengthBits: 7 | 16 | 64;
  readonly headerSize: number;
  /** Header-level rule breaks found while reading the length. */
  readonly problems: readonly string[];
}

/** Bytes the header needs once its first two bytes are known. */
export function headerSize(second: number): number {
  const len7 = second & 0x7f;
  const ext = len7 === 126 ? 2 : len7 === 127 ? 8 : 0;
  return 2 + ext + ((second & 0x80) !== 0 ? 4 : 0);
}

/** Reads a complete header (`headerSize` bytes). */
export function readHeader(h: Uint8Array): FrameHeader {
  const masked = (h[1] & 0x80) !== 0;
  const len7 = h[1] & 0x7f;
  const problems: string[] = [];
  let length = len7;
  let lengthBits: 7 | 16 | 64 = 7;
  let at = 2;
  if (len7 === 126) {
    length = (h[2] << 8) | h[3];
    lengthBits = 16;
    at = 4;
    if (length < 126) problems.push("16-bit length used for a payload under 126 bytes");
  } else if (len7 === 127) {
    const hi = ((h[2] << 24) | (h[3] << 16) | (h[4] << 8) | h[5]) >>> 0;
    const lo = ((h[6] << 24) | (h[7] << 16) | (h[8] << 8) | h[9]) >>> 0;
    length = hi * 2 ** 32 + lo;
    lengthBits = 64;
    at = 10;
    if (hi >= 0x80000000) problems.push("64-bit length with the most significant bit set");
    else if (length < 65536) problems.push("64-bit length used for a payload under 65536 bytes");
  }
  const maskKey = masked ? h.slice(at, at + 4) : undefined;
  return {
    fin: (h[0] & 0x80) !== 0,
    rsv: (h[0] >> 4) & 0x7,
    opcode: h[0] & 0x0f,
    masked,
    ...(maskKey ? { maskKey } : {}),
    length,
    lengthBits,
    headerSize: at + (masked ? 4 : 0),
    problems,
  };
}

/** Rules a header breaks regardless of what came before it. */
export function headerProblems(h: FrameHeader, fromClient: boolean, deflate: boolean): string[] {
  const problems = [...h.problems];
  if (OPCODES[h.opcode] === undefined) problems.push(`reserved opcode 0x${h.opcode.toString(16)}`);
  if (isControl(h.opcode)) {
    if (h.length > 125) problems.push(`control frame with ${h.length} payload bytes (max 125)`);
    if (!h.fin) problems.push("fragmented control frame");
  }
  if (h.rsv !== 0) {
    // permessage-deflate may set RSV1, and only on the first frame of a data message.
    const allowed = deflate && h.rsv === 4 && (h.opcode === 1 || h.opcode === 2);
    if (!allowed) problems.push(`RSV bits ${h.rsv.toString(2).padStart(3, "0")} set without a negotiated extension`);
  }
  if (fromClient && !h.masked) problems.push("unmasked client-to-server frame");
  if (!fromClient && h.masked) problems.push("masked server-to-client frame");
  return problems;
}

/** Why a close code may not appear on the wire, if it may not. */
function closeCodeProblem(code: number): string | undefined {
  const ok = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
  return ok ? undefined : `close code ${code} is not allowed on the wire`;
}

/** Code, reason and rule breaks of a close frame's payload (at most 125 bytes kept whole). */
export function readClose(payload: Uint8Array, total: number): { code?: number; reason?: string; problems: string[] } {
  if (total === 0) return { problems: [] };
  if (total === 1) return { problems: ["close payload of 1 byte (a code needs 2)"] };
  const code = (payload[0] << 8) | payload[1];
  const reasonBytes = payload.subarray(2);
  const problems: string[] = [];
  const codeProblem = closeCodeProblem(code);
  if (codeProblem) problems.push(codeProblem);
  if (payload.length === total && !isUtf8(reasonBytes)) problems.push("close reason is not valid UTF-8");
  return { code, reason: bytesAsText(reasonBytes, DISPLAY_LIMIT, total - 2, true), problems };
}

/** How a frame's payload is shown: `auto` picks text when the whole payload is valid UTF-8. */
export type PayloadView = "text" | "hex" | "auto";

function asText(payload: Uint8Array, total: number, view: PayloadView): boolean {
  return view === "text" || (view === "auto" && payload.length === total && isUtf8(payload));
}

/** A payload for display: text or a hex preview. */
export function showPayload(payload: Uint8Array, total: number, view: PayloadView): string {
  if (total === 0) return "";
  if (asText(payload, total, view)) return bytesAsText(payload, DISPLAY_LIMIT, total, "keep-lines");
  return hexPreview(payload, total, Math.floor(DISPLAY_LIMIT / 3));
}

/** XORs a payload slice in place with the masking key, `offset` bytes into the payload. */
export function unmask(bytes: Uint8Array, key: Uint8Array, offset: number): Uint8Array {
  for (let i = 0; i < bytes.length; i++) bytes[i] ^= key[(offset + i) & 3];
  return bytes;
}

/** The one-line `raw` form of a payload: escaped text, or a short hex preview. */
export function rawPayload(payload: Uint8Array, total: number, view: PayloadView, max: number): string {
  if (total === 0) return "";
  if (asText(payload, total, view)) return bytesAsText(payload, max, total, true);
  return hexPreview(payload, total);
}
