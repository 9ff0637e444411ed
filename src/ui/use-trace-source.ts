/**
 * Subscribes a component to a {@link TraceSource}: re-renders on each (already
 * throttled) change and hands out the current snapshot.
 */
import { useMemo, useSyncExternalStore } from "react";
import type { Trace } from "../trace/model.js";
import type { TraceSource } from "./trace-source.js";

/** The source's current trace; `version` changes with every notification. */
export function useTraceSource(source: TraceSource): { readonly trace: Trace; readonly version: number } {
  const version = useSyncExternalStore(source.subscribe, () => source.version);
  // The snapshot only changes when the version does.
  const trace = useMemo(() => source.snapshot(), [source, version]);
  return { trace, version };
}
