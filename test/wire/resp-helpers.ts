/**
 * RESP byte builders for the Redis decoder tests, from the protocol spec
 * (https://redis.io/docs/latest/develop/reference/protocol-spec/), and the
 * adapters' payloads built with the encoder the adapter itself uses (notepack.io).
 */
import { encode } from "notepack.io";
import { bytes, join } from "./helpers.js";

/** A bulk string: `$<len>\r\n<bytes>\r\n`. */
export function bulk(value: string | Uint8Array): Uint8Array {
  const b = typeof value === "string" ? bytes(value) : value;
  return join(bytes(`$${b.length}\r\n`), b, bytes("\r\n"));
}

/** A command as clients send it: an array of bulk strings. */
export function command(...args: readonly (string | Uint8Array)[]): Uint8Array {
  return join(bytes(`*${args.length}\r\n`), ...args.map(bulk));
}

/** An aggregate (`*` array, `>` push…) of already encoded values. */
export function aggregate(prefix: "*" | ">" | "~", ...items: readonly Uint8Array[]): Uint8Array {
  return join(bytes(`${prefix}${items.length}\r\n`), ...items);
}

/** The msgpack bytes of a value, as the redis-adapter encodes it. */
export function msgpack(value: unknown): Uint8Array {
  return new Uint8Array(encode(value) as Buffer);
}

/** A broadcast payload as RedisAdapter.broadcast publishes it: [uid, packet, opts]. */
export function broadcastPayload(uid: string, data: unknown[], rooms: string[] = [], except: string[] = []): Uint8Array {
  return msgpack([uid, { type: 2, data, nsp: "/" }, { rooms, except, flags: {} }]);
}
