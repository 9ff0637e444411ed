/**
 * Socket.IO packets as socket.io-msgpack-parser writes them: each packet one binary Engine.IO
 * message, the msgpack encoding of the packet object itself (`{ type, data, nsp, id }`), never
 * the text form with attachments. Read with notepack.io (the codec the parser uses) and checked
 * as the parser's own Decoder checks them, so what is accepted here is what the app accepts.
 */
import { Buffer } from "node:buffer";
import { decode } from "notepack.io";

/** A packet of the msgpack parser: the fields socket.io's Packet has. */
export interface MsgpackPacket {
  readonly type: number;
  readonly nsp: string;
  readonly data?: unknown;
  readonly id?: number;
}

const isObject = (value: unknown): boolean => Object.prototype.toString.call(value) === "[object Object]";

/** The parser's `isDataValid`: CONNECT an optional object, DISCONNECT nothing, CONNECT_ERROR a string or object, the rest an array. */
function dataValid(type: number, data: unknown): boolean {
  if (type === 0) return data === undefined || isObject(data);
  if (type === 1) return data === undefined;
  if (type === 4) return typeof data === "string" || isObject(data);
  return Array.isArray(data);
}

/**
 * The packet a binary message holds when the app speaks socket.io-msgpack-parser, or
 * undefined when the bytes are not one (not msgpack, or not a valid packet by the parser's rules).
 *
 * @example
 * msgpackPacket(notepack.encode({ type: 2, nsp: "/", data: ["hi", 1] })); // { type: 2, nsp: "/", data: ["hi", 1] }
 */
export function msgpackPacket(bytes: Uint8Array): MsgpackPacket | undefined {
  let value: unknown;
  try {
    value = decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
  } catch {
    return undefined;
  }
  if (!isObject(value)) return undefined;
  const { type, nsp, data, id } = value as Record<string, unknown>;
  if (typeof type !== "number" || !Number.isInteger(type) || type < 0 || type > 4 || typeof nsp !== "string") return undefined;
  if (!dataValid(type, data)) return undefined;
  if (id !== undefined && !(typeof id === "number" && Number.isInteger(id))) return undefined;
  return { type, nsp, ...(data !== undefined ? { data } : {}), ...(id !== undefined ? { id } : {}) };
}
