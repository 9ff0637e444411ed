/**
 * The traced process's `debug` lines as the panes use them: by the call that
 * printed them (the source pane's detail) and the names of those calls (the
 * log view's `[#seq Fn]` tags). Memoised on the trace's logs and steps.
 */
import { useMemo } from "react";
import { debugByCall } from "../trace/debug-lines.js";
import type { LogLine, Trace } from "../trace/model.js";
import { forEachStepCall } from "../trace/turns.js";

/** What the panes ask of the debug lines. */
export interface DebugLines {
  /** The lines call `seq` printed, in time order. */
  readonly printedBy: (seq: number | undefined) => readonly LogLine[];
  /** The function name of a call that printed some, by seq. */
  readonly nameOf: (seq: number) => string | undefined;
}

const NONE: readonly LogLine[] = [];

/** The debug lines of `trace`, indexed once per change of its logs or steps. */
export function useDebugLines(trace: Trace): DebugLines {
  const byCall = useMemo(() => debugByCall(trace.logs), [trace.logs]);
  const names = useMemo(() => {
    const out = new Map<number, string>();
    if (!byCall.size) return out;
    const fns = new Map(trace.functions.map((f) => [f.id, f.name]));
    for (const step of trace.steps) forEachStepCall(step, (seq, fn) => byCall.has(seq) && out.set(seq, fns.get(fn) ?? `#${fn}`));
    return out;
  }, [byCall, trace.steps, trace.functions]);
  return useMemo(
    () => ({ printedBy: (seq) => (seq === undefined ? NONE : byCall.get(seq) ?? NONE), nameOf: (seq) => names.get(seq) }),
    [byCall, names],
  );
}
