/**
 * `--stable`: the same scenario run twice gives the same trace, byte for byte.
 * Everything a run picks at random or reads from the clock is replaced with a
 * placeholder, consistently (the same session id gets the same placeholder
 * everywhere: in frames, narration, values and logs):
 *
 * - Engine.IO / Socket.IO session ids → `eio-sid-1---…`, `sio-sid-1---…` (same length, so
 *   `Content-Length` and WebSocket lengths stay right);
 * - WebSocket masking keys → `00000000` (payloads re-masked, so they read as plain text);
 * - `Sec-WebSocket-Key` / `-Accept` → the all-zero key and its accept value;
 * - the polling cache-buster `t=…`, HTTP `Date` headers;
 * - connectionStateRecovery's offsets → `off-1--`… (`stable-offsets.ts`);
 * - the server's port (`PORT`; `PORT-A`, `PORT-B` and `REDIS-PORT` for several, `stable-links.ts`),
 *   the clients' ports, the date of the run;
 * - the adapters' uids and request ids, the handshakes a fetchSockets reply embeds
 *   (`stable-adapter-ids.ts`); the cross-process links and the processes' addresses;
 * - every timestamp and duration → 0; call and chunk sequence numbers → 1, 2, 3… in order;
 * - the order of concurrent connections (see `stable-order.ts`): connections are numbered in a
 *   fixed order and each step's top-level callbacks are grouped by connection;
 * - heartbeats that strayed into a step of user code, left out (`stable-heartbeats.ts`).
 *
 * Pure: a new trace is returned.
 */
import { mapCallTrees } from "../trace/call-map.js";
import { walkCalls } from "../trace/call-tree.js";
import { expandedStep, foldTurns } from "../trace/turns.js";
import type { CallNode, Chunk, LiveState, Trace } from "../trace/model.js";
import { stableConnectionOrder, stableRootOrder } from "./stable-order.js";
import { addRecoveryOffsets, sized } from "./stable-offsets.js";
import { addAdapterIds, stableEmbeddedHandshake } from "./stable-adapter-ids.js";
import { dropStrayHeartbeats } from "./stable-heartbeats.js";
import { perProcessIds, stableLinks, stablePorts, stableProcesses } from "./stable-links.js";

/** The date every stable trace says it started at. */
export const STABLE_DATE = "1970-01-01T00:00:00.000Z";

const HTTP_DATE = "Thu, 01 Jan 1970 00:00:00 GMT";
const ZERO_KEY = "AAAAAAAAAAAAAAAAAAAAAA==";
/** base64(sha1(ZERO_KEY + RFC 6455 GUID)): the accept value a server computes for the zero key. */
const ZERO_ACCEPT = "ICX+Yqv66kxgM0FcWaLWlFLwTAI=";

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("latin1");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Session ids in order of first appearance, each with its placeholder. */
function findSessionIds(streams: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  const counts = { eio: 0, sio: 0, pid: 0, sid: 0 };
  const add = (id: string, kind: keyof typeof counts): void => {
    if (found.has(id) || id.length === 0) return;
    counts[kind]++;
    const label = kind === "sid" ? `sid-${counts.sid}` : kind === "pid" ? `pid-${counts.pid}` : `${kind}-sid-${counts[kind]}`;
    found.set(id, sized(label, id.length));
  };
  for (const text of streams) {
    for (const m of text.matchAll(/(.{0,3})"sid":"([^"\\]{1,128})"/g)) add(m[2], m[1].endsWith("40{") ? "sio" : m[1].endsWith("0{") ? "eio" : "sid");
    for (const m of text.matchAll(/"pid":"([^"\\]{1,128})"/g)) add(m[1], "pid");
    for (const m of text.matchAll(/[?&]sid=([A-Za-z0-9_-]{1,128})/g)) add(m[1], "eio");
  }
  return found;
}

/** Offset where WebSocket frames start in a client→server stream (after an Upgrade request), if they do. */
function webSocketStart(text: string): number | undefined {
  let at = 0;
  while (at < text.length) {
    const headEnd = text.indexOf("\r\n\r\n", at);
    if (headEnd < 0) return undefined;
    const head = text.slice(at, headEnd);
    if (!/^[A-Z]+ \S+ HTTP\/1\.[01]\r\n/.test(head)) return undefined;
    if (/\r\nupgrade:\s*websocket/i.test(head)) return headEnd + 4;
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (/\r\ntransfer-encoding:/i.test(head)) return undefined;
    at = headEnd + 4 + (length ? Number(length[1]) : 0);
  }
  return undefined;
}

/** Re-masks every masked frame from `start` on with the all-zero key, in place. Stops at anything it cannot read. */
function zeroMasks(bytes: Uint8Array, start: number, end: number): void {
  let at = start;
  while (at + 2 <= end) {
    const masked = (bytes[at + 1] & 0x80) !== 0;
    let length = bytes[at + 1] & 0x7f;
    let p = at + 2;
    if (length === 126) {
      if (p + 2 > end) return;
      length = (bytes[p] << 8) | bytes[p + 1];
      p += 2;
    } else if (length === 127) {
      if (p + 8 > end) return;
      const high = ((bytes[p] << 24) >>> 0) + (bytes[p + 1] << 16) + (bytes[p + 2] << 8) + bytes[p + 3];
      if (high > 0x1fffff) return;
      length = high * 2 ** 32 + ((bytes[p + 4] << 24) >>> 0) + (bytes[p + 5] << 16) + (bytes[p + 6] << 8) + bytes[p + 7];
      p += 8;
    }
    if (masked) {
      if (p + 4 > end) return;
      const key = bytes.slice(p, p + 4);
      bytes.fill(0, p, p + 4);
      p += 4;
      const stop = Math.min(end, p + length);
      for (let k = p; k < stop; k++) bytes[k] ^= key[(k - p) & 3];
    }
    at = p + length;
  }
}

interface Replacer {
  /** For raw bytes (as latin1): every replacement keeps the length. */
  readonly raw: (text: string) => string;
  /** For narration, values, logs and addresses. */
  readonly text: (text: string) => string;
}

/** A step's live state with its ids, addresses and the handshake's cache-buster replaced like everywhere else. */
function stableState(state: LiveState, replacer: Replacer): LiveState {
  const text = (s: string): string => replacer.text(s);
  return {
    servers: state.servers.map((server) => ({
      ...server,
      namespaces: server.namespaces.map((nsp) => ({
        ...nsp,
        sockets: nsp.sockets.map((socket) => ({
          ...socket,
          id: text(socket.id),
          rooms: socket.rooms.map(text),
          address: text(socket.address),
          query: Object.fromEntries(Object.entries(socket.query).map(([key, value]) => [key, key === "t" ? "T".repeat(value.length) : text(value)])),
          auth: text(socket.auth),
        })),
        rooms: nsp.rooms.map((room) => ({ name: text(room.name), members: room.members.map(text) })),
      })),
    })),
  };
}

function makeReplacer(ids: Map<string, string>, ports: ReadonlyMap<string, string>): Replacer {
  const idPattern = ids.size ? new RegExp([...ids.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp).join("|"), "g") : undefined;
  const replaceIds = (text: string): string => (idPattern ? text.replace(idPattern, (id) => ids.get(id) ?? id) : text);
  const numbers = [...ports.keys()].filter((p) => /^\d+$/.test(p));
  const portPattern = numbers.length ? new RegExp(`(:|"port":)(${numbers.join("|")})(?!\\d)`, "g") : undefined;
  return {
    raw: (text) => {
      let out = stableEmbeddedHandshake(replaceIds(text))
        .replace(/(\r\nDate: )[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT/g, `$1${HTTP_DATE}`)
        .replace(/(\r\nSec-WebSocket-Key: )[A-Za-z0-9+/]{22}==/gi, `$1${ZERO_KEY}`)
        .replace(/(\r\nSec-WebSocket-Accept: )[A-Za-z0-9+/]{27}=/gi, `$1${ZERO_ACCEPT}`)
        .replace(/([?&]t=)([A-Za-z0-9_-]+)/g, (_, lead: string, value: string) => lead + "T".repeat(value.length));
      if (portPattern) out = out.replace(portPattern, (_, lead: string, port: string) => lead + "0".repeat(port.length));
      return out;
    },
    text: (text) => {
      let out = replaceIds(text).replace(/ \+\d+(?:ms|s|m|h)\b/g, " +Nms");
      if (portPattern) out = out.replace(portPattern, (_, lead: string, port: string) => lead + (ports.get(port) ?? "PORT"));
      return out;
    },
  };
}

/**
 * The chunks with their bytes rewritten: masks zeroed, ids, dates, keys, ports
 * and cache-busters replaced. `streamsOut` receives each connection's streams
 * as text, in the stable connection order.
 */
function stabilizeChunks(chunks: readonly Chunk[], replacer: Replacer, order: ReadonlyMap<number, number>, streamsOut?: string[]): Chunk[] {
  const byStream = new Map<string, Chunk[]>();
  for (const chunk of [...chunks].sort((a, b) => a.seq - b.seq)) {
    const key = `${chunk.conn}:${chunk.dir}`;
    const list = byStream.get(key);
    if (list) list.push(chunk);
    else byStream.set(key, [chunk]);
  }
  const rewritten = new Map<Chunk, string>();
  const streams = [...byStream.values()].sort((a, b) => (order.get(a[0].conn) ?? 0) - (order.get(b[0].conn) ?? 0) || (a[0].dir < b[0].dir ? -1 : 1));
  for (const list of streams) {
    const parts = list.map((c) => Buffer.from(c.data, "base64"));
    const bytes = new Uint8Array(Buffer.concat(parts));
    if (list[0].dir === "in") {
      // Frames can only be followed up to the first chunk the capture cut short.
      const cut = list.findIndex((c) => c.truncated);
      const end = cut < 0 ? bytes.length : parts.slice(0, cut + 1).reduce((n, p) => n + p.length, 0);
      const start = webSocketStart(latin1(bytes.subarray(0, end)));
      if (start !== undefined) zeroMasks(bytes, start, end);
    }
    const text = replacer.raw(latin1(bytes));
    streamsOut?.push(text);
    const out = Buffer.from(text, "latin1");
    let at = 0;
    list.forEach((chunk, i) => {
      rewritten.set(chunk, out.subarray(at, at + parts[i].length).toString("base64"));
      at += parts[i].length;
    });
  }
  return chunks.map((chunk) => ({ ...chunk, data: rewritten.get(chunk) ?? chunk.data }));
}

/** Returns `trace` with every run-specific value replaced by a placeholder (see the file comment). */
export function stabilize(folded: Trace): Trace {
  // Numbered call by call: repeated turns are expanded, then folded again in the stable numbering.
  const trace = dropStrayHeartbeats({ ...folded, steps: folded.steps.map(expandedStep) });
  const connectionOrder = perProcessIds(stableConnectionOrder(trace.connections, trace.chunks));
  const rawStreams: string[] = [];
  const identity: Replacer = { raw: (t) => t, text: (t) => t };
  // First pass only to read the streams with masks removed, so ids in client frames are found too.
  stabilizeChunks(trace.chunks, identity, connectionOrder, rawStreams);
  const ids = findSessionIds(rawStreams);
  addRecoveryOffsets(ids, rawStreams, Date.parse(trace.meta.startedAt));
  addAdapterIds(ids, rawStreams);
  const newId = (id: number): number => connectionOrder.get(id) ?? id;
  const replacer = makeReplacer(ids, stablePorts(trace, [...trace.connections].sort((a, b) => newId(a.id) - newId(b.id))));

  // Calls are numbered in the stable walk order (steps, callbacks in stable order, depth first), so that
  // neither records outside the trace (module loading, dropped ones) nor arrival order shift them.
  const roots = stableRootOrder(trace.steps, trace.chunks, connectionOrder);
  const walkRank = new Map<number, number>();
  for (const stepRoots of roots) walkCalls(stepRoots, (node) => walkRank.set(node.seq, walkRank.size + 1));
  const outside = new Set<number>();
  for (const step of trace.steps) walkCalls(step.calls, (node) => node.async && !walkRank.has(node.async.from) && outside.add(node.async.from));
  for (const chunk of trace.chunks) if (chunk.call !== undefined && !walkRank.has(chunk.call)) outside.add(chunk.call);
  for (const seq of [...outside].sort((a, b) => a - b)) walkRank.set(seq, walkRank.size + 1);
  const callRank = perProcessIds(walkRank);
  // Chunks are numbered connection by connection (stable order), in capture order within each.
  const chunkRank = perProcessIds(new Map(
    [...trace.chunks]
      .sort((a, b) => newId(a.conn) - newId(b.conn) || a.seq - b.seq)
      .map((chunk, i) => [chunk.seq, i + 1]),
  ));

  const chunks = stabilizeChunks(trace.chunks, replacer, connectionOrder)
    .map((chunk) => ({
      ...chunk,
      seq: chunkRank.get(chunk.seq) ?? chunk.seq,
      conn: newId(chunk.conn),
      time: 0,
      ...(chunk.call !== undefined && { call: callRank.get(chunk.call) ?? chunk.call }),
      // A range of seqs has no counterpart among the ranks (they follow the walk, not the seqs).
      callEnd: undefined,
    }))
    .sort((a, b) => a.seq - b.seq);
  const values = (record: Readonly<Record<string, string>>): Record<string, string> =>
    Object.fromEntries(Object.entries(record).map(([key, value]) => [key, replacer.text(value)]));

  return {
    meta: {
      ...trace.meta,
      startedAt: STABLE_DATE,
      ...(trace.meta.address !== undefined && { address: replacer.text(trace.meta.address) }),
      ...(trace.meta.processes && { processes: stableProcesses(trace.meta.processes, replacer.text) }),
    },
    functions: trace.functions,
    steps: trace.steps.map((step, index) => ({
      ...step,
      explanation: replacer.text(step.explanation),
      values: values(step.values),
      started: 0,
      ended: 0,
      ...foldTurns(
        mapCallTrees(roots[index], (node, children): CallNode => ({
          ...node,
          seq: callRank.get(node.seq) ?? node.seq,
          start: 0,
          end: 0,
          children,
          ...(node.async && { async: { kind: node.async.kind, from: callRank.get(node.async.from) ?? node.async.from } }),
        })),
      ),
      chunks: step.chunks.map((seq) => chunkRank.get(seq) ?? seq).sort((a, b) => a - b),
      ...(step.state && { state: stableState(step.state, replacer) }),
    })),
    connections: [...trace.connections].sort((a, b) => newId(a.id) - newId(b.id)).map((connection) => ({
      ...connection,
      id: newId(connection.id),
      remote: replacer.text(connection.remote),
      local: replacer.text(connection.local),
      opened: 0,
      ...(connection.closed !== undefined && { closed: 0 }),
    })),
    chunks,
    logs: trace.logs.map((log) => ({ ...log, time: 0, text: replacer.text(log.text), ...(log.call !== undefined && { call: callRank.get(log.call) ?? log.call }) })),
    dropped: trace.dropped,
    ...(trace.links && { links: stableLinks(trace.links, callRank, chunkRank) }),
  };
}
