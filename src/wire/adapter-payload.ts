/**
 * The messages socket.io's adapters send between servers: `@socket.io/redis-adapter`'s
 * payloads on its Redis channels (msgpack via notepack.io, or JSON for requests and
 * responses), and socket.io-adapter's ClusterAdapter messages that the cluster adapter
 * sends over Node's IPC. The type tables are the adapters' own enums, read from their
 * installed dist (`RequestType` in redis-adapter, `MessageType` in socket.io-adapter).
 */
import { Buffer } from "node:buffer";
import { decode as msgpackDecode } from "notepack.io";
import { boundedJson } from "./bounded-json.js";
import { escapeControls, printableText } from "./text.js";
import type { AdapterLayer, AdapterPacket } from "./types.js";

/** `RequestType` of @socket.io/redis-adapter: the `type` of its request/response channel messages. */
export const REDIS_REQUEST_TYPES = [
  "SOCKETS", "ALL_ROOMS", "REMOTE_JOIN", "REMOTE_LEAVE", "REMOTE_DISCONNECT", "REMOTE_FETCH",
  "SERVER_SIDE_EMIT", "BROADCAST", "BROADCAST_CLIENT_COUNT", "BROADCAST_ACK",
] as const;

/** `MessageType` of socket.io-adapter's ClusterAdapter (1-based). */
export const CLUSTER_MESSAGE_TYPES: Readonly<Record<number, string>> = {
  1: "INITIAL_HEARTBEAT", 2: "HEARTBEAT", 3: "BROADCAST", 4: "SOCKETS_JOIN", 5: "SOCKETS_LEAVE",
  6: "DISCONNECT_SOCKETS", 7: "FETCH_SOCKETS", 8: "FETCH_SOCKETS_RESPONSE", 9: "SERVER_SIDE_EMIT",
  10: "SERVER_SIDE_EMIT_RESPONSE", 11: "BROADCAST_CLIENT_COUNT", 12: "BROADCAST_ACK", 13: "ADAPTER_CLOSE",
};

const PACKET_NAMES = ["CONNECT", "DISCONNECT", "EVENT", "ACK", "CONNECT_ERROR", "BINARY_EVENT", "BINARY_ACK"];
const NAME_LIMIT = 200;

/** A Redis channel of the redis-adapter, read from its name. */
export interface AdapterChannel {
  readonly role: "broadcast" | "request" | "response";
  readonly prefix: string;
  readonly nsp: string;
  /** The room of a single-room broadcast channel, or the requester uid of a specific response channel. */
  readonly rest?: string;
}

/**
 * Reads a redis-adapter channel name: `<key>#<nsp>#` (every broadcast),
 * `<key>#<nsp>#<room>#` (a broadcast to one room), `<key>-request#<nsp>#`,
 * `<key>-response#<nsp>#` and `<key>-response#<nsp>#<uid>#`. A pattern such as
 * `socket.io#/#*` reads as the broadcast channels it matches. Other names: undefined.
 *
 * @example
 * adapterChannel("socket.io#/#room-1#"); // { role: "broadcast", prefix: "socket.io", nsp: "/", rest: "room-1" }
 */
export function adapterChannel(channel: string): AdapterChannel | undefined {
  const m = /^(.*?)(-request|-response)?#(\/[^#]*)#(.*)$/s.exec(channel);
  if (!m) return undefined;
  const [, prefix, kind, nsp, tail] = m;
  const role = kind === "-request" ? "request" : kind === "-response" ? "response" : "broadcast";
  if (tail === "" || tail === "*") return { role, prefix, nsp };
  if (!tail.endsWith("#")) return undefined;
  return { role, prefix, nsp, rest: tail.slice(0, -1) };
}

/** An own property of a decoded value, never a getter or an inherited one. */
function own(value: unknown, key: string): unknown {
  if (value === null || typeof value !== "object") return undefined;
  return Object.getOwnPropertyDescriptor(value, key)?.value;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" || typeof value === "number" ? printableText(String(value), NAME_LIMIT) : undefined;
}

function names(value: unknown): readonly string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.slice(0, 50).map((v) => printableText(typeof v === "string" ? v : boundedJson(v), NAME_LIMIT));
}

function json(value: unknown): string {
  return escapeControls(boundedJson(value));
}

/** Describes a Socket.IO packet object as the adapters carry it (`{ type, data, nsp, id }`). */
function packetOf(value: unknown): AdapterPacket | undefined {
  const type = own(value, "type");
  if (typeof type !== "number") return undefined;
  const data = own(value, "data");
  const first = Array.isArray(data) ? (data as unknown[])[0] : undefined;
  const nsp = own(value, "nsp");
  return {
    type,
    name: PACKET_NAMES[type] ?? `UNKNOWN-${type}`,
    nsp: typeof nsp === "string" ? printableText(nsp, NAME_LIMIT) : "/",
    ...((type === 2 || type === 5) && (typeof first === "string" || typeof first === "number") ? { event: printableText(String(first), NAME_LIMIT) } : {}),
    data: data === undefined ? "" : json(data),
  };
}

/** The rooms, except and flags of broadcast options (`{ rooms, except, flags }`). */
function optionsOf(opts: unknown): Pick<AdapterLayer, "rooms" | "except" | "flags"> {
  const rooms = names(own(opts, "rooms"));
  const except = names(own(opts, "except"));
  const flags = own(opts, "flags");
  return {
    ...(rooms ? { rooms } : {}),
    ...(except ? { except } : {}),
    ...(flags !== undefined && flags !== null ? { flags: json(flags) } : {}),
  };
}

const KNOWN = new Set(["uid", "requestId", "type", "packet", "opts", "source", "nsp", "requesterUid"]);

/** What a message carries beyond the fields shown on their own, as bounded JSON. */
function restOf(value: unknown, known: ReadonlySet<string> = KNOWN): string | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(value)) if (!known.has(key)) rest[key] = own(value, key);
  return Object.keys(rest).length > 0 ? json(rest) : undefined;
}

function decodePayload(bytes: Uint8Array): { readonly value?: unknown; readonly encoding: "msgpack" | "json"; readonly malformed?: string } {
  // The adapter itself tells the two apart by a leading "{" (see RedisAdapter.onrequest).
  if (bytes[0] === 0x7b) {
    try {
      return { value: JSON.parse(new TextDecoder("utf-8").decode(bytes)) as unknown, encoding: "json" };
    } catch (e) {
      return { encoding: "json", malformed: `not JSON: ${e instanceof Error ? e.message : String(e)}` };
    }
  }
  try {
    return { value: msgpackDecode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)) as unknown, encoding: "msgpack" };
  } catch (e) {
    return { encoding: "msgpack", malformed: `not msgpack: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/**
 * Decodes a redis-adapter payload published on (or received from) `channel`.
 * Undefined when the channel is not one of the adapter's. Never throws.
 *
 * @example
 * redisAdapterLayer("socket.io#/#", msgpack([uid, { type: 2, data: ["hi"], nsp: "/" }, { rooms: [], except: [] }]));
 * // { kind: "adapter", adapter: "redis", channel: "broadcast", encoding: "msgpack", uid, packet: { name: "EVENT", event: "hi", … }, rooms: [] … }
 */
export function redisAdapterLayer(channel: string, bytes: Uint8Array): AdapterLayer | undefined {
  const ch = adapterChannel(channel);
  if (!ch) return undefined;
  const where = { kind: "adapter" as const, adapter: "redis" as const, channel: ch.role, nsp: printableText(ch.nsp, NAME_LIMIT) };
  const decoded = decodePayload(bytes);
  if (decoded.malformed) return { ...where, encoding: decoded.encoding, malformed: decoded.malformed };
  const value = decoded.value;
  if (ch.role === "broadcast") {
    const room = ch.rest !== undefined ? { room: printableText(ch.rest, NAME_LIMIT) } : {};
    // RedisAdapter.broadcast encodes [uid, packet, opts].
    if (!Array.isArray(value) || value.length < 3) {
      return { ...where, ...room, encoding: decoded.encoding, data: json(value), malformed: "a broadcast payload is [uid, packet, opts]" };
    }
    const [uid, packet, opts] = value as unknown[];
    const p = packetOf(packet);
    return {
      ...where, ...room, encoding: decoded.encoding,
      ...(text(uid) !== undefined ? { uid: text(uid) } : {}),
      ...(p ? { packet: p } : {}),
      ...optionsOf(opts),
      ...(p ? {} : { malformed: "no Socket.IO packet in the broadcast" }),
    };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { ...where, encoding: decoded.encoding, data: json(value), malformed: `a ${ch.role} is an object` };
  }
  const type = own(value, "type");
  const p = packetOf(own(value, "packet"));
  const requestId = text(own(value, "requestId"));
  const uid = text(own(value, "uid"));
  const rest = restOf(value);
  return {
    ...where, encoding: decoded.encoding,
    ...(typeof type === "number" ? { type, typeName: REDIS_REQUEST_TYPES[type] ?? `UNKNOWN-${type}` } : {}),
    ...(uid !== undefined ? { uid } : {}),
    ...(requestId !== undefined ? { requestId } : {}),
    ...(p ? { packet: p } : {}),
    ...optionsOf(own(value, "opts")),
    ...(rest !== undefined ? { data: rest } : {}),
  };
}

/**
 * Decodes a ClusterAdapter message as the cluster adapter sends it over IPC:
 * `{ source: "_sio_adapter", uid, nsp, type, data }`, responses with `requesterUid`.
 * Undefined for IPC messages that are not the adapter's. Never throws.
 *
 * @example
 * clusterAdapterLayer({ source: "_sio_adapter", uid: "a1", nsp: "/", type: 3, data: { packet, opts } });
 * // { kind: "adapter", adapter: "cluster", encoding: "ipc", typeName: "BROADCAST", packet: { … }, rooms: [] … }
 */
export function clusterAdapterLayer(message: unknown): AdapterLayer | undefined {
  if (own(message, "source") !== "_sio_adapter") return undefined;
  return clusterMessageLayer(message, "cluster", "ipc");
}

/**
 * Decodes a ClusterAdapter message (`{ uid, nsp, type, data }`, responses with `requesterUid`)
 * as adapter `adapter` carried it: over IPC (the cluster adapter) or as JSON (the Postgres
 * adapter's NOTIFY payloads). Never throws.
 */
export function clusterMessageLayer(message: unknown, adapter: "cluster" | "postgres", encoding: "ipc" | "json"): AdapterLayer {
  const type = own(message, "type");
  const data = own(message, "data");
  const uid = text(own(message, "uid"));
  const nsp = text(own(message, "nsp"));
  const requestId = text(own(data, "requestId"));
  const p = packetOf(own(data, "packet"));
  const rest = restOf(data, new Set(["packet", "opts", "requestId"]));
  const requester = text(own(message, "requesterUid"));
  return {
    kind: "adapter", adapter, encoding,
    ...(nsp !== undefined ? { nsp } : {}),
    ...(typeof type === "number" ? { type, typeName: CLUSTER_MESSAGE_TYPES[type] ?? `UNKNOWN-${type}` } : {}),
    ...(uid !== undefined ? { uid } : requester !== undefined ? { uid: requester } : {}),
    ...(requestId !== undefined ? { requestId } : {}),
    ...(p ? { packet: p } : {}),
    ...optionsOf(own(data, "opts")),
    ...(rest !== undefined ? { data: rest } : {}),
    ...(typeof type === "number" ? {} : { malformed: "an adapter message without a numeric type" }),
  };
}
