/**
 * The runtime port: what the one Runner (`src/scenario/runner.ts`) needs of a
 * traced process, whatever runs in it. Node (`./node/`) and Python
 * (`./python/`) are the two adapters; nothing above this layer knows which
 * one it drives, except where a command constructs it.
 *
 * A traced process is stepped on command (mark a step, continue the paused
 * server statement, settle, flush, quit) and tells what happens unasked on
 * one event stream. What it recorded is kept in two places the adapter fills:
 * the run's {@link Collector} (wire chunks, connections, output lines, on the
 * run's one timeline) and its {@link ProcessRecording} (functions, call
 * records, pauses, step lines), which assembly only reads.
 */
import type { FunctionInfo, ListenerSnapshot, LiveState, UserCode } from "../trace/model.js";
import type { StepCalls } from "../trace/turns.js";
import type { ScenarioDefinition } from "../trace/scenario.js";
import type { WireMessage } from "../wire/types.js";
import type { StepAnchor } from "../instrument/step-points.js";
import type { Collector } from "./collector.js";
import type { ServerAction } from "./server-action.js";

/** What a traced process reports unasked, in the order it happened. */
export type RuntimeEvent =
  /** Functions or call records arrived (kept in the recording). */
  | { readonly kind: "records" }
  /** Wire bytes or connection events arrived (kept in the collector). */
  | { readonly kind: "chunks" }
  /** The server reached the pause before step `step`. */
  | { readonly kind: "pause"; readonly step: number }
  /** The app's lines each step pauses before became known. */
  | { readonly kind: "step-lines" }
  /** A line the app wrote (also kept in the collector's log). */
  | { readonly kind: "output"; readonly stream: "stdout" | "stderr"; readonly line: string }
  /** Something the tracer wants the user to know (a listen address rewritten, the app ending by itself). */
  | { readonly kind: "notice"; readonly text: string }
  /** The app failed (it threw, or the process died): {@link TracedProcess.failure} says how. */
  | { readonly kind: "failure"; readonly text: string }
  /** The process is gone. */
  | { readonly kind: "exit"; readonly code: number | null; readonly signal: NodeJS.Signals | null };

/** Where a step starts in a traced process. */
export interface Marked {
  /** Seq of the step's marker in the process's record stream: the step's calls follow it. */
  readonly seq: number;
  /** The marker's time on the run's timeline (ms since the run started), stamped by the process itself. */
  readonly time: number;
}

/** A step's range of record seqs, `[from, to)`. */
export interface StepRange {
  readonly from: number;
  readonly to: number;
}

/**
 * What assembly reads of one traced process: pure reads of what it reported,
 * in the trace model's terms. Nothing here starts, waits or writes.
 */
export interface ProcessRecording {
  /** The functions its call trees name, by `id`. */
  functions(): readonly FunctionInfo[];
  /**
   * The call forest of each step range. `known` holds forests the runner
   * kept for steps that are over (by position in `ranges`): they are returned
   * as they are, not built again.
   */
  callForests(ranges: readonly StepRange[], known: ReadonlyMap<number, StepCalls>): readonly StepCalls[];
  /** The live values a step's narration quotes: for each step index, as they stood at its end. */
  values(messages: readonly WireMessage[]): (index: number) => Readonly<Record<string, string>>;
  /** The app's own line each server step pauses before, by step index. */
  serverLines(scenario: ScenarioDefinition, projectRoot: string): ReadonlyMap<number, UserCode>;
  /** What serves requests before and after the steps the scenario flags `listeners`. */
  takeover(projectRoot: string): ListenerSnapshot | undefined;
  /** Versions of the traced packages (and the interpreter, where it is not Node). */
  packages(scenario: ScenarioDefinition): Record<string, string>;
  /** Where the traced server listens, once known. */
  address(): string | undefined;
  /** Calls dropped beyond what the collector counted. */
  droppedCalls(): number;
}

/** A traced process, started and at its first step's pause (or done starting). */
export interface TracedProcess {
  /** How errors name it: "the traced server", "the Flask server". */
  readonly label: string;
  /** The process id, while it runs. */
  readonly pid: number | undefined;
  readonly recording: ProcessRecording;
  /** True once the process has exited. */
  readonly dead: boolean;
  /** Resolves once the process has exited and everything it sent was taken in. */
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
  /** Why the run failed, if it did: the app threw, or the process died unasked. */
  readonly failure: string | undefined;
  /** Subscribes to the process's event stream; returns the unsubscribe. */
  onEvent(listener: (event: RuntimeEvent) => void): () => void;
  /** Marks the start of step `step` in the record stream. */
  mark(step: number): Promise<Marked>;
  /** Runs the paused server statement up to the next pause (or the end of the app's script). */
  continue(): Promise<void>;
  /** Asks the process to send what it has now. */
  flush(): void;
  /** Resolves once the process has sent everything and been quiet a moment: to its servers' state then, when it tells it. */
  settle(): Promise<LiveState | undefined>;
  /**
   * Performs a user's action on the live server (emit, disconnect) with socket.io's own API, recorded
   * in the current step; resolves to why it was refused, or undefined. Absent where the runtime cannot.
   */
  act?(action: ServerAction): Promise<string | undefined>;
  /** Where the built-in client connects: the server, or what stands in front of it. */
  clientUrl(): string | undefined;
  /** Ends the process, after it sent what it holds. */
  quit(): Promise<void>;
}

/** What an adapter is given to start a traced process with. */
export interface RuntimeContext {
  readonly scenario: ScenarioDefinition;
  /** The program this process runs: the scenario's server, or one of its servers in a run of several. */
  readonly entry: string;
  /** The pauses inserted into `entry`: the server steps this process runs. */
  readonly anchors: readonly StepAnchor[];
  /** Paths in the trace are relative to this; the process's working directory. */
  readonly projectRoot: string;
  /** Where the process's chunks, connections and output go, on the run's timeline. */
  readonly collector: Collector;
}

/** Starts a traced process (an adapter's constructor, with its own options bound). */
export type RuntimeFactory = (context: RuntimeContext) => Promise<TracedProcess>;
