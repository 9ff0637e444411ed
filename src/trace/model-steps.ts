/**
 * The trace model's steps: what each scenario step recorded, the live state at its pause, and
 * how its narration's claims fared. Split from `model.ts`, which re-exports it.
 */

import type { CallNode } from "./model-calls.js";
import type { TurnList } from "./turn-list.js";

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
   * In columns, not objects (`turn-list.ts`): a run at saturation folds millions; a trace file holds their list.
   */
  readonly turns?: TurnList;
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
