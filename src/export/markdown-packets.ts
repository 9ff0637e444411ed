/**
 * How the report names a message in one line (the sequence diagram, the
 * overview): the wire code first, as it travels, then what it is in
 * parentheses — Engine.IO packets as `2 (ping)`, Socket.IO packets the same
 * way as `41 (disconnect /)` or `420 (event /, ack 0) ["chat message","hi"]`,
 * HTTP as `GET polling` or `101 Switching Protocols`. Data that does not fit
 * is cut at a JSON field, and the cut says what it hid (`… 2 more fields`).
 * Pure: messages in, text out.
 */
import type { EnginePacket, SocketPacket, WireMessage } from "../wire/types.js";
import { cutProse } from "./text-cut.js";

/** Characters of a message's data in one line before it is cut. */
export const DATA_LIMIT = 72;

/** `… 2 more fields` */
function moreFields(n: number): string {
  return `… ${n} more field${n === 1 ? "" : "s"}`;
}

/**
 * JSON data cut to about `max` characters: an object or array keeps its first
 * whole entries and counts the others; anything else is cut at a word.
 */
export function cutData(data: string, max = DATA_LIMIT): string {
  if (data.length <= max) return data;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return cutProse(data, max);
  }
  if (!parsed || typeof parsed !== "object") return cutProse(data, max);
  const array = Array.isArray(parsed);
  const entries = array ? (parsed as unknown[]).map((v) => JSON.stringify(v)) : Object.entries(parsed).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
  const kept: string[] = [];
  let length = 2;
  for (const entry of entries) {
    if (length + entry.length + 1 > max && kept.length) break;
    if (length + entry.length + 1 > max) return cutProse(data, max);
    kept.push(entry);
    length += entry.length + 1;
  }
  const left = entries.length - kept.length;
  const [open, close] = array ? ["[", "]"] : ["{", "}"];
  return `${open}${kept.join(",")}, ${array ? `… ${left} more` : moreFields(left)}${close}`;
}

/** `41 (disconnect /)`, `420 (event /, ack 0) [...]`: a Socket.IO packet inside its Engine.IO message packet. */
function socketPacketLine(packet: SocketPacket, max: number): string {
  const nsp = packet.nsp === "/" ? "" : `${packet.nsp},`;
  // A binary packet's header says how many attachments follow: 452-0[…].
  const code = `4${packet.type}${packet.attachments !== undefined ? `${packet.attachments}-` : ""}${nsp}${packet.id ?? ""}`;
  const what = [`${packet.name.toLowerCase().replace(/_/g, " ")} ${packet.nsp}`, ...(packet.id !== undefined ? [`ack ${packet.id}`] : [])].join(", ");
  if (packet.malformed) return `${code} (malformed: ${cutProse(packet.malformed, 40)})`;
  return `${code} (${what})${packet.data ? ` ${cutData(packet.data, max)}` : ""}`;
}

/** `<binary 4 bytes> 89 50 4e 47 (attachment 2 of 2, binary event /)`: the bytes travel alone, without a packet type. */
function attachmentLine(engine: EnginePacket, packet: SocketPacket, max: number): string {
  const of = `attachment ${packet.attachment! + 1} of ${packet.attachments ?? "?"}, ${packet.name.toLowerCase().replace(/_/g, " ")} ${packet.nsp}`;
  return `${cutProse(engine.data, max)} (${of})`;
}

/** `2 (ping)`, `2probe (ping)`, `0 (open) {"sid":…}`. */
function enginePacketLine(packet: EnginePacket, max: number): string {
  if (packet.malformed) return `${packet.type} (malformed: ${cutProse(packet.malformed, 40)})`;
  if (!packet.data) return `${packet.type} (${packet.name})`;
  if (/^[[{]/.test(packet.data)) return `${packet.type} (${packet.name}) ${cutData(packet.data, max)}`;
  // A short word such as `probe` travels glued to the type: show it the way it travels.
  return packet.data.length <= 12 ? `${packet.type}${packet.data} (${packet.name})` : `${packet.type} (${packet.name}) ${cutData(packet.data, max)}`;
}

/** The packets of a message's Engine.IO layer, each Socket.IO packet named in its message packet. */
function packetsLine(message: WireMessage, max: number): string | undefined {
  const engine = message.layers.find((l) => l.kind === "engine.io");
  if (!engine || engine.kind !== "engine.io") return undefined;
  const socket = message.layers.find((l) => l.kind === "socket.io");
  const socketPackets = socket?.kind === "socket.io" ? [...socket.packets] : [];
  const lines = engine.packets.map((p) => {
    // Every message packet has its Socket.IO packet, a binary one too (an attachment, or malformed).
    const packet = p.name === "message" ? socketPackets.shift() : undefined;
    if (!packet) return enginePacketLine(p, max);
    return p.binary ? (packet.attachment !== undefined ? attachmentLine(p, packet, max) : enginePacketLine(p, max)) : socketPacketLine(packet, max);
  });
  if (!lines.length) return "(empty)";
  return lines.length > 3 ? `${lines.slice(0, 3).join(" · ")} · … ${lines.length - 3} more packets` : lines.join(" · ");
}

/** One line for a message: HTTP head (if any), then its packets or its control frame. */
export function messageLine(message: WireMessage, max = DATA_LIMIT): string {
  const parts: string[] = [];
  for (const layer of message.layers) {
    if (layer.kind === "http-request") {
      const transport = /[?&]transport=(\w+)/.exec(layer.target)?.[1];
      const upgrade = layer.headers.some(([name, value]) => name.toLowerCase() === "upgrade" && /websocket/i.test(value));
      parts.push(`${layer.method} ${transport ?? cutProse(layer.target, 40)}${upgrade ? " (Upgrade)" : ""}`);
    } else if (layer.kind === "http-response") {
      // An error answer's body is what it says; no Engine.IO layer decodes it.
      parts.push(`${layer.status} ${layer.reason}${layer.status >= 400 && layer.body ? ` ${cutProse(layer.body, 80)}` : ""}`);
    } else if (layer.kind === "ws-frame" && layer.opcode >= 8) {
      parts.push(`${layer.opcodeName} frame${layer.closeCode !== undefined ? ` ${layer.closeCode}` : layer.opcode === 8 ? " (no status code)" : ""}`);
    }
  }
  const packets = packetsLine(message, max);
  if (packets) parts.push(packets);
  if (message.malformed) parts.push(`malformed: ${cutProse(message.malformed, 40)}`);
  return parts.join(" · ") || cutProse(message.raw, max) || "(empty)";
}

/** What kind of message it is, without its data (`2 (ping)`, `42 (event /)`, `GET polling`): for counting hidden ones. */
export function messageKind(message: WireMessage): string {
  return messageLine(message, 0)
    .replace(/ (?:\{|\[)[^·]*/g, "")
    .replace(/, ack \d+\)/g, ")")
    .replace(/^(4\d)\d+ /, "$1 ");
}
