/**
 * A V8 `.heapsnapshot` read as flat arrays, with its retainers: which node holds
 * which. The file's `nodes` and `edges` are flat integer arrays whose record
 * layout is `snapshot.meta.node_fields` / `edge_fields`; an edge's `to_node` is
 * an offset into `nodes`, and a node's edges follow those of the node before it.
 */

/** The parts of a snapshot file this reader needs. */
interface SnapshotFile {
  readonly snapshot: {
    readonly meta: {
      readonly node_fields: readonly string[];
      readonly node_types: readonly [readonly string[], ...unknown[]];
      readonly edge_fields: readonly string[];
      readonly edge_types: readonly [readonly string[], ...unknown[]];
    };
  };
  readonly nodes: readonly number[];
  readonly edges: readonly number[];
  readonly strings: readonly string[];
}

/** A parsed snapshot: node `i` is the i-th node record (not its offset in the file). */
export interface HeapGraph {
  readonly count: number;
  /** The node's type (`"object"`, `"concatenated string"`, …). */
  type(node: number): string;
  /** The node's name: a constructor's name for objects, the text for strings. */
  name(node: number): string;
  /** The node's own size in bytes. */
  selfSize(node: number): number;
  /** The nodes that hold `node`, each with the edge's type and name. */
  retainers(node: number): readonly { readonly from: number; readonly type: string; readonly name: string }[];
  /** The nodes `node` holds, each with the edge's type and name. */
  children(node: number): readonly { readonly to: number; readonly type: string; readonly name: string }[];
}

/** Builds the graph of a parsed snapshot file; the retainers index is made once here (two passes over the edges). */
export function heapGraph(file: SnapshotFile): HeapGraph {
  const { meta } = file.snapshot;
  const nodeWidth = meta.node_fields.length;
  const edgeWidth = meta.edge_fields.length;
  const [typeAt, nameAt, selfAt, edgeCountAt] = ["type", "name", "self_size", "edge_count"].map((f) => meta.node_fields.indexOf(f));
  const [edgeTypeAt, edgeNameAt, toAt] = ["type", "name_or_index", "to_node"].map((f) => meta.edge_fields.indexOf(f));
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const { nodes, edges, strings } = file;
  const count = nodes.length / nodeWidth;
  // Where each node's edges start (in edge records), and the reverse index in CSR form.
  const firstEdge = new Uint32Array(count + 1);
  for (let i = 0; i < count; i++) firstEdge[i + 1] = firstEdge[i] + nodes[i * nodeWidth + edgeCountAt];
  const retainerCount = new Uint32Array(count + 1);
  const edgeCount = edges.length / edgeWidth;
  for (let e = 0; e < edgeCount; e++) retainerCount[edges[e * edgeWidth + toAt] / nodeWidth + 1]++;
  for (let i = 0; i < count; i++) retainerCount[i + 1] += retainerCount[i];
  const retainerEdge = new Uint32Array(edgeCount);
  const retainerFrom = new Uint32Array(edgeCount);
  const filled = retainerCount.slice(0, count);
  for (let from = 0; from < count; from++) {
    for (let e = firstEdge[from]; e < firstEdge[from + 1]; e++) {
      const to = edges[e * edgeWidth + toAt] / nodeWidth;
      const slot = filled[to]++;
      retainerEdge[slot] = e;
      retainerFrom[slot] = from;
    }
  }
  const edgeType = (e: number): string => edgeTypes[edges[e * edgeWidth + edgeTypeAt]];
  // Element and hidden edges name an index; the others a string.
  const edgeName = (e: number): string => {
    const type = edgeType(e);
    const value = edges[e * edgeWidth + edgeNameAt];
    return type === "element" || type === "hidden" ? `[${value}]` : strings[value];
  };
  return {
    count,
    type: (node) => nodeTypes[nodes[node * nodeWidth + typeAt]],
    name: (node) => strings[nodes[node * nodeWidth + nameAt]],
    selfSize: (node) => nodes[node * nodeWidth + selfAt],
    retainers(node) {
      const out = [];
      for (let slot = retainerCount[node]; slot < retainerCount[node + 1]; slot++) {
        out.push({ from: retainerFrom[slot], type: edgeType(retainerEdge[slot]), name: edgeName(retainerEdge[slot]) });
      }
      return out;
    },
    children(node) {
      const out = [];
      for (let e = firstEdge[node]; e < firstEdge[node + 1]; e++) {
        out.push({ to: edges[e * edgeWidth + toAt] / nodeWidth, type: edgeType(e), name: edgeName(e) });
      }
      return out;
    },
  };
}
