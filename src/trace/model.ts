/**
 * The trace model: what a traced run produced, as plain immutable data.
 *
 * Everything here is JSON-safe (raw bytes travel as base64 strings) so that the
 * same objects are streamed as JSON lines, written to a trace file, replayed in
 * the stepper and rendered to markdown. See `SCHEMA.md` beside this file.
 */

/**
 * Bumped whenever a field changes meaning or disappears; additions keep it.
 * Version 2: a trace may hold several traced processes (`meta.processes`);
 * ids of process k > 0 are offset by k × {@link PROCESS_ID_STRIDE}. Files of
 * version 1 (one process, no `process` fields) load as they are.
 */
export const SCHEMA_VERSION = 2;

/**
 * In a trace of several processes, the ids of process `k` (call seqs,
 * function ids, chunk seqs, connection ids) are its own ids plus
 * `k × PROCESS_ID_STRIDE`, so they stay unique within the trace; process 0's
 * are its own.
 */
export const PROCESS_ID_STRIDE = 2 ** 32;

/** The name every trace file and JSON-lines stream carries in its `schema` field. */
export const SCHEMA_NAME = "trace-socket";

/** The packages whose functions are traced, in the order they are listed to users. */
export const FAMILY = [
  "socket.io",
  "engine.io",
  "socket.io-parser",
  "socket.io-adapter",
  "engine.io-parser",
  "ws",
  "cors",
  "@socket.io/redis-adapter",
  "@socket.io/cluster-adapter",
  "@socket.io/sticky",
  "@socket.io/admin-ui",
  "socket.io-msgpack-parser",
] as const;

/**
 * The packages of the family that only some apps use (the adapters for several servers, the
 * Admin UI's server side, another parser): a trace names them only when the run loaded them.
 */
export const FAMILY_WHEN_LOADED: ReadonlySet<string> = new Set([
  "@socket.io/redis-adapter",
  "@socket.io/cluster-adapter",
  "@socket.io/sticky",
  "@socket.io/admin-ui",
  "socket.io-msgpack-parser",
]);

/**
 * Folders of a family package that hold no code Node runs: the Admin UI's browser app, which
 * `instrument()` never loads (the user opens it from admin.socket.io or serves its files).
 * Never instrumented, never indexed for excerpts.
 */
export const FAMILY_BROWSER_FOLDERS: Readonly<Record<string, string>> = { "@socket.io/admin-ui": "ui/" };

/** One package of the traced family. */
export type FamilyPackage = (typeof FAMILY)[number];

/** The Python packages traced on the Flask-SocketIO side (`--server flask`). */
export type PythonPackage = "flask_socketio" | "socketio" | "engineio" | "eventlet";

/** What kind of declaration a traced function is. */
export type FunctionKind =
  | "function"
  | "method"
  | "constructor"
  | "getter"
  | "setter"
  | "arrow"
  | "closure";

/**
 * A function that can appear in call paths. Positions come from parsing the
 * installed file; nothing is looked up in a per-version table.
 */
export interface FunctionInfo {
  /** The recorder's id; index into `Trace.functions` in a trace of one process. */
  readonly id: number;
  /** Readable name: `Server.attach`, `attach`, `<anonymous request listener in Server.attach>`. */
  readonly name: string;
  /** Path relative to the project root the trace ran in, with `/` separators. */
  readonly file: string;
  /** 1-based line of the declaration that ran. */
  readonly line: number;
  /** 1-based column of the declaration. */
  readonly column: number;
  /** Last line of the declaration's body. */
  readonly endLine: number;
  /** The family package (or a Python package on the Flask side), or `"app"` for the traced app's own code. */
  readonly pkg: FamilyPackage | PythonPackage | "app";
  /**
   * The traced process this came from (`TraceMeta.processes`), in a trace of
   * several; absent in a trace of one process (and in files before version 2): process 0.
   */
  readonly process?: number;
  /** Version of that package as installed (the app's own code has none). */
  readonly version?: string;
  readonly kind: FunctionKind;
  /** Class that declares a method, when there is one. */
  readonly className?: string;
  /** Name of the member (method, property) or function, without the class. */
  readonly member?: string;
  /** Enclosing named function for closures (`Server.attach`), for mapping upstream. */
  readonly enclosing?: string;
  /** Compiler-emitted glue (`__importStar`, re-export getters) rather than library source. */
  readonly generated?: boolean;
}

/** How an async continuation was scheduled. */
export type AsyncKind = "promise" | "tick" | "timer" | "immediate" | "io" | "other";

/** One call in a call tree. */
export interface CallNode {
  /** Recorder sequence number of the call's entry; unique within a trace. */
  readonly seq: number;
  /** `FunctionInfo.id`. */
  readonly fn: number;
  /** Milliseconds since the trace started. */
  readonly start: number;
  /** Milliseconds since the trace started; equal to start for calls whose exit was not seen. */
  readonly end: number;
  readonly children: readonly CallNode[];
  /** Set on a root that is an async continuation: what scheduled it. */
  readonly async?: { readonly kind: AsyncKind; readonly from: number };
  /** True when the function is async or a generator: only its first synchronous part nests here. */
  readonly detached?: boolean;
  /** Line in the caller the call was made from, when the tracer knows it (the Python side does). */
  readonly at?: number;
  /**
   * The traced process this came from (`TraceMeta.processes`), in a trace of
   * several; absent in a trace of one process (and in files before version 2): process 0.
   */
  readonly process?: number;
}

/**
 * A turn that repeated the tree of an earlier root of its step call for call: its calls are the
 * representative's, seqs shifted by `seq - like`; its root's times and async link are its own,
 * its nested calls' durations are the representative's.
 */
export interface TurnRepeat {
  /** Seq of the representative root in `Step.calls`. */
  readonly like: number;
  /** Seq of this turn's root. */
  readonly seq: number;
  readonly start: number;
  readonly end: number;
  readonly async?: { readonly kind: AsyncKind; readonly from: number };
  /** The traced process, in a trace of several (as on `CallNode`). */
  readonly process?: number;
}

/** Which way bytes travelled, seen from the traced server. */
export type Direction = "in" | "out";

/** A TCP connection accepted by the traced HTTP server, or one the traced process opened (to Redis). */
export interface Connection {
  readonly id: number;
  readonly remote: string;
  readonly local: string;
  /** Milliseconds since the trace started. */
  readonly opened: number;
  readonly closed?: number;
  /** Opened by the traced process (its Redis clients): `out` is then what it sent, `in` what it got. */
  readonly outgoing?: boolean;
  /**
   * The traced process this came from (`TraceMeta.processes`), in a trace of
   * several; absent in a trace of one process (and in files before version 2): process 0.
   */
  readonly process?: number;
}

/** Bytes read or written on a connection, exactly as captured, in wire order. */
export interface Chunk {
  /** Global capture order across all connections and both directions. */
  readonly seq: number;
  readonly conn: number;
  readonly dir: Direction;
  readonly time: number;
  /** Base64 of the captured bytes (possibly cut, see `truncated`). */
  readonly data: string;
  /** Bytes on the wire, even when `data` was cut to bound memory. */
  readonly size: number;
  readonly truncated?: boolean;
  /** Call that wrote these bytes (out) or the first call they started (in). */
  readonly call?: number;
  /**
   * In: the seq after the last call they started synchronously, so the calls are
   * `call <= seq < callEnd`. One read can carry several messages, each run by a handler of its own.
   */
  readonly callEnd?: number;
  /**
   * The traced process this came from (`TraceMeta.processes`), in a trace of
   * several; absent in a trace of one process (and in files before version 2): process 0.
   */
  readonly process?: number;
}

/** A step of the scenario and everything recorded while it ran. */
export interface Step {
  readonly index: number;
  /** Stable id such as `init`, `connect`, `heartbeat`. */
  readonly id: string;
  readonly title: string;
  /** The user's own line of code that caused the step, when there is one. */
  readonly code?: UserCode;
  /** Narration with live values already filled in. */
  readonly explanation: string;
  /** Live values the explanation used (sid, origins, pingInterval…), for renderers. */
  readonly values: Readonly<Record<string, string>>;
  readonly started: number;
  readonly ended: number;
  /** The step's call trees; a turn that repeated one of them call for call is in `turns` instead. */
  readonly calls: readonly CallNode[];
  /**
   * Turns of the event loop that repeated a tree of `calls` exactly (same functions, nesting and
   * seq offsets), each kept as its root only; `expandTurns` (`turns.ts`) gives every call back.
   */
  readonly turns?: readonly TurnRepeat[];
  /** Sequence numbers of the chunks captured during the step. */
  readonly chunks: readonly number[];
  /** Listener lists before/after, for steps that show the HTTP server's take-over. */
  readonly listeners?: ListenerSnapshot;
  /** The narration's sentences as checked on this run, when the scenario declares them. */
  readonly claims?: readonly ClaimResult[];
  /** What the runner noted about the step (a client that failed, a step out of order). */
  readonly notes?: readonly string[];
  /** The traced server's live state once the step's work was done (at its pause), as the Admin UI shows it. */
  readonly state?: LiveState;
}

/** The live state of the traced process's socket.io servers, read from their own fields. */
export interface LiveState {
  readonly servers: readonly LiveServer[];
}

/** One socket.io server: its path and namespaces. */
export interface LiveServer {
  readonly path: string;
  readonly namespaces: readonly LiveNamespace[];
}

/** A namespace with its middlewares (`use`), connected sockets and rooms. */
export interface LiveNamespace {
  readonly name: string;
  /** The middleware functions (`use`), in the order they run. */
  readonly middlewares: readonly LiveFunction[];
  readonly sockets: readonly LiveSocket[];
  /** Rooms of the namespace's adapter (each socket's own room, named by its id, included). */
  readonly rooms: readonly { readonly name: string; readonly members: readonly string[] }[];
}

/** A function of the live state: its own name, and its `FunctionInfo.id` when it is traced (the name to show). */
export interface LiveFunction {
  readonly name: string;
  readonly fn?: number;
}

/** A connected socket and its handshake. */
export interface LiveSocket {
  /** Socket.IO socket id. */
  readonly id: string;
  readonly rooms: readonly string[];
  /** The client's address, as socket.io saw it. */
  readonly address: string;
  /** The transport now (`polling`, `websocket`, `webtransport`). */
  readonly transport: string;
  /** The handshake's query parameters. */
  readonly query: Readonly<Record<string, string>>;
  /** The handshake's `auth` payload as JSON (cut to 200 characters). */
  readonly auth: string;
}

/**
 * How a claim fared on this run: seen, not seen, not checkable on any run, or
 * waiting for a later step of a run still going (a claim about the whole run).
 */
export type ClaimStatus = "held" | "not-seen" | "unchecked" | "pending";

/** One sentence of a step's narration, as checked on the run that produced the trace. */
export interface ClaimResult {
  /** The sentence, live values filled in. */
  readonly text: string;
  readonly status: ClaimStatus;
  /** Why it was not seen (`no call of Socket._onconnect in this step`), or why no run can check it. */
  readonly reason?: string;
  /** Sequence numbers of the calls that showed it. */
  readonly evidence?: readonly number[];
}

/** A line of the user's code. */
export interface UserCode {
  /** Path relative to the project root. */
  readonly file: string;
  readonly line: number;
  /** The line's text, trimmed. */
  readonly text: string;
  /** Which process ran it; `stepper`: you ran it from the stepper's action menu (`a`), in the traced server (`file` empty, `line` 0). */
  readonly side: "server" | "client" | "stepper";
}

/** The HTTP server's `request`/`upgrade` listeners, as names, before and after a step. */
export interface ListenerSnapshot {
  readonly before: Readonly<Record<string, readonly string[]>>;
  readonly after: Readonly<Record<string, readonly string[]>>;
}

/** A line the traced process or a library wrote (stdout, stderr, `debug`). */
export interface LogLine {
  readonly time: number;
  readonly source: "stdout" | "stderr" | "debug" | "client";
  readonly text: string;
  /** A `debug` line: seq of the call that printed it (the innermost traced call running then), when there was one. */
  readonly call?: number;
  /**
   * The traced process this came from (`TraceMeta.processes`), in a trace of
   * several; absent in a trace of one process (and in files before version 2): process 0.
   */
  readonly process?: number;
}

/** What was dropped to keep memory bounded. Never silently lost: always counted. */
export interface Dropped {
  readonly calls: number;
  readonly chunks: number;
  readonly bytes: number;
  readonly logs: number;
}

/** Facts about the run. */
export interface TraceMeta {
  readonly schema: typeof SCHEMA_NAME;
  /** The file's schema version: {@link SCHEMA_VERSION} when written now, lower for an older file read back. */
  readonly version: number;
  /** trace-socket's own version. */
  readonly tool: string;
  readonly node: string;
  readonly platform: string;
  /** ISO date-time the run started. */
  readonly startedAt: string;
  /** The command line that produced the trace. */
  readonly command: string;
  /** Scenario name (`chat`) or the traced app's path. */
  readonly scenario: string;
  /** Installed version of every package of the family. */
  readonly packages: Readonly<Record<string, string>>;
  /** Address the traced server listened on, e.g. `http://127.0.0.1:41234`. */
  readonly address?: string;
  /** The traced processes of a run of several (absent for one), by id. */
  readonly processes?: readonly TracedProcessMeta[];
}

/**
 * One traced process of a run of several, as `meta.processes` lists it; every call, chunk,
 * connection, function and log line of it says so by its `process`.
 */
export interface TracedProcessMeta {
  /** Its `process` in calls, chunks, connections, functions and logs; its ids are offset by `id × PROCESS_ID_STRIDE`. */
  readonly id: number;
  /** Its name in the scenario (`A`, `B`). */
  readonly name: string;
  /** Where it listened, once it did. */
  readonly address?: string;
}

/**
 * A message one process published and another received, matched by its bytes (channel, size and
 * digest of the payload), not by time: the Redis PUBLISH on one side, the pub/sub message on the other.
 */
export interface CrossLink {
  readonly channel: string;
  readonly from: LinkEnd;
  readonly to: LinkEnd;
}

/** One side of a cross-process link. */
export interface LinkEnd {
  readonly process: string;
  /** The first chunk of the message on that process's Redis connection. */
  readonly chunk: number;
  /** The call that wrote it (from) or that its bytes started (to), when the trace links one. */
  readonly call?: number;
  /** The receiving side: the seq after the calls the message's chunk started (`Chunk.callEnd`); the receipt ran among `call <= seq < callEnd`. */
  readonly callEnd?: number;
  /**
   * Set when no traced call wrote the bytes (the Redis client writes on a later tick): `call` is
   * then the last adapter call this process began before the write.
   */
  readonly callBefore?: boolean;
}

/** A whole trace. */
export interface Trace {
  readonly meta: TraceMeta;
  readonly functions: readonly FunctionInfo[];
  readonly steps: readonly Step[];
  readonly connections: readonly Connection[];
  readonly chunks: readonly Chunk[];
  readonly logs: readonly LogLine[];
  readonly dropped: Dropped;
  /** Messages between the processes of a run of several (`meta.processes`), each linked from its sender to each receiver. */
  readonly links?: readonly CrossLink[];
}
