/**
 * The trace model's calls: the traced functions, the call trees they ran in, and the turns that
 * repeated an earlier tree call for call. Split from `model.ts`, which re-exports it.
 */

import type { FamilyPackage, PythonPackage } from "./model-meta.js";

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
