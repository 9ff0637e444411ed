/**
 * Decoding one TCP connection: each direction goes through HTTP and, after a
 * 101, WebSocket; long-polling bodies and WebSocket messages go on through
 * Engine.IO and Socket.IO. A connection that opens with a RESP array is a
 * Redis connection (`redis.ts`); one that opens with a PostgreSQL StartupMessage
 * (or SSL request) is a Postgres connection (`postgres.ts`); one that opens with `{` or a length and a V8
 * header is a Node IPC channel (`cluster-ipc.ts`). Captured chunks go in,
 * `WireMessage`s come out.
 */
import type { Direction } from "../trace/model.js";
import type { ChunkRef } from "./bytes.js";
import { decodePollingBody, decodeWsMessage, engineTransport, isPollingBody } from "./engine-route.js";
import type { EngineDecoded } from "./engineio.js";
import { createHttpParser, type HttpEvent, type HttpParser, type RequestInfo } from "./http.js";
import { RAW_LIMIT } from "./limits.js";
import { createIpcStream, createV8IpcStream, type IpcStream } from "./cluster-ipc.js";
import { createPostgresState, looksLikePostgresStart, postgresMessages, type PostgresConnectionState } from "./postgres.js";
import { createRedisState, redisMessages, type RedisConnectionState } from "./redis.js";
import { createSocketStream, type SocketStream } from "./socketio.js";
import { sessionOf, type SessionStreams } from "./session-streams.js";
import { bytesAsText, printableText } from "./text.js";
import type { Layer, WireMessage } from "./types.js";
import { createWsParser, type WsEvent, type WsParser } from "./websocket.js";
import { deflateParams, WsInflater } from "./ws-inflate.js";

/** One captured chunk as the connection decoder takes it. */
export interface ConnectionChunk {
  readonly seq: number;
  readonly dir: Direction;
  readonly time: number;
  readonly bytes: Uint8Array;
  readonly call?: number;
  /** Inbound: the seq after the calls this chunk started (it may carry several messages). */
  readonly callEnd?: number;
  /** Bytes on the wire when `bytes` was cut by the capture; the rest count as missing. */
  readonly size?: number;
}

/** Decodes one connection incrementally; neither method throws. */
export interface ConnectionDecoder {
  /** Takes the next chunk (in capture order); returns the messages it completed. */
  push(chunk: ConnectionChunk): WireMessage[];
  /** The connection closed: returns messages still in progress, marked where cut. */
  end(): WireMessage[];
}

interface Side {
  readonly dir: Direction;
  readonly http: HttpParser;
  readonly socket: SocketStream;
  ws?: WsParser;
  /** permessage-deflate state of this direction, once the server accepted it. */
  inflater?: WsInflater;
  /** Set when the direction switched to a protocol that is not decoded. */
  opaque?: string;
}

/**
 * Creates the decoder of connection `conn`. With `sessions`, the polling
 * bodies of one Engine.IO session share their Socket.IO state across the
 * connections that carry them (a binary packet's attachments may come in the
 * next request, on another connection).
 *
 * @example
 * const decoder = createConnectionDecoder(1);
 * decoder.push({ seq: 1, dir: "in", time: 0, bytes }); // → [{ raw: "GET /socket.io/?EIO=4… HTTP/1.1", … }]
 */
export function createConnectionDecoder(conn: number, sessions?: SessionStreams): ConnectionDecoder {
  const requests: RequestInfo[] = [];
  /** Set when the connection's first bytes are a RESP array: a Redis connection, not HTTP. */
  let redis: RedisConnectionState | undefined;
  let sniffed = false;
  /** Set when the connection is a Node IPC channel (one splitter per direction). */
  let ipc: Record<Direction, IpcStream> | undefined;
  const ipcStarted: Partial<Record<Direction, ChunkRef>> = {};
  const redisStarted: Partial<Record<Direction, ChunkRef>> = {};
  /** Set when the connection's first bytes are a PostgreSQL frontend's first message. */
  let postgres: PostgresConnectionState | undefined;
  const postgresStarted: Partial<Record<Direction, ChunkRef>> = {};
  let wsCarriesEngine = false;
  let deflate = false;

  function side(dir: Direction): Side {
    const http = dir === "in"
      ? createHttpParser({
        side: "request",
        onRequestHead: (request) => {
          requests.push(request);
          if (engineTransport(request.target) === "websocket") wsCarriesEngine = true;
        },
      })
      : createHttpParser({ side: "response", takeRequest: () => requests.shift() });
    return { dir, http, socket: createSocketStream() };
  }
  const sides: Record<Direction, Side> = { in: side("in"), out: side("out") };

  function message(s: Side, first: ChunkRef, last: ChunkRef, size: number, raw: string, layers: Layer[], malformed?: string): WireMessage {
    return {
      conn,
      dir: s.dir,
      firstChunk: first.seq,
      lastChunk: last.seq,
      time: first.time,
      ...(first.call !== undefined ? { call: first.call } : {}),
      size,
      raw,
      layers,
      ...(malformed ? { malformed } : {}),
    };
  }

  function opaque(s: Side, bytes: Uint8Array, size: number, ref: ChunkRef, reason: string): WireMessage {
    return message(s, ref, ref, size, bytesAsText(bytes, RAW_LIMIT, size, true), [], reason);
  }

  function inner(s: Side, engine: EngineDecoded | undefined, stream: SocketStream = s.socket): Layer[] {
    if (!engine) return [];
    const socket = stream.decode(engine.messages);
    return socket ? [engine.layer, socket] : [engine.layer];
  }

  function fromWs(s: Side, events: readonly WsEvent[]): WireMessage[] {
    return events.map((e) => {
      if (e.kind === "opaque") return opaque(s, e.bytes, e.size, e.ref, e.reason);
      const engine = e.message && wsCarriesEngine ? decodeWsMessage(e.message, s.inflater) : undefined;
      return message(s, e.first, e.last, e.size, e.raw, [e.layer, ...inner(s, engine)], e.layer.malformed);
    });
  }

  function fromHttp(s: Side, events: readonly HttpEvent[]): WireMessage[] {
    const out: WireMessage[] = [];
    for (const e of events) {
      if (e.kind === "opaque") {
        out.push(opaque(s, e.bytes, e.size, e.ref, e.reason));
      } else if (e.kind === "message") {
        const request = e.layer.kind === "http-request" ? { method: e.layer.method, target: e.layer.target } : e.request;
        const engine = !e.broken && isPollingBody(e, request) ? decodePollingBody(e) : undefined;
        const sid = engine && sessions && request ? sessionOf(request.target) : undefined;
        const stream = sid !== undefined ? sessions!.stream(sid, s.dir) : s.socket;
        out.push(message(s, e.first, e.last, e.size, printableText(e.startLine, RAW_LIMIT), [e.layer, ...inner(s, engine, stream)], e.layer.malformed));
      } else if (e.protocol === "websocket") {
        if (s.dir === "out") {
          // The server's answer says what was agreed, for both directions.
          deflate = /permessage-deflate/i.test(e.extensions);
          for (const dir of ["in", "out"] as const) {
            const params = deflateParams(e.extensions, dir);
            if (params) sides[dir].inflater = new WsInflater(params);
          }
        }
        s.ws = createWsParser({ fromClient: s.dir === "in", deflate: () => deflate });
        if (e.rest.length > 0 || e.missing > 0) out.push(...fromWs(s, s.ws.push(e.rest, e.ref, e.missing)));
      } else {
        s.opaque = `not decoded: connection switched to "${printableText(e.protocol, 40)}"`;
        if (e.rest.length > 0 || e.missing > 0) out.push(opaque(s, e.rest, e.rest.length + e.missing, e.ref, s.opaque));
      }
    }
    return out;
  }

  /**
   * Pushes a chunk into a service connection's incremental reader, and says which chunk the first
   * message it completes began in: the one a message left open by earlier chunks started in.
   */
  function pushFramed<E>(reader: { push(bytes: Uint8Array, missing: number): E[]; readonly pending: number }, openAt: Partial<Record<Direction, ChunkRef>>, dir: Direction, bytes: Uint8Array, ref: ChunkRef, missing: number): { events: E[]; started: ChunkRef } {
    const started = openAt[dir] ?? ref;
    const events = reader.push(bytes, missing);
    openAt[dir] = reader.pending > 0 ? (events.length > 0 ? ref : started) : undefined;
    return { events, started };
  }

  function fromRedis(state: RedisConnectionState, dir: Direction, bytes: Uint8Array, ref: ChunkRef, missing: number): WireMessage[] {
    const { events, started } = pushFramed(state.parsers[dir], redisStarted, dir, bytes, ref, missing);
    return redisMessages(state, conn, dir, events, started, ref);
  }

  function fromPostgres(state: PostgresConnectionState, dir: Direction, bytes: Uint8Array, ref: ChunkRef, missing: number): WireMessage[] {
    const { events, started } = pushFramed(state.framers[dir], postgresStarted, dir, bytes, ref, missing);
    return postgresMessages(state, conn, dir, events, started, ref);
  }

  function fromIpc(streams: Record<Direction, IpcStream>, dir: Direction, bytes: Uint8Array, ref: ChunkRef, missing: number): WireMessage[] {
    const events = streams[dir].push(bytes);
    const started = ipcStarted[dir] ?? ref;
    // A message still open after this chunk started in it, or earlier.
    ipcStarted[dir] = streams[dir].pending > 0 ? (events.length ? ref : started) : undefined;
    const s = sides[dir];
    // A message received is captured whole, as its listeners got it: the calls its chunk started are its receipt.
    const end = dir === "in" ? ref.callEnd : undefined;
    const out = events.map((e, i) => {
      const m = message(s, i === 0 ? started : ref, ref, e.size, e.raw, [...e.layers], e.malformed);
      return end !== undefined ? { ...m, callEnd: end } : m;
    });
    if (missing > 0) out.push(opaque(s, new Uint8Array(0), missing, ref, "bytes of an IPC message not captured"));
    return out;
  }

  return {
    push(chunk) {
      // A trace file is untrusted: a direction such as "constructor" must not reach Object.prototype.
      if (chunk.dir !== "in" && chunk.dir !== "out") return [];
      const s = sides[chunk.dir];
      const ref: ChunkRef = { seq: chunk.seq, time: chunk.time, ...(chunk.call !== undefined ? { call: chunk.call } : {}), ...(chunk.callEnd !== undefined ? { callEnd: chunk.callEnd } : {}) };
      const missing = Math.max(0, (chunk.size ?? 0) - chunk.bytes.length);
      if (!sniffed && chunk.bytes.length > 0) {
        sniffed = true;
        // HTTP starts with a method or a version, never "*": a RESP client's first command does.
        if (chunk.bytes[0] === 0x2a) redis = createRedisState(chunk.dir);
        else if (looksLikePostgresStart(chunk.bytes)) postgres = createPostgresState(chunk.dir);
        // A JSON IPC message opens with "{"; an "advanced" one with its length, then V8's 0xFF version tag.
        else if (chunk.bytes[0] === 0x7b) ipc = { in: createIpcStream(), out: createIpcStream() };
        else if (chunk.bytes.length > 4 && chunk.bytes[4] === 0xff) ipc = { in: createV8IpcStream(), out: createV8IpcStream() };
      }
      if (ipc) return fromIpc(ipc, chunk.dir, chunk.bytes, ref, missing);
      if (redis) return fromRedis(redis, chunk.dir, chunk.bytes, ref, missing);
      if (postgres) return fromPostgres(postgres, chunk.dir, chunk.bytes, ref, missing);
      if (s.opaque) return [opaque(s, chunk.bytes, chunk.bytes.length + missing, ref, s.opaque)];
      if (s.ws) return fromWs(s, s.ws.push(chunk.bytes, ref, missing));
      return fromHttp(s, s.http.push(chunk.bytes, ref, missing));
    },
    end() {
      const streams = ipc;
      if (streams) {
        return (["in", "out"] as const).flatMap((dir) => {
          const started = ipcStarted[dir];
          return started ? streams[dir].end().map((e) => message(sides[dir], started, started, e.size, e.raw, [...e.layers], e.malformed)) : [];
        });
      }
      const state = redis;
      if (state) {
        return (["in", "out"] as const).flatMap((dir) => {
          const started = redisStarted[dir];
          return started ? redisMessages(state, conn, dir, state.parsers[dir].end(), started, started) : [];
        });
      }
      const pgState = postgres;
      if (pgState) {
        return (["in", "out"] as const).flatMap((dir) => {
          const started = postgresStarted[dir];
          return started ? postgresMessages(pgState, conn, dir, pgState.framers[dir].end(), started, started) : [];
        });
      }
      return (["in", "out"] as const).flatMap((dir) => {
        const s = sides[dir];
        if (s.opaque) return [];
        return s.ws ? fromWs(s, s.ws.end()) : fromHttp(s, s.http.end());
      });
    },
  };
}
