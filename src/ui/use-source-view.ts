/**
 * Asks the injected `describe` for the source of the selected function, once
 * per function, and re-renders when the answer arrives.
 */
import { useEffect, useRef, useState } from "react";
import type { SourceView } from "../source/types.js";
import type { FunctionInfo } from "../trace/model.js";
import type { SourceState } from "./source-lines.js";

/** What the stepper needs from the source index (`SourceIndex.describe`). */
export type Describe = (fn: FunctionInfo) => Promise<SourceView>;

/** The source of `fn`: `"loading"` until `describe` answers, undefined without `describe` or `fn`. */
export function useSourceView(describe: Describe | undefined, fn: FunctionInfo | undefined): SourceState {
  const cache = useRef(new Map<number, SourceView>());
  const asked = useRef(new Set<number>());
  const [, setAnswered] = useState(0);
  const owner = useRef(describe);
  if (owner.current !== describe) {
    owner.current = describe;
    cache.current = new Map();
    asked.current = new Set();
  }
  const latest = useRef(fn);
  latest.current = fn;
  const id = fn?.id;
  useEffect(() => {
    const fn = latest.current;
    if (!describe || !fn || asked.current.has(fn.id)) return;
    asked.current.add(fn.id);
    const results = cache.current;
    let live = true;
    describe(fn).then(
      (view) => {
        results.set(fn.id, view);
        if (live) setAnswered((n) => n + 1);
      },
      () => {
        // describe promises a view, never a rejection; a broken one leaves the local link shown.
        asked.current.delete(fn.id);
      },
    );
    return () => {
      live = false;
      // A later render asks again if the answer came too late for this one.
      if (!results.has(fn.id)) asked.current.delete(fn.id);
    };
  }, [describe, id]);
  if (!describe || !fn) return undefined;
  return cache.current.get(fn.id) ?? "loading";
}
