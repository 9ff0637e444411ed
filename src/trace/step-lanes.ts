/**
 * Splits what was recorded while a step was selected into the step's own work
 * and the background traffic that arrived meanwhile (heartbeats, and whatever
 * they set off). A step stays "open" until the next one starts, so reading it
 * for half a minute piles heartbeats into it and stretches its time; this
 * tells the two apart and measures only the step's own work.
 *
 * Pure and generic over the message type: the caller decides which messages
 * are background by nature (the UI: Engine.IO ping/pong), this module carries
 * the decision to the call trees that read or wrote them and to the async
 * continuations those trees scheduled.
 */
import type { CallNode } from "./model.js";
import { rootSpans, type RootSpans } from "./root-spans.js";

/** What this module needs of a decoded message. */
export interface LaneMessage {
  /** Call linked to the message, when known. */
  readonly call?: number;
  /** Ms since the trace started. */
  readonly time: number;
}

/** The two lanes of a step, and the span of its own work. */
export interface StepLanes<M extends LaneMessage> {
  readonly own: { readonly calls: readonly CallNode[]; readonly messages: readonly M[] };
  readonly background: { readonly calls: readonly CallNode[]; readonly messages: readonly M[] };
  /** First call or frame of the step's own work to its last one (ms since the trace started); undefined when it has none. */
  readonly work?: { readonly start: number; readonly end: number };
}

/**
 * What a message says of the tree that read or wrote it: background by
 * nature (true), the step's own (false), or nothing either way (undefined:
 * an HTTP `ok` to a polled pong goes where its tree goes).
 */
export type LaneTest<M> = (message: M, index: number) => boolean | undefined;

/**
 * Splits `roots` (a step's call trees, in seq order) and `messages` (its
 * frames, in order) into lanes. A root is background when it read or wrote a
 * background message and none of the step's own, or when it is an async
 * continuation scheduled from inside a background root; a message is
 * background when `test` says so or, saying nothing, its call lies in a
 * background root.
 *
 * @example
 * const lanes = stepLanes(step.calls, messages, (m) => isHeartbeat(m));
 * lanes.work && lanes.work.end - lanes.work.start; // the step's own ms
 */
export function stepLanes<M extends LaneMessage>(roots: readonly CallNode[], messages: readonly M[], test: LaneTest<M>): StepLanes<M> {
  const { background, own, behind, work } = laneSplit(rootSpans(roots), messages, test);
  return {
    own: { calls: roots.filter((_, i) => !background[i]), messages: own },
    background: { calls: roots.filter((_, i) => background[i]), messages: behind },
    ...(work ? { work } : {}),
  };
}

/**
 * {@link stepLanes} over roots' spans alone: which roots are background (by index), the
 * messages of each lane and the span of the step's own work. For a step's work time, whose
 * folded turns need no tree (`stepRootSpans`).
 */
export function laneSplit<M extends LaneMessage>(spans: RootSpans, messages: readonly M[], test: LaneTest<M>): { readonly background: Uint8Array; readonly own: M[]; readonly behind: M[]; readonly work?: { readonly start: number; readonly end: number } } {
  const verdicts = messages.map((m, i) => test(m, i));
  const background = new Uint8Array(spans.length);
  const ownLinked = new Uint8Array(spans.length);
  messages.forEach((m, i) => {
    const at = spans.holding(m.call);
    if (at < 0) return;
    if (verdicts[i] === true) background[at] = 1;
    else if (verdicts[i] === false) ownLinked[at] = 1;
  });
  for (let i = 0; i < spans.length; i++) {
    if (ownLinked[i]) background[i] = 0;
    else if (!background[i]) {
      const from = spans.holding(spans.from(i));
      // Scheduled earlier in this step's background (a timer the pong reset); roots come in seq order, so `from` was decided.
      background[i] = from >= 0 && from < i && background[from] ? 1 : 0;
    }
  }
  const own: M[] = [];
  const behind: M[] = [];
  messages.forEach((m, i) => {
    const at = spans.holding(m.call);
    const behindIt = verdicts[i] === true || (verdicts[i] === undefined && at >= 0 && background[at] === 1);
    (behindIt ? behind : own).push(m);
  });
  let start = Infinity;
  let end = -Infinity;
  for (let i = 0; i < spans.length; i++) {
    if (background[i]) continue;
    start = Math.min(start, spans.start(i));
    end = Math.max(end, spans.end(i));
  }
  for (const m of own) {
    start = Math.min(start, m.time);
    end = Math.max(end, m.time);
  }
  return { background, own, behind, ...(start <= end ? { work: { start, end } } : {}) };
}
