/**
 * The trace model's frame: the schema's name and version, the traced family of packages, the
 * run's facts and processes, and what it logged and dropped. Split from `model.ts`, which
 * re-exports it; the cross-process links live here because they tie processes together.
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

/**
 * The packages of the family that only some apps use (the adapters for several servers, the
 * Admin UI's server side, another parser): a trace names them only when the run loaded them.
 */
const FAMILY_OPTIONAL = [
  "@socket.io/redis-adapter",
  "@socket.io/cluster-adapter",
  "@socket.io/sticky",
  "@socket.io/admin-ui",
  "socket.io-msgpack-parser",
  "@socket.io/redis-streams-adapter",
  "@socket.io/postgres-adapter",
  "@socket.io/mongo-adapter",
] as const;

/** The packages whose functions are traced, in the order they are listed to users. */
export const FAMILY = ["socket.io", "engine.io", "socket.io-parser", "socket.io-adapter", "engine.io-parser", "ws", "cors", ...FAMILY_OPTIONAL] as const;

/** The family's packages that only some apps use, as a set for lookups: a trace names them only when the run loaded them. */
export const FAMILY_WHEN_LOADED: ReadonlySet<string> = new Set(FAMILY_OPTIONAL);

/**
 * Folders of a family package that hold no code Node runs: the Admin UI's browser app, which
 * `instrument()` never loads (the user opens it from admin.socket.io or serves its files).
 * Never instrumented, never indexed for excerpts.
 */
export const FAMILY_BROWSER_FOLDERS: Readonly<Record<string, string>> = { "@socket.io/admin-ui": "ui/" };

/** One package of the traced family. */
export type FamilyPackage = (typeof FAMILY)[number];

/** The Python packages traced on the Flask-SocketIO side (`--server flask`), in the order they are listed to users: the one list of them. */
export const PYTHON_FAMILY = ["flask_socketio", "socketio", "engineio", "eventlet"] as const;

/** One traced Python package. */
export type PythonPackage = (typeof PYTHON_FAMILY)[number];

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
  /**
   * True when the traced program was the user's own app, not a built-in scenario: its clients
   * are the user's, so the report draws a lane per client (absent for the built-in scenarios).
   */
  readonly ownApp?: true;
  /**
   * Turns the traced process sent as a repeat of a known shape (its clock skipped inside them
   * under load) that the trace holds as whole call trees anyway, because their step had seen no
   * turn of that shape whole: their per-call times are the shape's sample's, moved to the turn's
   * own start and end, which alone were measured. Absent when there were none.
   */
  readonly sampledTurns?: number;
  /**
   * Turns the traced process expected to repeat (its clock skipped inside them under load) that
   * turned out different, held whole: their calls are exact, their start and end measured, and the
   * times of their nested calls spread evenly in between. Absent when there were none.
   */
  readonly untimedTurns?: number;
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
 * digest of the payload), not by time: the Redis PUBLISH on one side, the pub/sub message on the other;
 * or a message written on a Node IPC channel and its receipt at the other end (`channel` is then the
 * sender's connection, `ipc:primary`, `ipc:worker-2`).
 */
export interface CrossLink {
  readonly channel: string;
  readonly from: LinkEnd;
  readonly to: LinkEnd;
}

/** One side of a cross-process link. */
export interface LinkEnd {
  readonly process: string;
  /** The first chunk of the message on that process's Redis (or IPC) connection. */
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
