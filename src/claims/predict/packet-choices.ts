/**
 * What a frame could have been instead: neighbours of a run's real packet,
 * made from the Engine.IO v4 / Socket.IO v5 grammar (the same packet with
 * another type digit, an ack id added or dropped, the namespace's other
 * packets) and from the packets this run itself put on the wire. Every
 * neighbour decodes cleanly with the project's own decoders, so a choice is
 * never a string no peer could send. Nothing here knows a scenario.
 */
import { decodeEngineText } from "../../wire/engineio.js";
import { createSocketStream } from "../../wire/socketio.js";
import type { EnginePacket, SocketPacket, WireMessage } from "../../wire/types.js";

/** The protocol layer a frame question is asked at; its choices all belong to it. */
export type PacketLayer = "engine.io" | "socket.io";

/** A packet as the question shows it: its text on the wire and, for Socket.IO, its parts. */
export interface PacketText {
  readonly layer: PacketLayer;
  /** The Engine.IO packet as encoded: `0{"sid":…}`, `2probe`, `420["chat message","hi"]`. */
  readonly text: string;
  readonly socket?: SocketPacket;
}

/** Engine.IO packets that carry no data, and the upgrade's probes (protocol v4). */
const ENGINE_BARE = ["1", "2", "3", "5", "6", "2probe", "3probe"];
/** Socket.IO packets any namespace can answer with (protocol v5); the error text is socket.io's own. */
const SOCKET_BARE = ["40", "41", `44${JSON.stringify({ message: "Invalid namespace" })}`];
/** Engine.IO's `message` packet type: it carries a Socket.IO packet. */
const MESSAGE = 4;

/**
 * The clean text packets of a message, in order: each Engine.IO packet, and
 * for a `message` packet the Socket.IO packet inside it. Binary and
 * malformed ones are left out (no question is asked about them).
 */
export function textPackets(message: WireMessage): PacketText[] {
  const engine = message.layers.find((l) => l.kind === "engine.io");
  if (engine?.kind !== "engine.io") return [];
  const socket = message.layers.find((l) => l.kind === "socket.io");
  const sockets = socket?.kind === "socket.io" ? socket.packets : [];
  const out: PacketText[] = [];
  let messageIndex = 0;
  for (const packet of engine.packets) {
    const inner = packet.type === MESSAGE ? sockets[messageIndex++] : undefined;
    if (packet.malformed || packet.binary || packet.type < 0) continue;
    const text = `${packet.type}${packet.data}`;
    if (packet.type !== MESSAGE) out.push({ layer: "engine.io", text });
    else if (inner && !inner.malformed && inner.attachment === undefined && !inner.attachments) out.push({ layer: "socket.io", text, socket: inner });
  }
  return out;
}

/** Encodes a Socket.IO packet as the text inside Engine.IO's `4`. */
function encodeSocket(type: number, nsp: string, id: number | undefined, data: string): string {
  return `4${type}${nsp === "/" ? "" : `${nsp},`}${id ?? ""}${data}`;
}

/** What a packet text decodes to, or undefined when either decoder calls it malformed. */
function decodeText(text: string): { engine: EnginePacket; socket?: SocketPacket } | undefined {
  const { layer, messages } = decodeEngineText(text);
  const engine = layer.packets[0];
  if (!engine || engine.malformed || layer.packets.length !== 1) return undefined;
  if (engine.type !== MESSAGE) return { engine };
  const socket = createSocketStream().decode(messages)?.packets[0];
  if (!socket || socket.malformed || (socket.attachments ?? 0) > 0) return undefined;
  // The parser lets an ACK through without an id, and an EVENT or ACK without its arguments; no peer sends those.
  if (socket.type === 3 && socket.id === undefined) return undefined;
  if ((socket.type === 2 || socket.type === 3) && socket.data === "") return undefined;
  return { engine, socket };
}

/** True when `text` is a clean packet of `layer`: what a peer could send. */
export function isPacketOf(text: string, layer: PacketLayer): boolean {
  const decoded = decodeText(text);
  if (!decoded) return false;
  return layer === "socket.io" ? decoded.socket !== undefined : true;
}

/**
 * A short reading of a packet text: `Engine.IO open`, `Socket.IO EVENT
 * "chat message", ack id 0`, `Socket.IO CONNECT_ERROR /admin`.
 */
export function glossOf(text: string): string {
  const decoded = decodeText(text);
  if (!decoded) return "not a packet";
  const { engine, socket } = decoded;
  if (!socket) return `Engine.IO ${engine.name}${engine.data === "probe" ? " probe" : ""}`;
  const parts = [`Socket.IO ${socket.name}`];
  if (socket.event !== undefined) parts.push(JSON.stringify(socket.event));
  if (socket.nsp !== "/") parts.push(socket.nsp);
  const gloss = parts.join(" ");
  return socket.id !== undefined ? `${gloss}, ack id ${socket.id}` : gloss;
}

/** Packet types that carry an ack id (EVENT, ACK). */
const WITH_ID = new Set([2, 3]);

/** The nearest look-alikes: the packet one would mistake it for first (ping for pong, no ack id for one). */
function twins(real: PacketText): string[] {
  const socket = real.socket;
  if (socket) {
    const { type, nsp, id, data } = socket;
    if (type === 2) return [encodeSocket(2, nsp, id === undefined ? 0 : undefined, data), encodeSocket(3, nsp, id ?? 0, data)];
    if (type === 3) return [encodeSocket(2, nsp, id, data), encodeSocket(3, nsp, id === undefined ? 0 : id + 1, data)];
    return [encodeSocket(type === 0 ? 4 : 0, nsp, undefined, data), encodeSocket(type === 1 ? 0 : 1, nsp, undefined, "")];
  }
  const type = real.text.charAt(0);
  const data = real.text.slice(1);
  const flip: Readonly<Record<string, string>> = { "0": `40${data}`, "1": "41", "2": `3${data}`, "3": `2${data}`, "5": "6", "6": "5" };
  return flip[type] ? [flip[type]] : [];
}

/** The same Socket.IO packet with another type, an ack id only where the type takes one. */
function socketMutations(packet: SocketPacket): string[] {
  const { type, nsp, id, data } = packet;
  const out: string[] = [];
  for (let other = 0; other <= 4; other++) {
    if (other === type) continue;
    if (WITH_ID.has(other)) out.push(encodeSocket(other, nsp, id ?? 0, data));
    out.push(encodeSocket(other, nsp, undefined, data), encodeSocket(other, nsp, undefined, ""));
  }
  if (WITH_ID.has(type)) out.push(encodeSocket(type, nsp, id === undefined ? 0 : undefined, data), encodeSocket(type, nsp, id === undefined ? undefined : id + 1, data));
  return out;
}

/** The same Engine.IO packet with another type digit, where the data fits the type. */
function engineMutations(text: string): string[] {
  const type = text.charAt(0);
  const data = text.slice(1);
  if (data === "" || data === "probe") return ["1", "2", "3", "5", "6"].filter((t) => t !== type).flatMap((t) => [`${t}${data}`, t]);
  // A packet with JSON data (the open packet): the look-alikes one layer in.
  return [`4${data}`, `40${data}`, `4${type}${data}`];
}

/**
 * Neighbours of `real` in tiers, nearest first: its twin (ping for pong), its
 * other mutations, then the packets of
 * the same layer this run sent, then the grammar's data-less packets (and the
 * run's open packet). Only clean packets of the real one's layer, never the
 * real one.
 */
export function packetNeighbours(real: PacketText, run: readonly WireMessage[]): string[][] {
  const seen = run.flatMap(textPackets);
  const near = real.socket ? socketMutations(real.socket) : engineMutations(real.text);
  const same = seen.filter((p) => p.layer === real.layer).map((p) => p.text);
  const grammar = real.layer === "socket.io"
    ? [...SOCKET_BARE, ...seen.filter((p) => p.socket?.type === 0).map((p) => p.text)]
    : [...ENGINE_BARE, ...seen.filter((p) => p.text.startsWith("0")).map((p) => p.text)];
  // A packet that reads the same as the real one (another connection's open packet, another sid) could only be told apart by luck.
  const gloss = glossOf(real.text);
  const clean = (list: readonly string[]): string[] => list.filter((t) => t !== real.text && isPacketOf(t, real.layer) && glossOf(t) !== gloss);
  return [clean(twins(real)), clean(near), clean(same), clean(grammar)];
}
