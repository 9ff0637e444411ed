/**
 * Turns the Python tracer's flat record stream into per-step call trees.
 * Pure: records in, immutable trees out.
 *
 * Python under eventlet runs many greenlets on one thread, and a greenlet
 * parked in a blocking call (the accept loop of `eventlet.wsgi.server`, a
 * WebSocket read) resumes in a later step. So frames are stacked per task
 * (greenlet or thread), and a call made inside a frame opened in an earlier
 * step nests under a *resumed* copy of that frame (detached, linked to its
 * original entry), as the Node side shows an awaited function resuming.
 */
import type { CallNode } from "../../trace/model.js";
import type { MutableCallNode } from "../../trace/call-tree.js";
import { PY_OP, type PyRecord } from "./protocol.js";

/** A call node of a Python trace: the model's node plus the line of the call. */
export interface PyCallNode extends CallNode {
  /** Line in the nearest traced caller at which the call was made (absent for roots called from untraced code). */
  readonly at?: number;
  readonly children: readonly PyCallNode[];
}

interface MutableNode extends MutableCallNode {
  children: MutableNode[];
  at?: number;
}

interface Frame {
  readonly seq: number;
  readonly fn: number;
  readonly line: number;
  /** The node of this frame in the step being built, once it has one. */
  node?: MutableNode;
  /** Step index the node belongs to. */
  nodeStep: number;
}

/** Frames kept per task; past it the outermost are forgotten (their calls become roots). */
const MAX_STACK = 4096;

/** A step's range of records: seq in `[from, to)`. */
export interface StepRange {
  readonly from: number;
  readonly to: number;
}

/**
 * Builds the call forest of every step. `records` must be sorted by seq;
 * `ranges` must be sorted and disjoint. Calls between ranges (before the first
 * step) shape the stacks but belong to no step.
 */
export function buildPyCallTrees(records: readonly PyRecord[], ranges: readonly StepRange[]): PyCallNode[][] {
  const stacks = new Map<number, Frame[]>();
  const seen = new Set<number>();
  const out: MutableNode[][] = ranges.map(() => []);
  const lastTime: number[] = ranges.map(() => 0);
  const open = new Map<MutableNode, number>();
  let virtualSeq = records.length ? records[records.length - 1][0] + 1 : 0;
  let step: number;
  let r = 0;
  for (const record of records) {
    const [seq, op, fn, time, task, line, link] = record;
    while (r < ranges.length && seq >= ranges[r].to) r++;
    step = r < ranges.length && seq >= ranges[r].from ? r : -1;
    let stack = stacks.get(task);
    if (!stack) stacks.set(task, (stack = []));
    const firstOfTask = !seen.has(task);
    seen.add(task);
    if (op === PY_OP.call) {
      const frame: Frame = { seq, fn, line, nodeStep: -1 };
      if (step >= 0) {
        lastTime[step] = time;
        const parent = materialize(stack, step, time, out[step], () => virtualSeq++, open);
        const node: MutableNode = { seq, fn, start: time, end: time, children: [] };
        if (line >= 0) node.at = line;
        if (firstOfTask && link >= 0) node.async = { kind: "other", from: link };
        (parent ? parent.children : out[step]).push(node);
        open.set(node, step);
        frame.node = node;
        frame.nodeStep = step;
      }
      stack.push(frame);
      if (stack.length > MAX_STACK) stack.shift();
    } else if (op === PY_OP.return) {
      let at = stack.length - 1;
      while (at >= 0 && stack[at].fn !== fn) at--;
      if (at < 0) continue;
      if (step >= 0) {
        lastTime[step] = time;
        for (let j = stack.length - 1; j >= at; j--) {
          const node = stack[j].nodeStep === step ? stack[j].node : undefined;
          if (node) {
            node.end = time;
            open.delete(node);
          }
        }
      }
      stack.length = at;
    }
  }
  // Calls still open when their step ended run to the step's last record.
  for (const [node, i] of open) node.end = Math.max(node.start, lastTime[i]);
  return out as PyCallNode[][];
}

/**
 * Gives every frame of `stack` a node in `step`, outermost first, creating
 * resumed copies for frames opened earlier; returns the innermost node.
 */
function materialize(stack: Frame[], step: number, time: number, roots: MutableNode[], nextSeq: () => number, open: Map<MutableNode, number>): MutableNode | undefined {
  let first = stack.length;
  while (first > 0 && stack[first - 1].nodeStep !== step) first--;
  let parent = first > 0 ? stack[first - 1].node : undefined;
  for (let i = first; i < stack.length; i++) {
    const frame = stack[i];
    const node: MutableNode = { seq: nextSeq(), fn: frame.fn, start: time, end: time, children: [], detached: true, async: { kind: "other", from: frame.seq } };
    if (frame.line >= 0) node.at = frame.line;
    (parent ? parent.children : roots).push(node);
    open.set(node, step);
    frame.node = node;
    frame.nodeStep = step;
    parent = node;
  }
  return parent;
}
