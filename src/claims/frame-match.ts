/**
 * Does a decoded wire message look like a claim's frame? Layer by layer, as
 * the decoders in `src/wire/` present it; a polling batch matches when one of
 * its packets does.
 */
import type { EnginePacket, Layer, SocketPacket, WireMessage } from "../wire/types.js";
import type { FrameMatch } from "../trace/claims-spec.js";

function layer<K extends Layer["kind"]>(message: WireMessage, kind: K): Extract<Layer, { kind: K }> | undefined {
  return message.layers.find((l): l is Extract<Layer, { kind: K }> => l.kind === kind);
}

/** The JSON fields of a packet's data, as text; empty when it is not JSON. */
function fields(data: string): Map<string, string> {
  const out = new Map<string, string>();
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return out;
  }
  if (parsed && typeof parsed === "object") {
    for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
      out.set(key, typeof value === "string" ? value : JSON.stringify(value));
    }
  }
  return out;
}

function dataMatches(data: string, wanted: FrameMatch["data"]): boolean {
  if (!wanted) return true;
  const have = fields(data);
  return Object.entries(wanted).every(([key, value]) => have.get(key) === String(value));
}

function engineMatches(packet: EnginePacket, match: FrameMatch, checkData: boolean): boolean {
  return (match.eio === undefined || packet.name === match.eio) && (!checkData || dataMatches(packet.data, match.data));
}

function socketMatches(packet: SocketPacket, match: FrameMatch): boolean {
  return (match.sio === undefined || packet.name === match.sio)
    && (match.nsp === undefined || packet.nsp === match.nsp)
    && (match.event === undefined || packet.event === match.event)
    && (match.attachment === undefined || packet.attachment === match.attachment)
    && dataMatches(packet.data, match.data);
}

/** True when `message` satisfies every field `match` gives. */
export function frameMatches(message: WireMessage, match: FrameMatch): boolean {
  if (match.dir !== undefined && message.dir !== match.dir) return false;
  if (match.raw !== undefined && !message.raw.startsWith(match.raw)) return false;
  if (match.method !== undefined || match.target !== undefined) {
    const request = layer(message, "http-request");
    if (!request) return false;
    if (match.method !== undefined && request.method !== match.method) return false;
    if (match.target !== undefined && !request.target.startsWith(match.target)) return false;
  }
  if (match.status !== undefined && layer(message, "http-response")?.status !== match.status) return false;
  if (match.body !== undefined && !(layer(message, "http-response") ?? layer(message, "http-request"))?.body.startsWith(match.body)) return false;
  if (match.ws !== undefined || match.closeCode !== undefined) {
    const frame = layer(message, "ws-frame");
    if (!frame) return false;
    if (match.ws !== undefined && frame.opcodeName !== match.ws) return false;
    if (match.closeCode !== undefined && (frame.closeCode ?? null) !== match.closeCode) return false;
  }
  const wantsSocket = match.sio !== undefined || match.nsp !== undefined || match.event !== undefined || match.attachment !== undefined;
  if (wantsSocket) {
    const socket = layer(message, "socket.io");
    if (!socket || !socket.packets.some((p) => socketMatches(p, match))) return false;
  }
  if (match.redis !== undefined || match.channel !== undefined) {
    const redis = message.layers.find((l) => l.kind === "redis");
    if (!redis) return false;
    if (match.redis !== undefined && redis.name !== match.redis) return false;
    if (match.channel !== undefined && !(redis.channel ?? redis.pattern ?? "").startsWith(match.channel)) return false;
  }
  if (match.adapter !== undefined) {
    const adapter = layer(message, "adapter");
    if (!adapter || (adapter.typeName !== match.adapter && adapter.channel !== match.adapter)) return false;
  }
  if (match.eio !== undefined || (match.data !== undefined && !wantsSocket)) {
    const engine = layer(message, "engine.io");
    if (!engine || !engine.packets.some((p) => engineMatches(p, match, !wantsSocket))) return false;
  }
  return true;
}

/** A short description of a frame match for reasons: `frame to the client Engine.IO open`. */
export function describeFrame(match: FrameMatch): string {
  const parts: string[] = [];
  parts.push(match.dir === "in" ? "frame from the client" : match.dir === "out" ? "frame to the client" : "frame");
  if (match.method) parts.push(match.method);
  if (match.target) parts.push(match.target);
  if (match.status !== undefined) parts.push(`HTTP ${match.status}`);
  if (match.body !== undefined) parts.push(`with a body starting ${JSON.stringify(match.body)}`);
  if (match.ws) parts.push(`WebSocket ${match.ws}`);
  if (match.closeCode !== undefined) parts.push(match.closeCode === null ? "without a status code" : `code ${match.closeCode}`);
  if (match.eio) parts.push(`Engine.IO ${match.eio}`);
  if (match.sio) parts.push(`Socket.IO ${match.sio}`);
  if (match.nsp) parts.push(match.nsp);
  if (match.event) parts.push(`"${match.event}"`);
  if (match.attachment !== undefined) parts.push(`attachment ${match.attachment}`);
  if (match.raw) parts.push(`starting ${JSON.stringify(match.raw)}`);
  if (match.server) parts.push(`of server ${match.server}`);
  if (match.redis) parts.push(`Redis ${match.redis}`);
  if (match.channel) parts.push(`on ${match.channel}…`);
  if (match.adapter) parts.push(`adapter ${match.adapter}`);
  if (match.data) parts.push(`with ${Object.entries(match.data).map(([k, v]) => `${k}=${String(v)}`).join(", ")}`);
  return parts.join(" ");
}
