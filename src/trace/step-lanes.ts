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

/** Last seq and latest end in a subtree (seqs grow in call order). */
function extent(root: CallNode): { last: number; end: number } {
  let last = root.seq;
  let end = root.end;
  const pending: CallNode[] = [root];
  while (pending.length) {
    const node = pending.pop()!;
    if (node.seq > last) last = node.seq;
    if (node.end > end) end = node.end;
    for (const child of node.children) pending.push(child);
  }
  return { last, end };
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
  const verdicts = messages.map((m, i) => test(m, i));
  const flagged = verdicts.map((v) => v === true);
  const spans = roots.map((root) => ({ root, ...extent(root) }));
  const rootOf = (seq: number | undefined): number => {
    if (seq === undefined) return -1;
    // Roots are in seq order and their subtrees do not overlap: a binary search finds the one holding `seq`.
    let low = 0;
    let high = spans.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (spans[mid].root.seq > seq) high = mid - 1;
      else if (spans[mid].last < seq) low = mid + 1;
      else return mid;
    }
    return -1;
  };
  const background = new Array<boolean>(spans.length).fill(false);
  const ownLinked = new Array<boolean>(spans.length).fill(false);
  messages.forEach((m, i) => {
    const at = rootOf(m.call);
    if (at < 0) return;
    if (flagged[i]) background[at] = true;
    else if (verdicts[i] === false) ownLinked[at] = true;
  });
  for (let i = 0; i < spans.length; i++) {
    if (ownLinked[i]) background[i] = false;
    else if (!background[i]) {
      const from = rootOf(spans[i].root.async?.from);
      // Scheduled earlier in this step's background (a timer the pong reset); roots come in seq order, so `from` was decided.
      background[i] = from >= 0 && from < i && background[from];
    }
  }
  const own: M[] = [];
  const behind: M[] = [];
  messages.forEach((m, i) => {
    const at = rootOf(m.call);
    const behindIt = flagged[i] || (verdicts[i] === undefined && at >= 0 && background[at]);
    (behindIt ? behind : own).push(m);
  });
  let start = Infinity;
  let end = -Infinity;
  spans.forEach((span, i) => {
    if (background[i]) return;
    start = Math.min(start, span.root.start);
    end = Math.max(end, span.end);
  });
  for (const m of own) {
    start = Math.min(start, m.time);
    end = Math.max(end, m.time);
  }
  return {
    own: { calls: roots.filter((_, i) => !background[i]), messages: own },
    background: { calls: roots.filter((_, i) => background[i]), messages: behind },
    ...(start <= end ? { work: { start, end } } : {}),
  };
}
