/**
 * Links async continuations (promise reactions, nextTick, timers, I/O callbacks)
 * to the call that scheduled them, with `async_hooks`.
 *
 * Resources created while no traced call runs are ignored, so the cost is paid
 * only inside the family's code. The table is a fixed typed-array hash keyed by
 * async id: no allocation per resource, and a collision only loses a link.
 */
import { createHook, executionAsyncId, type AsyncHook } from "node:async_hooks";
import type { Recorder } from "./recorder.js";

const SLOTS = 1 << 16;
const MASK = SLOTS - 1;

function kindOf(type: string): number {
  // Indices into ASYNC_KINDS.
  if (type === "PROMISE") return 1;
  if (type === "TickObject") return 2;
  if (type === "Timeout") return 3;
  if (type === "Immediate") return 4;
  if (type === "Microtask") return 1;
  if (type.endsWith("WRAP") || type === "HTTPINCOMINGMESSAGE" || type === "HTTPCLIENTREQUEST") return 5;
  return 6;
}

/** Starts linking continuations to the recorder's calls; returns the hook so it can be disabled. */
export function linkAsyncContinuations(recorder: Recorder): AsyncHook {
  const ids = new Float64Array(SLOTS).fill(-1);
  const from = new Float64Array(SLOTS);
  const kinds = new Uint8Array(SLOTS);
  // The promises an `await` creates belong to the function that just suspended, not to its
  // caller still on the stack: a resumption of that function is linked to its own frame.
  const resumeFrom = new Float64Array(SLOTS);
  const resumeFn = new Int32Array(SLOTS);
  // Only `init`: no before/after, so the async callbacks that never enter traced code
  // (most of them) cost no call into JavaScript; a turn that does enter it looks up its
  // own resource by executionAsyncId().
  const hook = createHook({
    init(asyncId, type) {
      const scheduler = recorder.current();
      if (scheduler < 0) return;
      const slot = asyncId & MASK;
      ids[slot] = asyncId;
      from[slot] = scheduler;
      kinds[slot] = kindOf(type);
      resumeFrom[slot] = recorder.suspendedSeq();
      resumeFn[slot] = recorder.suspendedFnId();
    },
  });
  recorder.linkLookup = (resuming) => {
    const asyncId = executionAsyncId();
    const slot = asyncId & MASK;
    if (ids[slot] === asyncId) {
      const own = resuming >= 0 && resumeFn[slot] === resuming && resumeFrom[slot] >= 0;
      recorder.pendingLink = own ? resumeFrom[slot] : from[slot];
      recorder.pendingKind = kinds[slot];
    } else {
      recorder.pendingLink = -1;
    }
  };
  hook.enable();
  return hook;
}
