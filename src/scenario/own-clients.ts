/**
 * `--client none`: the user's own clients act when they like, so their steps cannot be planned.
 * They are found afterwards on the wire: each client action (the Engine.IO handshake, the upgrade,
 * a namespace CONNECT, each event, an ack, a DISCONNECT or the connection's close) starts a step,
 * named after the client that did it (its Engine.IO sid, remote address and user agent), and holds
 * the calls that began and the bytes that travelled until the next action. Pure: trace and
 * decoded messages in, steps out.
 */
import type { CallNode, FunctionInfo, Step, Trace } from "../trace/model.js";
import { walkCalls } from "../trace/call-tree.js";
import type { Layer, WireMessage } from "../wire/types.js";
import { TurnFolder } from "../trace/turns.js";
import { eachTurn } from "../trace/turn-calls.js";
import { familyNotes } from "./family-notes.js";

/** One client's action, found on the wire. */
interface Action {
  readonly time: number;
  readonly kind: "handshake" | "upgrade" | "nsp" | "event" | "ack" | "bye";
  readonly sid: string;
  readonly title: string;
}

/** A client of the traced server, as its steps name it. */
export interface OwnClient {
  readonly sid: string;
  /** `127.0.0.1:51234`. */
  readonly remote?: string;
  readonly userAgent?: string;
}

function sidOf(target: string): string | undefined {
  return /[?&]sid=([^&\s]+)/.exec(target)?.[1];
}

function headerOf(layer: Layer, name: string): string | undefined {
  return layer.kind === "http-request" ? layer.headers.find(([key]) => key.toLowerCase() === name)?.[1] : undefined;
}

/** The sid each message belongs to: from its request's query, the handshake's open packet, or its connection's upgrade. */
function sessions(messages: readonly WireMessage[]): { bySid: Map<string, OwnClient>; sidOf: (message: WireMessage) => string | undefined; actions: Action[] } {
  const current = new Map<number, string>();
  const pending = new Map<number, WireMessage>();
  const owner = new Map<WireMessage, string>();
  const clients = new Map<string, OwnClient>();
  const actions: Action[] = [];
  const agents = new Map<number, string | undefined>();
  for (const message of messages) {
    const head = message.layers[0];
    if (head?.kind === "http-request") {
      agents.set(message.conn, headerOf(head, "user-agent"));
      const sid = sidOf(head.target);
      if (sid) current.set(message.conn, sid);
      else if (head.target.includes("EIO=")) pending.set(message.conn, message);
      if (sid && /transport=websocket/.test(head.target) && head.headers.some(([k, v]) => k.toLowerCase() === "upgrade" && /websocket/i.test(v))) {
        actions.push({ time: message.time, kind: "upgrade", sid, title: "upgrades to WebSocket" });
      }
    }
    for (const layer of message.layers) {
      if (layer.kind !== "engine.io") continue;
      const open = layer.packets.find((p) => p.name === "open");
      if (!open) continue;
      const sid = (/"sid":"([^"]+)"/.exec(open.data) ?? [])[1];
      if (!sid) continue;
      current.set(message.conn, sid);
      const request = pending.get(message.conn);
      pending.delete(message.conn);
      if (request) owner.set(request, sid);
      const agent = agents.get(message.conn);
      clients.set(sid, { sid, ...(agent ? { userAgent: agent } : {}) });
      actions.push({ time: request?.time ?? message.time, kind: "handshake", sid, title: `Engine.IO handshake (${transportOf(request)})` });
    }
    const sid = owner.get(message) ?? current.get(message.conn);
    if (sid) owner.set(message, sid);
  }
  return { bySid: clients, sidOf: (message) => owner.get(message), actions };
}

function transportOf(request: WireMessage | undefined): string {
  const head = request?.layers[0];
  return head?.kind === "http-request" && /transport=websocket/.test(head.target) ? "WebSocket" : "polling";
}

/** Socket.IO and closing actions of each message the clients sent. */
function packetActions(message: WireMessage, sid: string): Action[] {
  const out: Action[] = [];
  for (const layer of message.layers) {
    if (layer.kind === "ws-frame" && layer.opcodeName === "close" && message.dir === "in") out.push({ time: message.time, kind: "bye", sid, title: "closes the WebSocket" });
    if (layer.kind !== "socket.io" || message.dir !== "in") continue;
    for (const packet of layer.packets) {
      if (packet.attachment !== undefined) continue;
      if (packet.name === "CONNECT") out.push({ time: message.time, kind: "nsp", sid, title: `CONNECT to namespace ${packet.nsp}` });
      else if (packet.name === "EVENT" || packet.name === "BINARY_EVENT") out.push({ time: message.time, kind: "event", sid, title: `emits ${JSON.stringify(packet.event ?? "")}${packet.id !== undefined ? ` with ack ${packet.id}` : ""}${packet.nsp !== "/" ? ` on ${packet.nsp}` : ""}` });
      else if (packet.name === "ACK" || packet.name === "BINARY_ACK") out.push({ time: message.time, kind: "ack", sid, title: `acks the server's emit ${packet.id ?? ""}`.trim() });
      else if (packet.name === "DISCONNECT") out.push({ time: message.time, kind: "bye", sid, title: `DISCONNECT from namespace ${packet.nsp}` });
    }
  }
  return out;
}

/** `client 1 (sid Fe8SqO…, 127.0.0.1:51234, node-XMLHttpRequest)`. */
function clientName(n: number, client: OwnClient | undefined, sid: string): string {
  const parts = [`sid ${sid}`];
  if (client?.remote) parts.push(client.remote);
  if (client?.userAgent) parts.push(client.userAgent.slice(0, 60));
  return `client ${n} (${parts.join(", ")})`;
}

/** The app's own functions that ran in `calls`: the handlers the action reached. */
function appHandlers(calls: readonly CallNode[], functions: ReadonlyMap<number, FunctionInfo>): string[] {
  const names = new Set<string>();
  walkCalls(calls, (node) => {
    const fn = functions.get(node.fn);
    if (fn?.pkg === "app") names.add(`${fn.name} (${fn.file}:${fn.line})`);
  });
  return [...names];
}

function ran(calls: readonly CallNode[], functions: ReadonlyMap<number, FunctionInfo>, name: string): boolean {
  let found = false;
  walkCalls(calls, (node) => {
    if (functions.get(node.fn)?.name === name) found = true;
  });
  return found;
}

/**
 * Splits the one step that collected the own clients' traffic into a step per client action.
 * Bytes and calls before the first action stay in a first step of their own (when there are any).
 */
function splitOwnClients(trace: Trace, live: Step, messages: readonly WireMessage[], functions: ReadonlyMap<number, FunctionInfo>): Step[] {
  const connections = trace.connections;
  const inStep = new Set(live.chunks);
  const mine = messages.filter((m) => inStep.has(m.firstChunk));
  const found = sessions(mine);
  const remoteOf = new Map(connections.map((c) => [c.id, c.remote]));
  for (const message of mine) {
    const sid = found.sidOf(message);
    const client = sid ? found.bySid.get(sid) : undefined;
    if (sid && client && !client.remote) found.bySid.set(sid, { ...client, remote: remoteOf.get(message.conn) });
  }
  const actions = [...found.actions];
  for (const message of mine) {
    const sid = found.sidOf(message);
    if (sid) actions.push(...packetActions(message, sid));
  }
  actions.sort((a, b) => a.time - b.time);
  if (!actions.length) return [live];
  const numbers = new Map<string, number>();
  for (const action of actions) if (!numbers.has(action.sid)) numbers.set(action.sid, numbers.size + 1);
  const bounds = actions.map((a) => a.time);
  const slot = (time: number): number => {
    let at = -1;
    while (at + 1 < bounds.length && bounds[at + 1] <= time) at++;
    return at;
  };
  // Each client's step folds its own repeated turns, read from the live step one turn at a time.
  const folders = actions.map(() => new TurnFolder());
  const beforeFolder = new TurnFolder();
  for (const root of eachTurn(live)) (slot(root.start) < 0 ? beforeFolder : folders[slot(root.start)]).add(root);
  const calls = folders.map((folder) => folder.done());
  const before = beforeFolder.done();
  const chunkTimes = new Map(trace.chunks.map((c) => [c.seq, c.time] as const));
  const chunks: number[][] = actions.map(() => []);
  const chunksBefore: number[] = [];
  for (const seq of live.chunks) {
    const time = chunkTimes.get(seq);
    const at = time === undefined ? -1 : slot(time);
    (at < 0 ? chunksBefore : chunks[at]).push(seq);
  }
  const steps: Step[] = [];
  const { turns: _turns, ...unfolded } = live;
  if (before.calls.length || chunksBefore.length) steps.push({ ...unfolded, ...before, chunks: chunksBefore, ended: bounds[0] });
  actions.forEach((action, i) => {
    const n = numbers.get(action.sid) ?? 0;
    const name = clientName(n, found.bySid.get(action.sid), action.sid);
    // A folded turn made the calls of its representative: the representatives name every function that ran.
    const handlers = appHandlers(calls[i].calls, functions);
    const joined = ran(calls[i].calls, functions, "Socket.join");
    const notes = [
      handlers.length ? `your code that ran: ${handlers.join(", ")}` : "none of your code ran",
      ...(joined ? ["Socket.join ran (a room joined: the socket's own id on CONNECT, or one your code named)"] : []),
      ...familyNotes(calls[i].calls, functions),
    ];
    steps.push({
      ...unfolded,
      index: live.index + steps.length,
      id: `client-${n}-${action.kind}-${i + 1}`,
      title: `client ${n}: ${action.title}`,
      code: undefined,
      explanation: `${name}: ${action.title}; ${notes.join("; ")}.`,
      claims: undefined,
      started: action.time,
      ended: bounds[i + 1] ?? live.ended,
      ...calls[i],
      chunks: chunks[i],
    });
  });
  return steps;
}

/**
 * The trace with its step at `liveIndex` (the one that collected the own clients' traffic)
 * replaced by a step per client action; unchanged when no client acted.
 */
export function withOwnClients(trace: Trace, liveIndex: number, messages: readonly WireMessage[]): Trace {
  const at = trace.steps.findIndex((s) => s.index === liveIndex);
  if (at < 0) return trace;
  const functions = new Map(trace.functions.map((f) => [f.id, f]));
  const split = splitOwnClients(trace, trace.steps[at], messages, functions);
  return { ...trace, steps: [...trace.steps.slice(0, at), ...split, ...trace.steps.slice(at + 1)] };
}
