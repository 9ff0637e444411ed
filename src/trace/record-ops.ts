/**
 * The kinds a call record has, as the recorder writes them in the traced
 * process and the call-tree builder reads them here. Kept in the bottom
 * layer so that both import it downward: the record format is part of the
 * trace's own vocabulary, not of the instrumentation.
 */

/** Record kinds. */
export const OP = { enter: 1, exit: 2, resume: 3, suspend: 4, mark: 5, site: 6 } as const;

/** Async link kinds, in the order of `ASYNC_KINDS`. */
export const ASYNC_KINDS = ["none", "promise", "tick", "timer", "immediate", "io", "other"] as const;
