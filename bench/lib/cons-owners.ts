/**
 * Who holds a heap's concatenated strings (V8 ConsStrings; issue 18). A string built piece by
 * piece is a tree of ConsString nodes until something flattens it, and a snapshot shows only the
 * nodes: this follows each top ConsString (one no other ConsString holds) up its retainers to the
 * first object with a named constructor, and sums each tree's nodes under that retainer path.
 */
import type { HeapGraph } from "./heap-snapshot.js";

const CONS = "concatenated string";
/** Holders that say nothing about the owner: the path goes on through them. */
const ANONYMOUS = new Set(["Object", "Array", "(object elements)", "(object properties)", "(map descriptors)", "(internal array)", "system"]);
/** How far up a path is followed before it is cut. */
const MAX_HOPS = 12;

/** One retainer path's total: top strings, ConsString nodes under them, their bytes (a snapshot names no ConsString's text). */
export interface ConsOwner {
  readonly path: string;
  strings: number;
  nodes: number;
  bytes: number;
}

/** The heap's ConsStrings: all of them, and by owner, most bytes first. */
export interface ConsSummary {
  readonly consNodes: number;
  readonly consBytes: number;
  readonly owners: readonly ConsOwner[];
}

/** Whether `node` names its owner: a constructor's object (not a plain object or array), or a closure. */
function named(graph: HeapGraph, node: number): boolean {
  const type = graph.type(node);
  const name = graph.name(node);
  return type === "closure" || (type === "object" && !ANONYMOUS.has(name) && !name.startsWith("system /"));
}

/** The first strong holder of `node` not on the path yet, preferring a property, element or context edge. */
function holder(graph: HeapGraph, node: number, seen: ReadonlySet<number>): { from: number; name: string } | undefined {
  const strong = graph.retainers(node).filter((r) => r.type !== "weak" && !seen.has(r.from));
  return strong.find((r) => r.type === "property" || r.type === "element" || r.type === "context") ?? strong[0];
}

/** The retainer path of a top ConsString, as "Owner.prop[].prop", array indices folded into []. */
function pathOf(graph: HeapGraph, node: number): string {
  const parts: string[] = [];
  const seen = new Set<number>([node]);
  let at = node;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const up = holder(graph, at, seen);
    if (!up) return `(no strong holder)${parts.reverse().join("")}`;
    parts.push(/^\[\d+\]$/.test(up.name) ? "[]" : `.${up.name}`);
    seen.add(up.from);
    at = up.from;
    if (named(graph, at)) return `${graph.name(at)}${parts.reverse().join("")}`;
  }
  return `…${graph.type(at)}:${graph.name(at).slice(0, 30)}${parts.reverse().join("")}`;
}

/** Sums the heap's ConsStrings by owner; each node counts once, under the first top string that reaches it. */
export function consOwners(graph: HeapGraph): ConsSummary {
  const counted = new Uint8Array(graph.count);
  const owners = new Map<string, ConsOwner>();
  let consNodes = 0;
  let consBytes = 0;
  for (let node = 0; node < graph.count; node++) {
    if (graph.type(node) !== CONS) continue;
    consNodes++;
    consBytes += graph.selfSize(node);
    if (graph.retainers(node).some((r) => graph.type(r.from) === CONS)) continue;
    let nodes = 0;
    let bytes = 0;
    const stack = [node];
    while (stack.length) {
      const n = stack.pop()!;
      if (counted[n]) continue;
      counted[n] = 1;
      nodes++;
      bytes += graph.selfSize(n);
      for (const child of graph.children(n)) if (graph.type(child.to) === CONS) stack.push(child.to);
    }
    const path = pathOf(graph, node);
    const owner = owners.get(path) ?? { path, strings: 0, nodes: 0, bytes: 0 };
    owner.strings++;
    owner.nodes += nodes;
    owner.bytes += bytes;
    owners.set(path, owner);
  }
  return { consNodes, consBytes, owners: [...owners.values()].sort((a, b) => b.bytes - a.bytes) };
}
