/**
 * Messages between the CLI and its child processes (the traced server and the
 * built-in client), sent over Node's IPC channel with `advanced` serialization
 * so typed arrays and bytes cross without base64.
 */
import type { FunctionInfo, LiveState } from "../../trace/model.js";
import type { RecordBatch } from "../../instrument/recorder-columns.js";
import type { TapBatch } from "../../instrument/socket-tap.js";
import type { DebugBatch } from "../../instrument/debug-tap.js";
import type { StepAnchor } from "../../instrument/step-points.js";
import type { CallSite } from "../../instrument/call-sites.js";
import type { AppState } from "./app-state.js";
import type { ServerAction } from "../server-action.js";

/** Configuration of the traced process, passed in `TRACE_SOCKET_CHILD` as JSON. */
export interface TracedProcessConfig {
  /** Absolute path of the module to run (the scenario's server or the user's app). */
  readonly entry: string;
  /** Paths in the trace are relative to this. */
  readonly projectRoot: string;
  /** The app's own files (instrumented too); undefined for none. */
  readonly appRoot?: string;
  /** Step pauses inserted into `entry` (the built-in scenario only). */
  readonly anchors?: readonly StepAnchor[];
  /** Where to write what could not be sent when the process dies. */
  readonly spillFile: string;
  /** Recorder capacity in records between two drains. */
  readonly capacity: number;
  /** How often to drain to the CLI, in ms. */
  readonly flushMs: number;
  /** False: capture frames only, instrument no function (the benchmark's "frames only"). */
  readonly instrument?: boolean;
  /** Note the app's call sites during start-up (tracing a user's own app). */
  readonly sites?: boolean;
  /** Host forced on listen calls that ask for all interfaces; unset: the app's choice stands. */
  readonly loopback?: string;
  /** The CLI's chunk limits (`Collector.chunkLimits`): the tap closes itself when they are reached. */
  readonly chunkLimits?: { readonly chunks: number; readonly bytes: number };
  /** Tap the connections the process opens too (a scenario whose servers talk over Redis). */
  readonly tapOutgoing?: boolean;
  /**
   * A cluster run: the Unix socket where the CLI waits for the workers. A primary forks its
   * workers under the tracer; a worker (named by `worker`) reports there, not on its IPC channel.
   */
  readonly clusterHub?: string;
  /** A cluster worker: its name in the run (`worker-1`, after its cluster id). */
  readonly worker?: string;
  /**
   * A cluster worker: its IPC channel's serialization (`json`, `advanced`), told by the primary,
   * since Node takes NODE_CHANNEL_SERIALIZATION_MODE out of the worker's environment at start.
   */
  readonly ipcSerialization?: string;
}

/** A cluster worker's first message on the hub, before any numbered one. */
export interface WorkerJoin {
  readonly t: "arrive";
  readonly worker: string;
  readonly pid: number;
}

/** The CLI's answer to a worker's join: what the CLI decides for it (its pauses, its spill file). */
export interface WorkerJoined {
  readonly t: "welcome";
  readonly anchors: readonly StepAnchor[];
  readonly spillFile: string;
}

/** A listener: the traced function's id when it is one of ours, and its name. */
export interface ListenerRef {
  readonly id?: number;
  readonly name: string;
}

/** Snapshot of a live socket.io server's configuration, taken at a pause. */
export interface ServerState {
  readonly path: string;
  readonly connectTimeout?: number;
  readonly serveClient?: boolean;
  readonly adapter?: string;
  readonly engine: Readonly<Record<string, unknown>>;
  readonly namespaces: readonly string[];
  readonly middlewares: Readonly<Record<string, number>>;
}

/**
 * How often the traced process drains what it recorded to the CLI, in ms. A
 * fallback: a full recorder drains at once (its high water), and every step
 * boundary drains too, so the timer only paces a steady trickle. At 500 msg/s a
 * 25 ms tick sent ~80 small messages a second; 100 ms sends a quarter as many,
 * each four times larger.
 */
export const FLUSH_MS = 100;

/** Recorder capacity in records between two drains: half of it is the high water that drains at once. */
export const RECORDER_CAPACITY = 1 << 18;

/** Sent by the traced process. */
export type FromTraced =
  | { readonly t: "hello"; readonly timeOrigin: number; readonly pid: number }
  | { readonly t: "functions"; readonly list: readonly FunctionInfo[] }
  | { readonly t: "sites"; readonly list: readonly CallSite[] }
  | { readonly t: "notice"; readonly text: string }
  | { readonly t: "records"; readonly batch: RecordBatch }
  | { readonly t: "tap"; readonly batch: TapBatch }
  | { readonly t: "debug"; readonly batch: DebugBatch }
  | { readonly t: "marked"; readonly step: number; readonly seq: number; readonly time: number }
  | {
      readonly t: "paused";
      readonly step: number;
      readonly listeners: Readonly<Record<string, readonly ListenerRef[]>>;
      readonly servers: readonly ServerState[];
    }
  /** The traced process went quiet; after a `settle`, with its servers' state then. */
  | { readonly t: "settled"; readonly state?: LiveState }
  | { readonly t: "app-done" }
  /** A cluster primary's worker ended, as the primary (its parent, which reaped it) saw it: the hub's socket cannot say how. */
  | { readonly t: "worker-exit"; readonly worker: string; readonly code: number | null; readonly signal: NodeJS.Signals | null }
  /** An action was performed (or why it could not be). */
  | { readonly t: "acted"; readonly refused?: string }
  | { readonly t: "described"; readonly state: AppState }
  | { readonly t: "app-error"; readonly message: string; readonly stack: string }
  | { readonly t: "transform-failed"; readonly file: string; readonly reason: string }
  /**
   * A bulk batch went to the overflow file while the channel was backed up (`overflow-file.ts`):
   * where it is, under this notice's own number; and its counted stand-in, taken if it cannot be read.
   */
  | { readonly t: "overflow"; readonly offset: number; readonly length: number; readonly fallback: Extract<FromTraced, { readonly t: "records" | "tap" }> };

/**
 * A message as it crosses the channel: numbered in sending order, so the CLI
 * can ignore a message it already has when the spill file repeats it.
 */
export type Numbered = FromTraced & { readonly n: number };

/** Sent to the traced process. */
export type ToTraced =
  | { readonly t: "mark"; readonly step: number }
  | { readonly t: "continue" }
  | { readonly t: "settle"; readonly quietMs: number; readonly maxMs: number }
  | { readonly t: "flush" }
  /** The CLI keeps no more chunks (its limits are reached): later ones are sent as counts only. */
  | { readonly t: "chunks-closed" }
  | { readonly t: "describe" }
  /** Perform a user's action on the live server (the stepper's `a`), recorded as the current step. */
  | { readonly t: "act"; readonly action: ServerAction }
  | { readonly t: "quit" };

/** Sent by the built-in client. */
export type FromClient =
  | { readonly t: "paused"; readonly step: number }
  | { readonly t: "done" }
  | { readonly t: "error"; readonly message: string };

/** Sent to the built-in client. */
export type ToClient = { readonly t: "continue" };

/** Marks messages of ours on an IPC channel the traced app might use too. */
export const CHANNEL_TAG = "__traceSocket";
