/**
 * The one piece of `--stable` that is about order rather than values: when a
 * client has several connections open at once (a long-polling GET, a POST, the
 * WebSocket upgrade), which of them the server reads first varies from run to
 * run. A stable trace therefore numbers connections in a fixed order (by their
 * first request line, ids and cache-busters masked), lists each step's
 * top-level callbacks grouped by the connection that caused them, and numbers
 * chunks per connection. What happens inside each callback, and the order of
 * events on one connection, is left exactly as recorded. Pure.
 */
import { walkCalls } from "../trace/call-tree.js";
import { PROCESS_ID_STRIDE, type CallNode, type Chunk, type Connection, type Step } from "../trace/model.js";

/** The first request line a connection carried, with session ids and cache-busters masked. */
function requestKey(chunks: readonly Chunk[]): string {
  const first = chunks.find((c) => c.dir === "in");
  if (!first) return "\uffff";
  const text = Buffer.from(first.data, "base64").toString("latin1");
  const line = text.slice(0, Math.max(0, text.indexOf("\r\n")) || text.length);
  return line.replace(/([?&](?:sid|t)=)[^&\s]*/g, "$1*");
}

/** Old connection id → its number in the stable order (1, 2, 3…). */
export function stableConnectionOrder(connections: readonly Connection[], chunks: readonly Chunk[]): Map<number, number> {
  const byConn = new Map<number, Chunk[]>();
  for (const chunk of [...chunks].sort((a, b) => a.seq - b.seq)) {
    const list = byConn.get(chunk.conn);
    if (list) list.push(chunk);
    else byConn.set(chunk.conn, [chunk]);
  }
  const ids = [...new Set([...connections.map((c) => c.id), ...byConn.keys()])].sort((a, b) => a - b);
  const keyed = ids.map((id) => ({ id, key: requestKey(byConn.get(id) ?? []) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id - b.id));
  return new Map(keyed.map(({ id }, i) => [id, i + 1]));
}

/**
 * Each step's top-level calls in stable order: grouped by the connection that
 * caused them (the one whose bytes they read or wrote, else the one of the
 * callback that scheduled them), in connection order; callbacks caused by no
 * connection come last. Within a group the recorded order is kept, except that
 * callbacks with no bytes of their own follow those with, ordered by the call
 * that scheduled them (their moment depends on a worker thread, not on the wire).
 */
export function stableRootOrder(steps: readonly Step[], chunks: readonly Chunk[], connectionOrder: ReadonlyMap<number, number>): CallNode[][] {
  // The connection of every call that read or wrote bytes; reads first, they start callbacks.
  const laneOfCall = new Map<number, number>();
  for (const dir of ["in", "out"] as const) {
    for (const chunk of chunks) {
      if (chunk.dir === dir && chunk.call !== undefined && !laneOfCall.has(chunk.call)) {
        laneOfCall.set(chunk.call, connectionOrder.get(chunk.conn) ?? Number.MAX_SAFE_INTEGER);
      }
    }
  }
  // A read that carried several messages started a handler for each (`call <= seq < callEnd`): each is
  // that read's connection's, not only the first, however TCP happened to split the messages into reads.
  const readRanges = chunks
    .filter((chunk) => chunk.dir === "in" && chunk.call !== undefined && chunk.callEnd !== undefined && chunk.callEnd > chunk.call + 1)
    .map((chunk) => ({ from: chunk.call!, to: chunk.callEnd!, lane: connectionOrder.get(chunk.conn) ?? Number.MAX_SAFE_INTEGER }));
  const laneOfRead = (seq: number): number | undefined => readRanges.find((r) => r.from <= seq && seq < r.to)?.lane;
  const roots = steps.flatMap((step) => step.calls);
  const rootOfCall = new Map<number, CallNode>();
  for (const root of roots) walkCalls([root], (node) => rootOfCall.set(node.seq, root));
  const lanes = new Map<CallNode, number | undefined>();
  const ownBytes = new Set<CallNode>();
  const laneOf = (root: CallNode, seen = new Set<CallNode>()): number | undefined => {
    if (lanes.has(root)) return lanes.get(root);
    let lane: number | undefined;
    walkCalls([root], (node) => {
      if (lane === undefined) lane = laneOfCall.get(node.seq);
    });
    lane ??= laneOfRead(root.seq);
    if (lane !== undefined) ownBytes.add(root);
    if (lane === undefined && root.async && !seen.has(root)) {
      seen.add(root);
      const origin = rootOfCall.get(root.async.from);
      if (origin && origin !== root) lane = laneOf(origin, seen);
    }
    lanes.set(root, lane);
    return lane;
  };
  return steps.map((step) =>
    step.calls
      .map((root, index) => {
        const lane = laneOf(root) ?? Number.MAX_SAFE_INTEGER;
        // A callback that touched no bytes (crypto's randomBytes refilling engine.io's id pool) runs
        // when a worker thread finishes: after its connection's own callbacks, by what scheduled it.
        const inherited = !ownBytes.has(root) && root.async !== undefined;
        // Roots of several processes merge by time into one step: where no connection orders them, their
        // process does, since which process's callback ran first is a race between processes.
        const process = root.process ?? Math.floor(root.seq / PROCESS_ID_STRIDE);
        return { root, index, lane, process, inherited: inherited ? 1 : 0, key: inherited && root.async ? root.async.from : index };
      })
      .sort((a, b) => a.lane - b.lane || a.inherited - b.inherited || a.process - b.process || a.key - b.key || a.index - b.index)
      .map(({ root }) => root),
  );
}
