/**
 * The claims of an app's start-up steps, one set per kind of line. A step's
 * calls are those the app's line made (the step starts where that line called
 * into the library), so "ran from your line" is a call of the step.
 */
import type { Check, ClaimSpec } from "../trace/claims-spec.js";
import type { AppStep } from "./app-steps.js";

const claim = (say: string, check: Check): ClaimSpec => ({ say, check });

/** `server.js:16`, the app's line as sentences name it. */
function placeOf(step: AppStep): string {
  const file = step.code?.file ?? "";
  return `${file.slice(file.lastIndexOf("/") + 1)}:${step.code?.line ?? 0}`;
}

function attachClaims(path: string): ClaimSpec[] {
  return [
    claim("engine.io's server is built for it (BaseServer.constructor under Server.attach).", { call: "engine.io:BaseServer.constructor", under: "socket.io:Server.attach" }),
    claim(`engine.io's Server.attach takes over the HTTP server's request and upgrade listeners: requests under ${path}/ go to engine.io.`, { call: "engine.io:Server.attach" }),
    claim("Server.attachServe puts socket.io's own request listener in front of them, to serve the client bundle.", { call: "Server.attachServe" }),
  ];
}

const INSTRUMENT = "@socket.io/admin-ui:instrument";

/** `instrument(io, …)` of `@socket.io/admin-ui`: what its server side sets up, each part a call under it. */
function adminUiClaims(line: string): ClaimSpec[] {
  return [
    claim(`The Admin UI's instrument() ran from ${line}.`, { call: INSTRUMENT }),
    claim("It creates the namespace the Admin UI connects to (\"/admin\" unless namespaceName says otherwise): Server.of ran under instrument.", { call: "Server.of", under: INSTRUMENT }),
    claim("It listens to engine.io's connections, to count clients, packets and bytes: registerEngineListeners ran under instrument.", { call: "registerEngineListeners", under: INSTRUMENT }),
    claim("In development mode it hooks every namespace too, so each socket's events and rooms reach the Admin UI: registerVerboseListeners ran under instrument.", { call: "registerVerboseListeners", under: INSTRUMENT }),
    claim("It sends the server's stats to the Admin UI on a timer: initStatsEmitter ran under instrument.", { call: "initStatsEmitter", under: INSTRUMENT }),
  ];
}

const MIDDLEWARE_WHEN = "how socket.io runs a namespace's middlewares; the connect step shows whether yours ran";
const ENGINE_WHEN = "how engine.io applies its middlewares; the connect step shows whether yours ran";

/** The claims of one start-up step of an app, from its kind and its line; `path` is the server's, as the live server said. */
export function startupClaims(step: AppStep, path: string): ClaimSpec[] {
  const line = `your line ${placeOf(step)}`;
  const callee = step.callee ?? "socket.io";
  switch (step.kind) {
    case "load":
      return [claim("Library code ran as its modules loaded, before your app called into it (module-level set-up).", { call: "*" })];
    case "init":
      return [
        claim(`new Server() constructs the socket.io Server: Server.constructor ran from ${line}.`, { call: "socket.io:Server.constructor" }),
        claim("It creates the main namespace \"/\": Namespace.constructor ran under Server.of, under the constructor.", { all: [{ call: "Namespace.constructor", under: "Server.of" }, { call: "Server.of", under: "socket.io:Server.constructor" }] }),
        claim("Given an HTTP server, it attaches at once: Server.attach ran under the constructor.", { call: "socket.io:Server.attach", under: "socket.io:Server.constructor" }),
        claim("engine.io's server runs with pingInterval {pingInterval} ms and pingTimeout {pingTimeout} ms, as its open packet tells each client.", {
          frame: { dir: "out", eio: "open", data: { pingInterval: "{pingInterval}", pingTimeout: "{pingTimeout}" } },
          scope: "whole-run",
        }),
        ...attachClaims(path),
      ];
    case "attach":
      return [
        claim(`${callee} ran from ${line}.`, { call: callee }),
        ...(callee === "Server.listen" ? [claim("io.listen made an HTTP server of its own and attached to it (Server.attach under Server.listen).", { call: "socket.io:Server.attach", under: "Server.listen" })] : []),
        ...attachClaims(path),
      ];
    case "engine-middleware":
      return [
        claim(`io.engine.use puts your function on engine.io's middleware list: BaseServer.use ran from ${line}.`, { call: "engine.io:BaseServer.use" }),
        {
          say: "It is an HTTP-level middleware (req, res, next): engine.io runs it on every HTTP request and WebSocket upgrade it handles, before the handshake, not once per Socket.IO connection; refusing there is an HTTP answer (a 401, say), not CONNECT_ERROR.",
          because: ENGINE_WHEN,
        },
      ];
    case "middleware":
      return [
        claim(`Your function goes on the namespace's middleware list: Namespace.use ran from ${line}.`, { call: "Namespace.use" }),
        ...(callee === "Server.use" ? [claim("io.use hands it to the main namespace \"/\" (Namespace.use under Server.use).", { call: "Namespace.use", under: "Server.use" })] : []),
        { say: "A namespace middleware runs once per connection, when the client's CONNECT for that namespace arrives; next(err) refuses it with CONNECT_ERROR.", because: MIDDLEWARE_WHEN },
      ];
    case "namespace":
      return [
        claim(`io.of() creates the namespace: Namespace.constructor ran under Server.of, from ${line}.`, { call: "Namespace.constructor", under: "Server.of" }),
        claim("Its adapter, which keeps the namespace's rooms, is made with it.", { call: "Adapter.constructor", under: "Namespace._initAdapter" }),
      ];
    case "handlers":
      return [
        claim(`Your listener is registered on a namespace's EventEmitter: StrictEventEmitter.on ran from ${line}.`, { call: "StrictEventEmitter.on" }),
        ...(callee.startsWith("Server.on") ? [claim("io.on hands it to the main namespace \"/\" (StrictEventEmitter.on under Server.on).", { call: "StrictEventEmitter.on", under: "Server.on" })] : []),
      ];
    case "run":
      return [
        claim("The HTTP server listens on {address}.", { value: "address", equals: "{address}" }),
        claim("engine.io's Server.init runs as it starts listening, and makes its WebSocket server.", { call: "WebSocketServer.constructor", under: "engine.io:Server.init" }),
      ];
    case "admin-ui":
      return adminUiClaims(line);
    default:
      return [claim(`${line[0].toUpperCase()}${line.slice(1)} called ${callee}.`, { call: callee })];
  }
}
