/**
 * Catches what the `debug` package prints in the traced process (socket.io's
 * and engine.io's `DEBUG=socket.io*,engine*` lines) at its write, tagged with
 * the call that printed it, instead of letting it reach stderr: the CLI shows
 * each line once, beside that call, rather than as anonymous stderr.
 *
 * Each copy of `debug` (nested copies included) is patched as it loads: its
 * `log` (what every logger without a `log` of its own writes through) is
 * replaced by one that formats the line exactly as debug's own does and
 * stores it in preallocated columns. Nothing runs for a logger that is not
 * enabled (debug returns before `log`), and an enabled one costs a clock read
 * and a call lookup beside the formatting it did anyway. A user's own
 * `debug.log = …` set after loading replaces ours, as it would replace debug's.
 */
import Module from "node:module";
import { formatWithOptions, type InspectOptions } from "node:util";

/** Lines caught since the last drain: the call each was printed under (-1: none), when (the process's ms), what. */
export interface DebugBatch {
  readonly calls: Float64Array;
  readonly times: Float64Array;
  readonly texts: readonly string[];
  /** Lines dropped because the columns were full before a drain. */
  readonly dropped: number;
}

/** Debug's Node entry, in every version since 2 (`debug/src/node.js`). */
const DEBUG_ENTRY = /[\\/]node_modules[\\/]debug[\\/]src[\\/]node\.js$/;

/** Debug prefixes a line with the date when stderr is not a terminal (ours never is): the line's time says it. */
const DATE_PREFIX = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /;

interface DebugModule {
  log?: (...args: unknown[]) => unknown;
  inspectOpts?: InspectOptions;
}

/**
 * Patches every `debug` that loads from now on; returns the drain. `current`
 * is the recorder's innermost running call (its seq, or -1).
 */
export function tapDebug(current: () => number, capacity = 4096): () => DebugBatch | undefined {
  const calls = new Float64Array(capacity);
  const times = new Float64Array(capacity);
  let texts: string[] = [];
  let dropped = 0;
  const keep = (text: string): void => {
    const call = current();
    const time = performance.now();
    // One record per printed line: a `%O` object spans several, each tagged with the same call.
    for (const line of text.replace(DATE_PREFIX, "").split("\n")) {
      const i = texts.length;
      if (i >= capacity) {
        dropped++;
        continue;
      }
      calls[i] = call;
      times[i] = time;
      texts.push(line);
    }
  };
  const proto = Module.prototype as unknown as { _compile(content: string, filename: string): unknown; exports?: unknown };
  const original = proto._compile;
  proto._compile = function _compile(this: { exports?: unknown }, content: string, filename: string) {
    const result = original.call(this, content, filename);
    if (DEBUG_ENTRY.test(filename)) {
      const debug = this.exports as DebugModule | undefined;
      if (debug && typeof debug.log === "function") {
        debug.log = function log(...args: unknown[]): void {
          keep(formatWithOptions(debug.inspectOpts ?? {}, ...args));
        };
      }
    }
    return result;
  };
  return () => {
    if (texts.length === 0 && dropped === 0) return undefined;
    const batch: DebugBatch = { calls: calls.slice(0, texts.length), times: times.slice(0, texts.length), texts, dropped };
    texts = [];
    dropped = 0;
    return batch;
  };
}
