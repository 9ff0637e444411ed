/**
 * Which docstrings each step of the chat-flask scenario quotes: the Python
 * counterpart of the `docs` lists in `traces/chat/steps.json`. Chosen from a
 * trace of the scenario — every method listed here runs in its step (the
 * report says so when one no longer does) — and from the options `app.py`
 * passes to `SocketIO(...)`, plus the ones the steps' narration turns on.
 */

/** An option (a keyword argument) a step quotes. */
export interface OptionRef {
  readonly name: string;
  /**
   * The callables whose docstrings may document it, the one that consumes it
   * first: its paragraph is quoted, the others are named (and their
   * documented defaults compared with it).
   */
  readonly owners: readonly string[];
  /** The step value (`Step.values`) holding what was in force, and its unit there. */
  readonly value?: {
    readonly key: string;
    readonly unit?: string;
    /** The Python parameter takes seconds while the value was recorded in ms (from the open packet): show both. */
    readonly pythonSeconds?: boolean;
  };
}

/** The methods and options one step quotes. */
export interface StepDocRefs {
  /** Qualified names: module path, then class and member (`socketio.Server.on`). */
  readonly methods: readonly string[];
  readonly options: readonly OptionRef[];
}

// Engine.IO options travel SocketIO(**kwargs) → socketio.Server(**kwargs) → engineio.Server,
// and all three docstrings describe them; engineio's is the one whose signature takes them.
const ENGINE = ["engineio.Server.__init__", "socketio.Server.__init__", "flask_socketio.SocketIO.__init__"];
const SOCKET = ["socketio.Server.__init__", "flask_socketio.SocketIO.__init__"];

const CORS: OptionRef = { name: "cors_allowed_origins", owners: ENGINE, value: { key: "origins" } };
const PING_INTERVAL: OptionRef = { name: "ping_interval", owners: ENGINE, value: { key: "pingInterval", unit: "ms", pythonSeconds: true } };
const PING_TIMEOUT: OptionRef = { name: "ping_timeout", owners: ENGINE, value: { key: "pingTimeout", unit: "ms", pythonSeconds: true } };
const ON = ["flask_socketio.SocketIO.on", "socketio.Server.on"];

/** Per step id of `traces/chat-flask/steps.json`. */
export const FLASK_STEP_DOCS: Readonly<Record<string, StepDocRefs>> = {
  init: {
    methods: [
      "flask_socketio.SocketIO.__init__",
      "flask_socketio.SocketIO.init_app",
      "socketio.Server.__init__",
      "engineio.Server.__init__",
      "flask_socketio._SocketIOMiddleware.__init__",
    ],
    options: [
      CORS,
      PING_INTERVAL,
      PING_TIMEOUT,
      { name: "async_mode", owners: ENGINE, value: { key: "asyncMode" } },
      { name: "manage_session", owners: ["flask_socketio.SocketIO.__init__"], value: { key: "manageSession" } },
    ],
  },
  handlers: { methods: ON, options: [] },
  middleware: { methods: ON, options: [{ name: "always_connect", owners: SOCKET }] },
  run: {
    methods: ["flask_socketio.SocketIO.run"],
    options: [
      { name: "debug", owners: ["flask_socketio.SocketIO.run"] },
      { name: "use_reloader", owners: ["flask_socketio.SocketIO.run"] },
    ],
  },
  connect: {
    methods: ["socketio.Server.handle_request", "engineio.Server.handle_request", "socketio.exceptions.ConnectionRefusedError.__init__"],
    options: [CORS, { name: "transports", owners: ENGINE, value: { key: "transports" } }],
  },
  message: {
    methods: ["flask_socketio.emit", "flask_socketio.SocketIO.emit", "socketio.Server.emit"],
    options: [
      { name: "broadcast", owners: ["flask_socketio.emit"] },
      { name: "async_handlers", owners: SOCKET },
    ],
  },
  heartbeat: { methods: [], options: [PING_INTERVAL, PING_TIMEOUT] },
  disconnect: { methods: ["engineio.socket.Socket.close"], options: [] },
};

/** Every name the catalogue asks the helper about, once each. */
export const DOC_NAMES: readonly string[] = [
  ...new Set(Object.values(FLASK_STEP_DOCS).flatMap((refs) => [...refs.methods, ...refs.options.flatMap((o) => o.owners)])),
];
