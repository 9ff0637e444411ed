/**
 * An incremental RESP parser (Redis serialization protocol, RESP2 and RESP3):
 * bytes of one direction in, whole values out, as they complete.
 *
 * Written here rather than wrapping `redis-parser` because that parser reads
 * replies only (RESP2), and reports bad bytes by throwing through a callback;
 * this one also reads the commands a client sends, RESP3's types, and shows
 * malformed input as a value. RESP has no resync marker: after bad bytes the
 * parser skips to the next line end and tries again; after bytes the capture
 * did not keep, it stops decoding the direction and says so.
 */
import { DECODE_LIMIT } from "./limits.js";

/** One decoded RESP value. */
export type RespValue =
  | { readonly type: "simple string" | "error" | "integer" | "double" | "big number" | "boolean"; readonly text: string }
  | { readonly type: "bulk string" | "bulk error" | "verbatim string"; readonly bytes: Uint8Array }
  | { readonly type: "null" }
  | { readonly type: "array" | "set" | "push"; readonly items: readonly RespValue[] }
  | { readonly type: "map" | "attribute"; readonly items: readonly RespValue[] }
  /** A command written inline (`PING\r\n`), as telnet-style clients do. */
  | { readonly type: "inline"; readonly items: readonly RespValue[] };

/** One value with the bytes it took, or bytes that could not be read. */
export type RespEvent =
  | { readonly kind: "value"; readonly value: RespValue; readonly size: number; readonly raw: Uint8Array }
  | { readonly kind: "malformed"; readonly reason: string; readonly size: number; readonly raw: Uint8Array };

/** Elements of one aggregate and levels of nesting accepted before the value counts as malformed. */
export const RESP_MAX_ITEMS = 100_000;
export const RESP_MAX_DEPTH = 32;

/** Parses one direction of a Redis connection; neither method throws. */
export interface RespParser {
  /** Takes the next bytes; `missing` counts bytes the capture lost after them. */
  push(bytes: Uint8Array, missing?: number): RespEvent[];
  /** The stream ended: what is left is an incomplete value. */
  end(): RespEvent[];
  /** Bytes held of a value not yet complete. */
  readonly pending: number;
}

const CR = 0x0d;
const LF = 0x0a;
const decoder = new TextDecoder("utf-8");

class Incomplete {}
const INCOMPLETE = new Incomplete();

class Bad {
  constructor(readonly reason: string) {}
}

interface Cursor {
  at: number;
  readonly buf: Uint8Array;
  readonly inline: boolean;
}

function line(c: Cursor): string {
  for (let i = c.at; i + 1 < c.buf.length; i++) {
    if (c.buf[i] === CR && c.buf[i + 1] === LF) {
      const text = decoder.decode(c.buf.subarray(c.at, i));
      c.at = i + 2;
      return text;
    }
    if (i - c.at > DECODE_LIMIT) throw new Bad("a line over the decode limit without CRLF");
  }
  throw INCOMPLETE;
}

function length(text: string, what: string): number {
  if (!/^-?\d{1,12}$/.test(text)) throw new Bad(`${what} length ${JSON.stringify(text.slice(0, 20))} is not a number`);
  return Number(text);
}

function blob(c: Cursor, type: "bulk string" | "bulk error" | "verbatim string", header: string): RespValue {
  const n = length(header, type);
  if (n === -1) return { type: "null" };
  if (n < 0) throw new Bad(`${type} length ${n}`);
  if (n > DECODE_LIMIT) throw new Bad(`${type} of ${n} bytes is over the decode limit`);
  if (c.buf.length < c.at + n + 2) throw INCOMPLETE;
  const bytes = c.buf.slice(c.at, c.at + n);
  if (c.buf[c.at + n] !== CR || c.buf[c.at + n + 1] !== LF) throw new Bad(`${type} of ${n} bytes not followed by CRLF`);
  c.at += n + 2;
  return { type, bytes };
}

function aggregate(c: Cursor, type: "array" | "set" | "push" | "map" | "attribute", header: string, depth: number): RespValue {
  const n = length(header, type);
  if (n === -1 && type === "array") return { type: "null" };
  if (n < 0) throw new Bad(`${type} length ${n}`);
  const count = type === "map" || type === "attribute" ? n * 2 : n;
  if (count > RESP_MAX_ITEMS) throw new Bad(`${type} of ${n} elements is over the limit`);
  if (depth >= RESP_MAX_DEPTH) throw new Bad(`nested deeper than ${RESP_MAX_DEPTH} levels`);
  const items: RespValue[] = [];
  for (let i = 0; i < count; i++) items.push(value(c, depth + 1));
  return { type, items };
}

function value(c: Cursor, depth: number): RespValue {
  if (c.at >= c.buf.length) throw INCOMPLETE;
  const prefix = String.fromCharCode(c.buf[c.at]);
  const start = c.at;
  c.at++;
  switch (prefix) {
    case "+": return { type: "simple string", text: line(c) };
    case "-": return { type: "error", text: line(c) };
    case ":": return number(c, "integer", /^[-+]?\d+$/);
    case ",": return number(c, "double", /^([-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?|[-+]?inf|nan)$/);
    case "(": return number(c, "big number", /^[-+]?\d+$/);
    case "#": {
      const text = line(c);
      if (text !== "t" && text !== "f") throw new Bad(`boolean ${JSON.stringify(text.slice(0, 20))}`);
      return { type: "boolean", text: text === "t" ? "true" : "false" };
    }
    case "_": {
      if (line(c) !== "") throw new Bad("null with a payload");
      return { type: "null" };
    }
    case "$": return blob(c, "bulk string", line(c));
    case "!": return blob(c, "bulk error", line(c));
    case "=": return blob(c, "verbatim string", line(c));
    case "*": return aggregate(c, "array", line(c), depth);
    case "~": return aggregate(c, "set", line(c), depth);
    case ">": return aggregate(c, "push", line(c), depth);
    case "%": return aggregate(c, "map", line(c), depth);
    case "|": return aggregate(c, "attribute", line(c), depth);
    default:
      c.at = start;
      if (depth === 0 && c.inline) return inline(c);
      throw new Bad(`unknown RESP type byte 0x${c.buf[start].toString(16).padStart(2, "0")}`);
  }
}

function number(c: Cursor, type: "integer" | "double" | "big number", shape: RegExp): RespValue {
  const text = line(c);
  if (!shape.test(text)) throw new Bad(`${type} ${JSON.stringify(text.slice(0, 20))}`);
  return { type, text };
}

function inline(c: Cursor): RespValue {
  const text = line(c);
  const words = text.split(/\s+/).filter((w) => w !== "");
  return { type: "inline", items: words.map((w) => ({ type: "bulk string" as const, bytes: new TextEncoder().encode(w) })) };
}

/** Index just past the next CRLF at or after `from`, or -1. */
function nextLine(buf: Uint8Array, from: number): number {
  for (let i = from; i + 1 < buf.length; i++) if (buf[i] === CR && buf[i + 1] === LF) return i + 2;
  return -1;
}

/**
 * Creates a parser for one direction. `inline` accepts inline commands (the
 * client's side of a connection).
 *
 * @example
 * const p = createRespParser({ inline: true });
 * p.push(bytes("*2\r\n$4\r\nPING\r\n$2\r\nhi\r\n")); // [{ kind: "value", value: { type: "array", items: [...] }, size: 24, … }]
 */
export function createRespParser(options: { readonly inline?: boolean } = {}): RespParser {
  let buffered: Uint8Array = new Uint8Array(0);
  /** Set once bytes were lost: RESP cannot be followed past a gap. */
  let lost: string | undefined;
  /** Skipping a malformed line up to its end. */
  let skipping = false;

  function drain(): RespEvent[] {
    const out: RespEvent[] = [];
    let at = 0;
    while (at < buffered.length) {
      if (skipping) {
        const end = nextLine(buffered, at);
        const stop = end < 0 ? buffered.length : end;
        out.push({ kind: "malformed", reason: "skipped after malformed RESP, up to the next line end", size: stop - at, raw: buffered.slice(at, stop) });
        at = stop;
        if (end >= 0) skipping = false;
        continue;
      }
      const c: Cursor = { at, buf: buffered, inline: options.inline === true };
      try {
        const v = value(c, 0);
        out.push({ kind: "value", value: v, size: c.at - at, raw: buffered.slice(at, c.at) });
        at = c.at;
      } catch (e) {
        if (e === INCOMPLETE) break;
        const reason = e instanceof Bad ? e.reason : `not decoded: ${String(e)}`;
        const end = nextLine(buffered, at);
        const stop = end < 0 ? buffered.length : end;
        out.push({ kind: "malformed", reason, size: stop - at, raw: buffered.slice(at, stop) });
        at = stop;
        if (end < 0) skipping = true;
      }
    }
    buffered = buffered.slice(at);
    return out;
  }

  return {
    push(bytes, missing = 0) {
      if (lost) return bytes.length + missing > 0 ? [{ kind: "malformed", reason: lost, size: bytes.length + missing, raw: bytes.slice() }] : [];
      const joined = new Uint8Array(buffered.length + bytes.length);
      joined.set(buffered);
      joined.set(bytes, buffered.length);
      buffered = joined;
      const out = drain();
      if (buffered.length > 2 * DECODE_LIMIT) {
        lost = `a RESP value over ${2 * DECODE_LIMIT} bytes is not decoded, nor what follows it`;
        out.push({ kind: "malformed", reason: lost, size: buffered.length + missing, raw: buffered.slice(0, 64) });
        buffered = new Uint8Array(0);
      } else if (missing > 0) {
        lost = `${missing} bytes were not captured; RESP cannot be followed past them`;
        out.push({ kind: "malformed", reason: lost, size: buffered.length + missing, raw: buffered });
        buffered = new Uint8Array(0);
      }
      return out;
    },
    get pending() {
      return buffered.length;
    },
    end() {
      if (buffered.length === 0) return [];
      const rest = buffered;
      buffered = new Uint8Array(0);
      return [{ kind: "malformed", reason: "the connection ended inside a RESP value", size: rest.length, raw: rest }];
    },
  };
}
