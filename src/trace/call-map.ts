/**
 * Rebuilding call trees node by node without recursion (trees can be deeper
 * than the stack). Pure: the input trees are not touched.
 */
import type { CallNode } from "./model.js";

/**
 * Maps every node of a forest, children first: `map` gets the node and its
 * already mapped children and returns the new node, or `undefined` to drop the
 * node and splice its mapped children into its parent's list in its place.
 *
 * @example
 * // The same trees with every timestamp set to 0.
 * mapCallTrees(step.calls, (node, children) => ({ ...node, start: 0, end: 0, children }));
 */
export function mapCallTrees<T = CallNode>(
  roots: readonly CallNode[],
  map: (node: CallNode, children: T[]) => T | undefined,
): T[] {
  interface Frame {
    readonly node: CallNode;
    readonly out: T[];
    next: number;
  }
  const result: T[] = [];
  const stack: Frame[] = [];
  for (const root of roots) {
    stack.push({ node: root, out: [], next: 0 });
    while (stack.length) {
      const frame = stack[stack.length - 1];
      if (frame.next < frame.node.children.length) {
        stack.push({ node: frame.node.children[frame.next++], out: [], next: 0 });
        continue;
      }
      stack.pop();
      const parentOut = stack.length ? stack[stack.length - 1].out : result;
      const mapped = map(frame.node, frame.out);
      if (mapped !== undefined) parentOut.push(mapped);
      else for (const child of frame.out) parentOut.push(child);
    }
  }
  return result;
}
