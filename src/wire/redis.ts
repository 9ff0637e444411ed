/**
 * A Redis connection of the traced process, decoded: RESP values read as the
 * commands it sent, the replies to them (matched by pipeline order), and the
 * pub/sub pushes it received, with the redis-adapter's payloads decoded inside.
 */
import { redisAdapterLayer } from "./adapter-payload.js";
import type { ChunkRef } from "./bytes.js";
import { RAW_LIMIT } from "./limits.js";
import { createRespParser, type RespEvent, type RespParser, type RespValue } from "./resp.js";
import { bytesAsText, printableText } from "./text.js";
import type { Direction } from "../trace/model.js";
import type { Layer, RedisLayer, WireMessage } from "./types.js";

const ARG_LIMIT = 200;
const ARGS_SHOWN = 16;
const PUSH_KINDS = new Set(["message", "pmessage", "smessage", "subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe", "sunsubscribe"]);
const SUBSCRIBE_COMMANDS = new Set(["SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE"]);

function bytesOf(v: RespValue | undefined): Uint8Array | undefined {
  if (!v) return undefined;
  if (v.type === "bulk string" || v.type === "verbatim string" || v.type === "bulk error") return v.bytes;
  if (v.type === "simple string") return new TextEncoder().encode(v.text);
  return undefined;
}

/** A RESP value as one line of display text. */
export function respText(v: RespValue, max = ARG_LIMIT): string {
  switch (v.type) {
    case "null": return "(nil)";
    case "bulk string":
    case "bulk error":
    case "verbatim string":
      return bytesAsText(v.bytes, max, v.bytes.length, true);
    case "array":
    case "set":
    case "push":
    case "map":
    case "attribute":
    case "inline": {
      const shown = v.items.slice(0, ARGS_SHOWN).map((i) => respText(i, Math.min(max, 60)));
      const more = v.items.length > ARGS_SHOWN ? [`… ${v.items.length - ARGS_SHOWN} more`] : [];
      return `[${[...shown, ...more].join(", ")}]`;
    }
    default:
      return printableText(v.text, max);
  }
}

/** FNV-1a (64-bit) of the bytes, as hex: enough to tell payloads apart, cheap, and pure. */
export function digestOf(bytes: Uint8Array): string {
  let h = 0xcbf29ce484222325n;
  for (const b of bytes) h = BigInt.asUintN(64, (h ^ BigInt(b)) * 0x100000001b3n);
  return h.toString(16).padStart(16, "0");
}

function payloadOf(bytes: Uint8Array | undefined): { payload?: { size: number; digest: string } } {
  return bytes ? { payload: { size: bytes.length, digest: digestOf(bytes) } } : {};
}

function argsOf(items: readonly RespValue[]): string[] {
  const shown = items.slice(0, ARGS_SHOWN).map((i) => respText(i));
  return items.length > ARGS_SHOWN ? [...shown, `… ${items.length - ARGS_SHOWN} more`] : shown;
}

function asString(v: RespValue | undefined): string | undefined {
  const b = bytesOf(v);
  return b ? new TextDecoder("utf-8").decode(b) : undefined;
}

/** What a command does, with the adapter payload of a PUBLISH decoded. */
function commandLayers(v: RespValue): Layer[] {
  const items = v.type === "array" || v.type === "inline" ? v.items : undefined;
  if (!items || items.length === 0 || items.some((i) => bytesOf(i) === undefined)) {
    return [{ kind: "redis", role: "command", resp: v.type, name: "?", args: items ? argsOf(items) : [respText(v)], malformed: "a command is an array of bulk strings" }];
  }
  const name = printableText(asString(items[0]) ?? "", 40).toUpperCase();
  const args = argsOf(items.slice(1));
  const layer: RedisLayer = { kind: "redis", role: "command", resp: v.type, name, args };
  if (name === "PUBLISH" || name === "SPUBLISH") {
    const channel = asString(items[1]) ?? "";
    const payload = bytesOf(items[2]);
    const adapter = payload ? redisAdapterLayer(channel, payload) : undefined;
    return [{ ...layer, channel: printableText(channel, ARG_LIMIT), ...payloadOf(payload) }, ...(adapter ? [adapter] : [])];
  }
  if (name === "SUBSCRIBE" || name === "SSUBSCRIBE") return [{ ...layer, channel: args.join(" ") }];
  if (name === "PSUBSCRIBE" || name === "PUNSUBSCRIBE") return [{ ...layer, pattern: args.join(" ") }];
  if (name === "UNSUBSCRIBE" || name === "SUNSUBSCRIBE") return [{ ...layer, channel: args.join(" ") }];
  return [layer];
}

/** A push (`message`, `pmessage`, a subscription notice) or a reply. */
function incomingLayers(v: RespValue, replyTo: () => string | undefined, pushKind: (kind: string) => void): Layer[] {
  const items = v.type === "array" || v.type === "push" ? v.items : undefined;
  const kind = items && items.length >= 3 ? asString(items[0]) : undefined;
  if (items && kind !== undefined && PUSH_KINDS.has(kind)) {
    pushKind(kind);
    const name = kind;
    if (kind === "pmessage" && items.length >= 4) {
      const channel = asString(items[2]) ?? "";
      const payload = bytesOf(items[3]);
      const adapter = payload ? redisAdapterLayer(channel, payload) : undefined;
      return [{ kind: "redis", role: "push", resp: v.type, name, args: argsOf(items.slice(1)), pattern: printableText(asString(items[1]) ?? "", ARG_LIMIT), channel: printableText(channel, ARG_LIMIT), ...payloadOf(payload) }, ...(adapter ? [adapter] : [])];
    }
    const channel = asString(items[1]) ?? "";
    const payload = kind === "message" || kind === "smessage" ? bytesOf(items[2]) : undefined;
    const adapter = payload ? redisAdapterLayer(channel, payload) : undefined;
    const where = kind === "psubscribe" || kind === "punsubscribe" ? { pattern: printableText(channel, ARG_LIMIT) } : { channel: printableText(channel, ARG_LIMIT) };
    return [{ kind: "redis", role: "push", resp: v.type, name, args: argsOf(items.slice(1)), ...where, ...payloadOf(payload) }, ...(adapter ? [adapter] : [])];
  }
  if (v.type === "push") return [{ kind: "redis", role: "push", resp: v.type, name: printableText(kind ?? "push", 40), args: argsOf(v.type === "push" ? v.items : []) }];
  const to = replyTo();
  const args = items ? argsOf(items) : [respText(v)];
  const error = v.type === "error" || v.type === "bulk error";
  return [{ kind: "redis", role: "reply", resp: v.type, name: error ? "error" : v.type, args, ...(to ? { replyTo: to } : {}) }];
}

/** One direction's parser and the connection's pipeline of commands awaiting replies. */
export interface RedisConnectionState {
  readonly commandsDir: Direction;
  readonly parsers: Record<Direction, RespParser>;
  /** Commands sent and not yet answered, each with the replies it still expects. */
  readonly pending: { name: string; replies: number }[];
}

/** The state of a Redis connection whose client writes in direction `commandsDir`. */
export function createRedisState(commandsDir: Direction): RedisConnectionState {
  const other: Direction = commandsDir === "out" ? "in" : "out";
  return {
    commandsDir,
    parsers: { [commandsDir]: createRespParser({ inline: true }), [other]: createRespParser() } as Record<Direction, RespParser>,
    pending: [],
  };
}

function expectedReplies(layers: readonly Layer[]): number {
  const first = layers[0];
  if (first?.kind !== "redis" || first.role !== "command") return 1;
  // A (un)subscribe is answered once per channel, by a push rather than a reply.
  if (SUBSCRIBE_COMMANDS.has(first.name)) return Math.max(1, first.args.length);
  return 1;
}

/** Turns parser events of one direction into wire messages, updating the pipeline. */
export function redisMessages(state: RedisConnectionState, conn: number, dir: Direction, events: readonly RespEvent[], started: ChunkRef, last: ChunkRef): WireMessage[] {
  return events.map((e, i) => {
    // Only the first value can have begun in an earlier chunk.
    const first = i === 0 ? started : last;
    // A command links to the call that wrote it; a reply or push to the call its last chunk started.
    const call = dir === state.commandsDir ? first.call : last.call;
    // Inbound, the chunk may carry several messages: this one's handler is any call it started.
    const end = dir === state.commandsDir ? undefined : last.callEnd;
    const base = { conn, dir, firstChunk: first.seq, lastChunk: last.seq, time: first.time, ...(call !== undefined ? { call } : {}), ...(end !== undefined ? { callEnd: end } : {}), size: e.size };
    const raw = bytesAsText(e.raw, RAW_LIMIT, e.size, true);
    if (e.kind === "malformed") return { ...base, raw, layers: [], malformed: e.reason };
    let layers: Layer[];
    if (dir === state.commandsDir) {
      layers = commandLayers(e.value);
      const name = layers[0]?.kind === "redis" ? layers[0].name : "?";
      state.pending.push({ name, replies: expectedReplies(layers) });
    } else {
      const answer = () => {
        const head = state.pending[0];
        if (!head) return undefined;
        if (--head.replies <= 0) state.pending.shift();
        return head.name;
      };
      layers = incomingLayers(e.value, answer, (kind) => {
        // Subscription notices answer the (un)subscribe commands; messages answer nothing.
        if (kind !== "message" && kind !== "pmessage" && kind !== "smessage" && SUBSCRIBE_COMMANDS.has(state.pending[0]?.name ?? "")) answer();
      });
    }
    const malformed = layers.find((l) => l.malformed)?.malformed;
    return { ...base, raw, layers, ...(malformed && layers[0]?.malformed ? { malformed } : {}) };
  });
}
