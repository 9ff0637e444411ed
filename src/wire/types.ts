/**
 * Decoded wire messages: what the pure decoders in `src/wire/` make of captured bytes.
 *
 * Every string in a layer is display text from untrusted traffic, made safe to print:
 * control characters (C0, DEL, C1 such as the 8-bit CSI U+009B), line separators and
 * bidi controls are escaped (`\x1b`, `\u202e`), except line feeds and tabs in `body`
 * and `payload`, which are shown as blocks.
 *
 * A message is one unit a reader thinks in: an HTTP request or response (with its
 * body), or one WebSocket frame. Its layers go from the outside in: transport
 * (HTTP or RFC 6455) → Engine.IO → Socket.IO. Malformed input never throws: the
 * layer that could not be decoded carries `malformed` with the reason, and the
 * layers inside it are absent.
 */
import type { Direction } from "../trace/model.js";

/** An HTTP/1.1 request head and body. */
export interface HttpRequestLayer {
  readonly kind: "http-request";
  readonly method: string;
  readonly target: string;
  readonly version: string;
  readonly headers: readonly (readonly [string, string])[];
  /** Body bytes after de-chunking, as text (latin1-safe, controls but line feeds and tabs escaped); cut past the display limit. */
  readonly body: string;
  readonly bodySize: number;
  readonly malformed?: string;
}

/** An HTTP/1.1 response head and body (the 101 upgrade has no body). */
export interface HttpResponseLayer {
  readonly kind: "http-response";
  readonly version: string;
  readonly status: number;
  readonly reason: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
  readonly bodySize: number;
  readonly malformed?: string;
}

/** One RFC 6455 frame. */
export interface WsFrameLayer {
  readonly kind: "ws-frame";
  readonly fin: boolean;
  /** RSV1..3 as a 3-bit number (RSV1 = 4). */
  readonly rsv: number;
  readonly opcode: number;
  /** `text`, `binary`, `continuation`, `close`, `ping`, `pong` or `reserved-0xN`. */
  readonly opcodeName: string;
  readonly masked: boolean;
  /** Hex of the 4-byte masking key when masked. */
  readonly maskKey?: string;
  readonly payloadLength: number;
  /** How the length was encoded: 7-bit, 16-bit or 64-bit. */
  readonly lengthBits: 7 | 16 | 64;
  /** Unmasked payload as text (UTF-8 for text frames, hex for binary); cut past the limit. */
  readonly payload: string;
  /** For close frames. */
  readonly closeCode?: number;
  readonly closeReason?: string;
  /** For a final frame that completes a fragmented message: how many frames it joined. */
  readonly fragments?: number;
  readonly malformed?: string;
}

/** One Engine.IO v4 packet. */
export interface EnginePacket {
  /** 0..6 */
  readonly type: number;
  /** open, close, ping, pong, message, upgrade, noop */
  readonly name: string;
  /** Data as text; binary as `<binary N bytes>` plus hex preview. */
  readonly data: string;
  readonly binary?: boolean;
  readonly malformed?: string;
}

/** The Engine.IO layer of a message: one packet, or a polling batch split on `\x1e`. */
export interface EngineLayer {
  readonly kind: "engine.io";
  readonly packets: readonly EnginePacket[];
  readonly malformed?: string;
}

/** One Socket.IO v5 packet. */
export interface SocketPacket {
  /** 0..6 */
  readonly type: number;
  /** CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR, BINARY_EVENT, BINARY_ACK */
  readonly name: string;
  readonly nsp: string;
  readonly id?: number;
  /** Event name for EVENT/BINARY_EVENT. */
  readonly event?: string;
  /** The data as compact JSON text (depth- and size-bounded). */
  readonly data: string;
  readonly attachments?: number;
  /**
   * Set on a binary Engine.IO message that carries an attachment of the
   * BINARY_EVENT / BINARY_ACK before it: its 0-based index (the placeholder's
   * `num`). `attachments` then holds the total and the other fields the header's.
   */
  readonly attachment?: number;
  /** `msgpack`: the packet came as one binary message of socket.io-msgpack-parser's, not as text. */
  readonly encoding?: "msgpack";
  readonly malformed?: string;
}

/** The Socket.IO layer: one packet per Engine.IO `message` packet in the message. */
export interface SocketLayer {
  readonly kind: "socket.io";
  readonly packets: readonly SocketPacket[];
  readonly malformed?: string;
}

/**
 * One RESP value on a Redis connection (RESP2 or RESP3), read as what it does:
 * a command the traced process sent, a reply to one, or a push (pub/sub).
 */
export interface RedisLayer {
  readonly kind: "redis";
  /** `command` (written by the Redis client), `reply` to a command, or `push`: a pub/sub message or subscription notice. */
  readonly role: "command" | "reply" | "push";
  /** The RESP type as it came: `array`, `push`, `bulk string`, `integer`, `simple string`, `error`, `map`, `null`… */
  readonly resp: string;
  /** The command (`PUBLISH`), the push's kind (`message`, `pmessage`, `subscribe`), or for a reply its RESP type. */
  readonly name: string;
  /** The command's arguments or the reply's items as display text, bounded. */
  readonly args: readonly string[];
  /** The pub/sub channel of a PUBLISH, SUBSCRIBE or message. */
  readonly channel?: string;
  /** The pattern of a PSUBSCRIBE or pmessage. */
  readonly pattern?: string;
  /** For a reply: the command it answers, by pipeline order. */
  readonly replyTo?: string;
  /**
   * The payload of a PUBLISH or a pub/sub message: its size and a digest of its bytes, so that the
   * message one server published can be found, byte for byte, among what another server received.
   */
  readonly payload?: { readonly size: number; readonly digest: string };
  readonly malformed?: string;
}

/** A Socket.IO packet carried between servers, as the adapter encoded it. */
export interface AdapterPacket {
  readonly type: number;
  /** EVENT, ACK… as for `SocketPacket`. */
  readonly name: string;
  readonly nsp: string;
  readonly event?: string;
  /** The packet's data as bounded JSON text. */
  readonly data: string;
}

/**
 * A message between servers, inside a Redis payload, a cluster IPC message or a Postgres NOTIFY:
 * what `@socket.io/redis-adapter`, socket.io-adapter's ClusterAdapter or `@socket.io/postgres-adapter` put there.
 */
export interface AdapterLayer {
  readonly kind: "adapter";
  /** Which adapter's format it is. */
  readonly adapter: "redis" | "cluster" | "postgres";
  /** The Redis channel's role: every server's broadcast channel (`socket.io#/#`), requests, or responses. */
  readonly channel?: "broadcast" | "request" | "response";
  /** How the payload was encoded. */
  readonly encoding: "msgpack" | "json" | "ipc";
  readonly nsp?: string;
  /** The room named in a broadcast channel (`socket.io#/#room#`). */
  readonly room?: string;
  /** The request or message type, and its name in the adapter's enum (`BROADCAST`, `REMOTE_FETCH`). */
  readonly type?: number;
  readonly typeName?: string;
  /** The sending adapter's uid. */
  readonly uid?: string;
  readonly requestId?: string;
  readonly packet?: AdapterPacket;
  readonly rooms?: readonly string[];
  readonly except?: readonly string[];
  /** The broadcast flags, bounded JSON. */
  readonly flags?: string;
  /** What else the message carries (sockets of a response, serverSideEmit data), bounded JSON. */
  readonly data?: string;
  readonly malformed?: string;
}

/** One message on a Node IPC channel (cluster primary ↔ worker), as JSON. */
export interface IpcLayer {
  readonly kind: "ipc";
  /** Node's own messages carry `cmd` (`NODE_CLUSTER`); the adapter's carry `source: "_sio_adapter"`. */
  readonly cmd?: string;
  readonly source?: string;
  /** The message as bounded JSON. */
  readonly text: string;
  /** A digest (FNV-1a, hex) of its value as JSON: the sender's write and the receiver's copy are told to be one message by it. */
  readonly digest?: string;
  readonly malformed?: string;
}

/**
 * One message on a PostgreSQL connection of the traced process (protocol 3.0): `frontend` is
 * what its client (`pg`) wrote, `backend` what the server answered.
 */
export interface PostgresLayer {
  readonly kind: "postgres";
  readonly side: "frontend" | "backend";
  /** The type byte as a character (`Q`, `A`, `Z`); empty for the untyped start-up messages. */
  readonly code: string;
  /** The protocol's name for it: `StartupMessage`, `Query`, `Bind`, `NotificationResponse`… */
  readonly name: string;
  /** Its fields as display text, bounded; passwords and cancel keys are never among them. */
  readonly fields: readonly string[];
  /** The SQL of a Query or Parse, or for a Bind the statement it binds, bounded. */
  readonly sql?: string;
  /** A notification's channel: a NotificationResponse's, or a Bind's of `SELECT pg_notify($1, $2)`. */
  readonly channel?: string;
  /** Set when part of the message was not captured or not kept. */
  readonly cut?: string;
  readonly malformed?: string;
}

/** Any decoded layer. */
export type Layer = HttpRequestLayer | HttpResponseLayer | WsFrameLayer | EngineLayer | SocketLayer | RedisLayer | AdapterLayer | IpcLayer | PostgresLayer;

/** One decoded message on one connection. */
export interface WireMessage {
  readonly conn: number;
  readonly dir: Direction;
  /** Sequence numbers of the first and last captured chunk the message spans. */
  readonly firstChunk: number;
  readonly lastChunk: number;
  /** Time of the first chunk (ms since trace start). */
  readonly time: number;
  /** Call linked to the first chunk, when known. */
  readonly call?: number;
  /**
   * A Redis reply or push, or an IPC message received: the seq after the calls its chunk started (`call <= seq < callEnd`),
   * since one read may carry several messages and only the first one's handler is `call`.
   */
  readonly callEnd?: number;
  /** Bytes on the wire. */
  readonly size: number;
  /** The message as printable text, e.g. `HTTP/1.1 101 Switching Protocols` or `42["chat message","hi"]`. */
  readonly raw: string;
  readonly layers: readonly Layer[];
  /** Set when the outermost layer itself could not be decoded. */
  readonly malformed?: string;
}
