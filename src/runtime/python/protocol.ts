/**
 * Messages between the CLI and the Python tracer (`src/runtime/python/tracer.py`): JSON lines,
 * events on the tracer's fd 3, commands on its fd 4. The app's own stdout and
 * stderr stay separate and become log lines.
 */
import type { FunctionInfo, PythonPackage } from "../../trace/model.js";

/** Every value `FunctionInfo.pkg` takes in a Flask trace (the list is `PYTHON_FAMILY`, in the trace model). */
export type AnyPackage = PythonPackage | "app";

/**
 * A function as the tracer describes it: `FunctionInfo`'s fields (no version
 * or generated glue), with an absolute path and a Python package.
 */
export interface PyFunctionInfo extends Omit<FunctionInfo, "name" | "file" | "line" | "pkg" | "version" | "generated"> {
  /** `co_qualname`: `SocketIO.on.<locals>.decorator`. */
  readonly name: string;
  /** Absolute path of the installed file. */
  readonly file: string;
  /** `co_firstlineno` (the first decorator's line for a decorated function). */
  readonly line: number;
  readonly pkg: AnyPackage;
}

/** `[seq, op, fn, time, task, line, link]`; see the tracer's module docstring. */
export type PyRecord = readonly [seq: number, op: 1 | 2, fn: number, time: number, task: number, line: number, link: number];

/** Record kinds. */
export const PY_OP = { call: 1, return: 2 } as const;

/** A step the tracer will pause before, with the app's own line. */
export interface PyStepLine {
  readonly step: number;
  readonly line: number;
  readonly text: string;
}

/** Sent by the tracer. */
export type FromPython =
  | {
      readonly t: "hello";
      readonly pid: number;
      readonly python: string;
      /** Epoch ms at the tracer's clock zero. */
      readonly timeOrigin: number;
      /** Install directory of each traced package. */
      readonly roots: Readonly<Record<string, string>>;
      readonly versions: Readonly<Record<string, string>>;
    }
  | { readonly t: "steps"; readonly list: readonly PyStepLine[] }
  | { readonly t: "functions"; readonly list: readonly PyFunctionInfo[] }
  | { readonly t: "records"; readonly r: readonly PyRecord[] }
  | { readonly t: "dropped"; readonly calls: number }
  | { readonly t: "marked"; readonly step: number; readonly seq: number; readonly time: number }
  | {
      readonly t: "paused";
      readonly step: number;
      readonly line: number;
      readonly text: string;
      /** Live configuration of the app's SocketIO objects (asyncMode, origins, pingInterval…). */
      readonly values: Readonly<Record<string, string>>;
      /** What serves the Flask app's requests, outermost first: `app.wsgi_app` and what it wraps. */
      readonly wsgi: readonly string[];
    }
  | { readonly t: "listening"; readonly host: string; readonly port: number }
  | { readonly t: "flushed"; readonly id: number }
  | { readonly t: "notice"; readonly text: string }
  | { readonly t: "app-done" }
  | { readonly t: "app-error"; readonly message: string; readonly stack: string };

/** Sent to the tracer. */
export type ToPython =
  | { readonly t: "mark"; readonly step: number }
  | { readonly t: "continue" }
  | { readonly t: "flush"; readonly id: number }
  | { readonly t: "quit" };

/** Configuration of the tracer, passed as JSON in `TRACE_SOCKET_FLASK`. */
export interface TracerConfig {
  readonly app: string;
  readonly anchors: readonly { readonly step: number; readonly anchor: string }[];
  readonly events_fd: number;
  readonly commands_fd: number;
  /** Records pending between two drains before they are dropped and counted. */
  readonly capacity: number;
  readonly flush_ms: number;
  /** The traced packages, each with the distribution that installs it (`PYTHON_DISTRIBUTIONS`): only these are recorded. */
  readonly packages: Readonly<Record<string, string>>;
}
