/**
 * Reads the live state of the traced process's socket.io servers, as the
 * Admin UI shows it: namespaces and their middlewares, sockets with their
 * rooms and handshake, rooms with their members. In the traced process, at a
 * step's pause. Only plain fields are read (Maps, Sets, own data properties):
 * a getter or method here would run traced code and show up in the step.
 */
import type { LiveFunction, LiveNamespace, LiveServer, LiveSocket, LiveState } from "../../trace/model.js";
import { liveServers } from "./app-state.js";
import { describeFunction } from "./live-objects.js";

const MAX_SOCKETS = 200;
const MAX_ROOMS = 200;
const AUTH_CHARS = 200;

function field(object: unknown, key: string): unknown {
  if (typeof object !== "object" || object === null) return undefined;
  const descriptor = Object.getOwnPropertyDescriptor(object, key);
  return descriptor && "value" in descriptor ? descriptor.value : undefined;
}

/** engine.io's transports name themselves by a getter (traced code): their class says the same. */
const TRANSPORTS: Readonly<Record<string, string>> = { Polling: "polling", JSONP: "polling", WebSocket: "websocket", WebTransport: "webtransport" };

function transportOf(socket: unknown): string {
  // `socket.conn` is a getter (traced): the client holds the same engine.io socket as a field.
  const transport = field(field(field(socket, "client"), "conn"), "transport");
  const name = (transport as { constructor?: { name?: string } } | undefined)?.constructor?.name ?? "";
  return TRANSPORTS[name] ?? (name || "unknown");
}

function json(value: unknown): string {
  try {
    const text = JSON.stringify(value) ?? "undefined";
    return text.length > AUTH_CHARS ? `${text.slice(0, AUTH_CHARS)}…` : text;
  } catch {
    return "[not JSON]";
  }
}

function query(handshake: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const raw = field(handshake, "query");
  if (typeof raw !== "object" || raw === null) return out;
  for (const key of Object.keys(raw).slice(0, 30)) {
    const value = field(raw, key);
    out[key] = typeof value === "string" ? value : json(value);
  }
  return out;
}

function names(set: unknown): string[] {
  return set instanceof Set ? [...set].map(String) : [];
}

function socketOf(socket: unknown, sids: unknown): LiveSocket {
  const id = String(field(socket, "id"));
  const handshake = field(socket, "handshake");
  return {
    id,
    rooms: sids instanceof Map ? names(sids.get(id)) : [],
    address: String(field(handshake, "address") ?? ""),
    transport: transportOf(socket),
    query: query(handshake),
    auth: json(field(handshake, "auth") ?? {}),
  };
}

function liveFunction(fn: unknown): LiveFunction {
  const { id, name } = describeFunction(fn);
  return id === undefined ? { name } : { name, fn: id };
}

function namespaceOf(name: string, nsp: unknown): LiveNamespace {
  const adapter = field(nsp, "adapter");
  const sockets = field(nsp, "sockets");
  const rooms = field(adapter, "rooms");
  const sids = field(adapter, "sids");
  const fns = field(nsp, "_fns");
  return {
    name,
    middlewares: Array.isArray(fns) ? fns.map(liveFunction) : [],
    sockets: sockets instanceof Map ? [...sockets.values()].slice(0, MAX_SOCKETS).map((s) => socketOf(s, sids)) : [],
    rooms: rooms instanceof Map ? [...rooms].slice(0, MAX_ROOMS).map(([room, members]) => ({ name: String(room), members: names(members) })) : [],
  };
}

/** The state of every socket.io server the process created, now. */
export function liveState(): LiveState {
  const servers: LiveServer[] = [];
  for (const io of liveServers()) {
    const nsps = field(io, "_nsps");
    if (!(nsps instanceof Map)) continue;
    servers.push({ path: String(field(io, "_path") ?? "/socket.io"), namespaces: [...nsps].map(([name, nsp]) => namespaceOf(String(name), nsp)) });
  }
  return { servers };
}
