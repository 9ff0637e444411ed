/**
 * A PostgreSQL connection of the traced process, decoded: each message its `pg` client wrote and
 * each the server answered, read as what it says (`postgres-messages.ts`), with the Postgres
 * adapter's broadcasts decoded inside: the JSON it sends with `SELECT pg_notify($1, $2)` (in the
 * Bind that carries the parameters) and hears back in NotificationResponse messages.
 */
import { clusterMessageLayer } from "./adapter-payload.js";
import type { ChunkRef } from "./bytes.js";
import { RAW_LIMIT } from "./limits.js";
import { createPgFramer, type PgFrameEvent, type PgFramer, type PgHandshake } from "./postgres-frames.js";
import { pgMessage, type PgMessage } from "./postgres-messages.js";
import { bytesAsText, escapeControls, printableText } from "./text.js";
import type { Direction } from "../trace/model.js";
import type { AdapterLayer, Layer, PostgresLayer, WireMessage } from "./types.js";

/** Statements a connection prepared that are remembered, so a Bind can be read as the SQL it runs. */
const STATEMENTS_KEPT = 100;
const SQL_LIMIT = 400;
const NOTIFY_SQL = /^\s*select\s+pg_notify\s*\(\s*\$1\s*,\s*\$2\s*\)\s*;?\s*$/i;

/**
 * Whether a connection's first bytes are a frontend's first message: an int32 length, then protocol
 * 3.x or the SSL, GSS or cancel request code. HTTP, RESP and IPC never start so.
 */
export function looksLikePostgresStart(bytes: Uint8Array): boolean {
  if (bytes.length < 8) return false;
  const length = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
  const code = ((bytes[4] << 24) | (bytes[5] << 16) | (bytes[6] << 8) | bytes[7]) >>> 0;
  return length >= 8 && length <= 10_000 && (code >>> 16 === 3 || code === 80877103 || code === 80877104 || code === 80877102);
}

/** The framers of both directions and what the connection prepared. */
export interface PostgresConnectionState {
  readonly frontendDir: Direction;
  readonly framers: Record<Direction, PgFramer>;
  /** SQL of the statements Parse prepared, by name ("" is the unnamed one). */
  readonly statements: Map<string, string>;
}

/** The state of a Postgres connection whose client writes in direction `frontendDir`. */
export function createPostgresState(frontendDir: Direction): PostgresConnectionState {
  const handshake: PgHandshake = { startup: true, sslAnswer: false };
  const other: Direction = frontendDir === "out" ? "in" : "out";
  return {
    frontendDir,
    framers: { [frontendDir]: createPgFramer(true, handshake), [other]: createPgFramer(false, handshake) } as Record<Direction, PgFramer>,
    statements: new Map(),
  };
}

/**
 * The Postgres adapter's message in a notification on `channel` (`<prefix>#<nsp>`), JSON of a
 * ClusterAdapter message, or a header `{ uid, type, attachmentId }` whose message was stored in the
 * attachments table. Undefined when the channel or payload is not the adapter's. Never throws.
 *
 * @example
 * postgresAdapterLayer("socket.io#/", '{"uid":"a1","nsp":"/","type":3,"data":{"packet":{…},"opts":{…}}}');
 * // { kind: "adapter", adapter: "postgres", encoding: "json", typeName: "BROADCAST", packet: { … } … }
 */
export function postgresAdapterLayer(channel: string, payload: string): AdapterLayer | undefined {
  if (!/#\/[^#]*$/s.test(channel) || !payload.startsWith("{")) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch (e) {
    return { kind: "adapter", adapter: "postgres", encoding: "json", malformed: `not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  const layer = clusterMessageLayer(value, "postgres", "json");
  const attachment = value !== null && typeof value === "object" ? Object.getOwnPropertyDescriptor(value, "attachmentId")?.value : undefined;
  if (typeof attachment !== "string" && typeof attachment !== "number") return layer;
  // The message itself went into the attachments table; the notification only names its row.
  return { ...layer, data: escapeControls(`attachment ${printableText(String(attachment), 80)} (the message is in the attachments table)`) };
}

function notifyOf(state: PostgresConnectionState, frontend: boolean, code: string, message: PgMessage): { channel: string; payload: string } | undefined {
  if (!frontend) return code === "A" && message.channel !== undefined && message.payload !== undefined ? { channel: message.channel, payload: message.payload } : undefined;
  if (code !== "B" || message.statement === undefined) return undefined;
  const sql = state.statements.get(message.statement);
  const [channel, payload] = message.params ?? [];
  return sql !== undefined && NOTIFY_SQL.test(sql) && channel !== undefined && payload !== undefined ? { channel, payload } : undefined;
}

function layersOf(state: PostgresConnectionState, dir: Direction, e: Extract<PgFrameEvent, { kind: "message" }>): Layer[] {
  const frontend = dir === state.frontendDir;
  const message = e.cut ? { name: pgMessage(frontend, e.code, new Uint8Array(0)).name, fields: [] } : pgMessage(frontend, e.code, e.body);
  if (frontend && e.code === "P" && message.statement !== undefined && message.sql !== undefined && !message.malformed) {
    state.statements.delete(message.statement);
    state.statements.set(message.statement, message.sql);
    if (state.statements.size > STATEMENTS_KEPT) state.statements.delete(state.statements.keys().next().value!);
  }
  const sql = message.sql ?? (frontend && e.code === "B" && message.statement !== undefined ? state.statements.get(message.statement) : undefined);
  const notify = notifyOf(state, frontend, e.code, message);
  const layer: PostgresLayer = {
    kind: "postgres",
    side: frontend ? "frontend" : "backend",
    code: e.code,
    name: message.name,
    fields: message.fields,
    ...(sql !== undefined ? { sql: printableText(sql, SQL_LIMIT) } : {}),
    ...(notify ? { channel: printableText(notify.channel, 200) } : {}),
    ...(e.cut ? { cut: e.cut } : {}),
    ...(message.malformed ? { malformed: message.malformed } : {}),
  };
  const adapter = notify ? postgresAdapterLayer(notify.channel, notify.payload) : undefined;
  return adapter ? [layer, adapter] : [layer];
}

/** Turns framer events of one direction into wire messages. */
export function postgresMessages(state: PostgresConnectionState, conn: number, dir: Direction, events: readonly PgFrameEvent[], started: ChunkRef, last: ChunkRef): WireMessage[] {
  return events.map((e, i) => {
    // Only the first message can have begun in an earlier chunk.
    const first = i === 0 ? started : last;
    // What the client wrote links to the call that wrote it; what it read to the calls its last chunk started.
    const call = dir === state.frontendDir ? first.call : last.call;
    const end = dir === state.frontendDir ? undefined : last.callEnd;
    const base = { conn, dir, firstChunk: first.seq, lastChunk: last.seq, time: first.time, ...(call !== undefined ? { call } : {}), ...(end !== undefined ? { callEnd: end } : {}), size: e.size };
    if (e.kind === "malformed") return { ...base, raw: bytesAsText(e.raw, RAW_LIMIT, e.size, true), layers: [], malformed: e.reason };
    const layers = layersOf(state, dir, e);
    // A password (or SASL/GSS token) and the cancel key are secrets: their text shows only the header.
    const secret = (dir === state.frontendDir ? e.code === "p" : e.code === "K") ? `${bytesAsText(e.raw.subarray(0, 5), RAW_LIMIT, 5, true)}(${e.size - 5} B, not shown)` : undefined;
    const raw = secret ?? bytesAsText(e.raw, RAW_LIMIT, e.size, true);
    const malformed = layers[0].malformed;
    return { ...base, raw, layers, ...(malformed ? { malformed } : {}) };
  });
}
