/**
 * What the tool says about a user's own app, as claims checked on its run:
 * each step's sentences are made from the step's kind, the app's line and
 * what the app's code hands to socket.io, and each carries the check that
 * proves it on the trace. Nothing here is narrated unless the run shows it:
 * a middleware the client never reached, a handler never called, is listed as
 * not seen with its reason.
 */
import type { Check, ClaimSpec, ClaimsFile, FrameMatch } from "../trace/claims-spec.js";
import type { AppStep } from "./app-steps.js";
import { bodyCalls, eventOf, handedFunction, type AppFunction, type AppSource } from "./app-source.js";
import { startupClaims } from "./app-startup-claims.js";

/** What the claims of the client's steps need to know of the connection. */
export interface AppConnection {
  /** The namespace the built-in client connects to. */
  readonly namespace: string;
  /** The transports the client tries. */
  readonly transports: readonly string[];
}

/** A function the app handed to socket.io, and what it is to the reader. */
interface Registered {
  readonly role: string;
  readonly fn: AppFunction;
  /** The namespace it belongs to, when the line tells. */
  readonly nsp?: string;
  /** The event it listens to, for a listener. */
  readonly event?: string;
}

const claim = (say: string, check: Check): ClaimSpec => ({ say, check });
const call = (name: string, under?: string): Check => (under ? { call: name, under } : { call: name });

/** The namespaces bound to names at start-up (`const admin = io.of("/admin")`). */
function namespaceNames(steps: readonly AppStep[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const step of steps) {
    const bound = /\b([A-Za-z_$][\w$]*)\s*=\s*[\w$.]+\.of\(\s*(["'`])(.*?)\2\s*\)/.exec(step.code?.text ?? "");
    if (bound) out.set(bound[1], bound[3]);
  }
  return out;
}

/** The namespace a registration line speaks to, when its text tells (`io.on`, `admin.use`, `io.of("/x").on`). */
function namespaceOf(text: string, callee: string | undefined, names: ReadonlyMap<string, string>): string | undefined {
  const chained = /\.of\(\s*(["'`])(.*?)\1\s*\)\s*\.\w+\(/.exec(text)?.[2];
  if (chained !== undefined) return chained;
  if (callee?.startsWith("Server.")) return "/";
  const receiver = /([A-Za-z_$][\w$]*)\.\w+\(/.exec(text)?.[1];
  return receiver !== undefined ? names.get(receiver) : undefined;
}

/** The functions the app's start-up lines handed to socket.io: middlewares and listeners. */
function registered(steps: readonly AppStep[], source: AppSource): Registered[] {
  const names = namespaceNames(steps);
  const out: Registered[] = [];
  for (const step of steps) {
    const code = step.code;
    if (!code || !["engine-middleware", "middleware", "handlers"].includes(step.kind)) continue;
    const fn = handedFunction(source, code.file, code.line, code.text);
    if (!fn) continue;
    const nsp = namespaceOf(code.text, step.callee, names);
    const event = step.kind === "handlers" ? eventOf(code.text) : undefined;
    const role = step.kind === "engine-middleware" ? "engine middleware" : step.kind === "middleware" ? "middleware" : event === "connection" || event === "connect" ? "connection handler" : `listener for "${event ?? "?"}"`;
    out.push({ role, fn, ...(nsp !== undefined ? { nsp } : {}), ...(event !== undefined ? { event } : {}) });
  }
  return out;
}

/** The sentences about what a function's own body calls, each checked under a call of it. */
function bodyClaims(source: AppSource, who: Registered): ClaimSpec[] {
  const body = bodyCalls(source, who.fn.fn);
  const name = `Your ${who.role} (${who.fn.place})`;
  const out: ClaimSpec[] = [];
  if (body.joins) out.push(claim(`${name} puts the socket in a room: Socket.join ran under it.`, call("Socket.join", who.fn.ref)));
  if (body.leaves) out.push(claim(`${name} takes the socket out of a room: Socket.leave ran under it.`, call("Socket.leave", who.fn.ref)));
  if (body.emitsToSocket) out.push(claim(`${name} emits to the socket's own client: Socket.emit ran under it.`, call("Socket.emit", who.fn.ref)));
  if (body.broadcasts) out.push(claim(`${name} broadcasts (to a room or to every socket): BroadcastOperator.emit ran under it.`, call("BroadcastOperator.emit", who.fn.ref)));
  if (body.disconnects) out.push(claim(`${name} disconnects a socket: Socket.disconnect ran under it.`, call("Socket.disconnect", who.fn.ref)));
  for (const listener of body.listeners) {
    out.push(claim(`${name} registers a listener for "${listener.event}" (${listener.handler.place}): StrictEventEmitter.on ran under it.`, call("StrictEventEmitter.on", who.fn.ref)));
  }
  return out;
}

/** The listeners the connection handlers register, by event. */
function nestedListeners(source: AppSource, handlers: readonly Registered[]): Registered[] {
  return handlers.flatMap((h) => bodyCalls(source, h.fn.fn).listeners.map((l): Registered => ({
    role: l.event === "disconnect" ? "disconnect handler" : `handler for "${l.event}"`,
    fn: l.handler,
    event: l.event,
    ...(h.nsp !== undefined ? { nsp: h.nsp } : {}),
  })));
}

/** What a client's HTTP requests run before any session: the engine middlewares. */
function engineClaims(all: readonly Registered[]): ClaimSpec[] {
  return all.filter((r) => r.role === "engine middleware").flatMap((engine) => [
    claim(`Your engine middleware (${engine.fn.place}) ran on the client's HTTP requests, under BaseServer._applyMiddlewares.`, call(engine.fn.ref, "BaseServer._applyMiddlewares")),
    claim("It let the first request through: the Engine.IO handshake followed it (BaseServer.handshake).", { order: [engine.fn.ref, "BaseServer.handshake"] }),
  ]);
}

/** What a client's CONNECT to `nsp` runs: the namespace's middlewares, then (connected) its connection handlers. */
function namespaceClaims(source: AppSource, all: readonly Registered[], nsp: string, connected?: ClaimSpec): ClaimSpec[] {
  const here = all.filter((r) => r.nsp === undefined || r.nsp === nsp);
  const out: ClaimSpec[] = here.filter((r) => r.role === "middleware").map((mw) =>
    claim(`Your middleware (${mw.fn.place}) ran when the client's CONNECT arrived, under Namespace.run.`, { all: [call(mw.fn.ref, "Namespace.run"), { frame: { dir: "in", sio: "CONNECT" }, beforeCall: mw.fn.ref }] }));
  if (connected) out.push(connected);
  for (const handler of here.filter((r) => r.role === "connection handler")) {
    out.push(claim(
      `Your connection handler (${handler.fn.place}) ran under Namespace._doConnect, after Socket._onconnect had connected the socket.`,
      { all: [call(handler.fn.ref, "Namespace._doConnect"), { order: ["Socket._onconnect", handler.fn.ref] }] },
    ));
    out.push(...bodyClaims(source, handler));
  }
  return out;
}

function connectClaims(source: AppSource, all: readonly Registered[], connection: AppConnection): ClaimSpec[] {
  const nsp = connection.namespace;
  const connected = claim(`Socket._onconnect connected the socket, and the server answered CONNECT for ${nsp}.`, { all: [call("Socket._onconnect", "Namespace._doConnect"), { frame: { dir: "out", sio: "CONNECT", nsp } }] });
  return [
    ...engineClaims(all),
    claim("The client's first request opens an Engine.IO session: BaseServer.handshake writes the open packet (sid {sid}).", { frame: { dir: "out", eio: "open", data: { sid: "{sid}" } }, writtenBy: "BaseServer.handshake" }),
    claim(`The client sends its Socket.IO CONNECT for ${nsp}.`, { frame: { dir: "in", sio: "CONNECT", nsp } }),
    ...namespaceClaims(source, all, nsp, connected),
    ...(connection.transports.includes("polling") && connection.transports.includes("websocket")
      ? [claim("With both transports, the client upgrades to WebSocket: its upgrade packet arrives.", { frame: { dir: "in", eio: "upgrade" } })]
      : []),
  ];
}

function handlersFor(listeners: readonly Registered[], event: string, nsp: string): Registered[] {
  return listeners.filter((l) => l.event === event && (l.nsp === undefined || l.nsp === nsp));
}

const either = (dir: "in" | "out", names: readonly string[], rest: FrameMatch, writtenBy?: string): Check => ({
  any: names.map((sio): Check => (writtenBy ? { frame: { dir, sio, ...rest }, writtenBy } : { frame: { dir, sio, ...rest } })),
});

function emitClaims(source: AppSource, listeners: readonly Registered[], event: string, nsp: string, ack: boolean): ClaimSpec[] {
  const out: ClaimSpec[] = [claim(`The client's EVENT "${event}" arrives.`, either("in", ["EVENT", "BINARY_EVENT"], { event }))];
  const handlers = handlersFor(listeners, event, nsp);
  for (const handler of handlers) {
    out.push(claim(`Socket.onevent dispatched it to your ${handler.role} (${handler.fn.place}).`, call(handler.fn.ref, "Socket.onevent")));
    out.push(...bodyClaims(source, handler));
  }
  // A handler the code does not show by name (registered some other way) is still your app's code.
  const writer = handlers.length === 1 ? handlers[0].fn.ref : "app:*";
  if (!handlers.length) out.push(claim(`Socket.onevent dispatched it to a handler of your app for "${event}".`, call("app:*", "StrictEventEmitter.emitUntyped")));
  if (ack) out.push(claim("The handler called its ack: the ACK went back to the client.", either("out", ["ACK", "BINARY_ACK"], {}, writer)));
  return out;
}

function disconnectClaims(source: AppSource, listeners: readonly Registered[], nsp: string): ClaimSpec[] {
  const out: ClaimSpec[] = [
    claim(`The client sends DISCONNECT for ${nsp}.`, { frame: { dir: "in", sio: "DISCONNECT", nsp } }),
    claim("Socket.ondisconnect closes the socket: Socket._onclose takes it out of every room (Socket.leaveAll) and out of its namespace (Namespace._remove).", { order: ["Socket.ondisconnect", "Socket._onclose", "Socket.leaveAll", "Namespace._remove"] }),
  ];
  for (const handler of handlersFor(listeners, "disconnect", nsp)) {
    out.push(claim(`Your disconnect handler (${handler.fn.place}) ran under Socket._onclose.`, call(handler.fn.ref, "Socket._onclose")));
    out.push(...bodyClaims(source, handler));
  }
  out.push(claim("The transport closed: engine.io's Socket.onClose ran, then socket.io's Client.onclose.", { order: ["engine.io:Socket.onClose", "Client.onclose"] }));
  return out;
}

/**
 * The claims of every step of an app's run, by step id: start-up steps from
 * their kind and line, the client's steps from what the app registered.
 */
export function appClaims(steps: readonly AppStep[], source: AppSource, server: { readonly path: string }, connection?: AppConnection): ClaimsFile {
  const all = registered(steps, source);
  const listeners = nestedListeners(source, all.filter((r) => r.role === "connection handler"));
  const out: Record<string, readonly ClaimSpec[]> = {};
  for (const step of steps) {
    const nsp = connection?.namespace ?? "/";
    if (step.kind === "connect" && connection) out[step.id] = connectClaims(source, all, connection);
    else if (step.kind === "emit" && step.event !== undefined) out[step.id] = emitClaims(source, listeners, step.event, nsp, step.ack === true);
    else if (step.kind === "disconnect") out[step.id] = disconnectClaims(source, listeners, nsp);
    else if (step.kind === "live") out[step.id] = [claim("Other clients reached {address} after start-up.", { frame: { dir: "in" } }), ...engineClaims(all), ...namespaceClaims(source, all, "/")];
    else out[step.id] = startupClaims(step, server.path);
  }
  return out;
}
