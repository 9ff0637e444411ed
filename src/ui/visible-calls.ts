/**
 * The call tree as the calls pane shows it: flattened depth-first, without the
 * children of collapsed nodes, plus the lookups the frame ↔ call jumps need.
 * Pure and iterative: real trees are hundreds of calls and dozens of levels deep.
 */
import type { CallNode } from "../trace/model.js";

/** One row of the calls pane. */
export interface VisibleCall {
  readonly node: CallNode;
  readonly depth: number;
  readonly hasChildren: boolean;
  /** False when the node has children and they are hidden. */
  readonly expanded: boolean;
}

/**
 * Flattens `roots` in call order, skipping the descendants of nodes whose
 * `seq` is in `collapsed`.
 */
export function visibleCalls(roots: readonly CallNode[], collapsed: ReadonlySet<number>): VisibleCall[] {
  const out: VisibleCall[] = [];
  const pending: [CallNode, number][] = [];
  for (let i = roots.length - 1; i >= 0; i--) pending.push([roots[i], 0]);
  while (pending.length) {
    const [node, depth] = pending.pop()!;
    const hasChildren = node.children.length > 0;
    const expanded = hasChildren && !collapsed.has(node.seq);
    out.push({ node, depth, hasChildren, expanded });
    if (!expanded) continue;
    for (let i = node.children.length - 1; i >= 0; i--) pending.push([node.children[i], depth + 1]);
  }
  return out;
}

/** Largest `seq` in a subtree: seqs grow in call order, so it is the last node of the rightmost path. */
export function lastSeq(node: CallNode): number {
  let at = node;
  while (at.children.length) at = at.children[at.children.length - 1];
  return at.seq;
}

/**
 * The nodes from a root down to the node with `seq`, or undefined when no node
 * of `roots` has it. Siblings are in seq order, so each level is one search.
 */
export function pathTo(roots: readonly CallNode[], seq: number): CallNode[] | undefined {
  const path: CallNode[] = [];
  let level = roots;
  for (;;) {
    let candidate: CallNode | undefined;
    for (const node of level) {
      if (node.seq > seq) break;
      candidate = node;
    }
    if (!candidate || lastSeq(candidate) < seq) return undefined;
    path.push(candidate);
    if (candidate.seq === seq) return path;
    level = candidate.children;
  }
}

/** The collapsed set with every ancestor of the node `seq` expanded, so the node is visible. */
export function revealing(roots: readonly CallNode[], collapsed: ReadonlySet<number>, seq: number): ReadonlySet<number> {
  const path = pathTo(roots, seq);
  if (!path) return collapsed;
  const ancestors = path.slice(0, -1).filter((node) => collapsed.has(node.seq));
  if (ancestors.length === 0) return collapsed;
  const next = new Set(collapsed);
  for (const node of ancestors) next.delete(node.seq);
  return next;
}
