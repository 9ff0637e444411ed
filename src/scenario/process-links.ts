/**
 * The links between the processes of a run of several: what one published on Redis joined to
 * what another received, by the bytes (`crossLinks`), and what one wrote on a Node IPC channel
 * joined to its receipt at the other end (`ipcLinks`), from the messages each process decoded
 * (moved into the trace's ids). Pure; assembly calls it.
 */
import type { CallNode, CrossLink, FunctionInfo, Step } from "../trace/model.js";
import { eachTurn } from "../trace/turn-calls.js";
import { crossLinks } from "../wire/cross-links.js";
import { ipcLinks } from "../wire/ipc-links.js";
import type { WireMessage } from "../wire/types.js";

/** One process's decoded messages, with its name and the map from its ids to the trace's. */
export interface ProcessMessages {
  readonly id: number;
  readonly name: string;
  readonly messages: readonly WireMessage[];
  readonly ids: (n: number) => number;
  /** The remote name of one of its connections, in its own ids (`ipc:primary`). */
  readonly remote?: (conn: number) => string | undefined;
}

/** The packages whose calls publish for the app: the adapters. */
const ADAPTERS: ReadonlySet<string> = new Set(["@socket.io/redis-adapter"]);

function inTraceIds(m: WireMessage, ids: (n: number) => number): WireMessage {
  return {
    ...m,
    conn: ids(m.conn),
    firstChunk: ids(m.firstChunk),
    lastChunk: ids(m.lastChunk),
    ...(m.call !== undefined ? { call: ids(m.call) } : {}),
    ...(m.callEnd !== undefined ? { callEnd: ids(m.callEnd) } : {}),
  };
}

/**
 * Every message one process published and another received, linked by its bytes. A PUBLISH
 * no traced call wrote (node-redis writes its queue on a later tick) is linked to the last
 * adapter call its process began before the write (`callBefore`).
 */
export function processLinks(processes: readonly ProcessMessages[], steps: readonly Step[], functions: readonly FunctionInfo[]): CrossLink[] {
  const processOfConn = new Map<number, string>();
  const redis = processes.flatMap((p) => p.messages.filter((m) => m.layers[0]?.kind === "redis").map((m) => {
    const moved = inTraceIds(m, p.ids);
    processOfConn.set(moved.conn, p.name);
    return moved;
  }));
  // One timeline: a receipt comes after its publish.
  redis.sort((a, b) => a.time - b.time);
  const timeOf = new Map(redis.map((m) => [m.firstChunk, m.time]));
  const idOf = new Map(processes.map((p) => [p.name, p.id]));
  const links = crossLinks(redis, (conn) => processOfConn.get(conn)).map((link) => {
    if (link.from.call !== undefined) return link;
    const by = publisher(steps, functions, idOf.get(link.from.process), timeOf.get(link.from.chunk) ?? 0);
    return by === undefined ? link : { ...link, from: { ...link.from, call: by, callBefore: true } };
  });
  return [...links, ...processIpcLinks(processes)];
}

/** The IPC messages of every process, each write joined to its receipt; in channel order, not by time. */
function processIpcLinks(processes: readonly ProcessMessages[]): CrossLink[] {
  const processOfConn = new Map<number, string>();
  const remoteOfConn = new Map<number, string>();
  const ipc = processes.flatMap((p) => p.messages.filter((m) => m.layers[0]?.kind === "ipc").map((m) => {
    const moved = inTraceIds(m, p.ids);
    processOfConn.set(moved.conn, p.name);
    const remote = p.remote?.(m.conn);
    if (remote !== undefined) remoteOfConn.set(moved.conn, remote);
    return moved;
  }));
  return ipcLinks(ipc, { process: (conn) => processOfConn.get(conn), remote: (conn) => remoteOfConn.get(conn) });
}

/** The last adapter call process `id` began at or before `time`. */
function publisher(steps: readonly Step[], functions: readonly FunctionInfo[], id: number | undefined, time: number): number | undefined {
  let best: CallNode | undefined;
  const pkgOf = new Map(functions.map((f) => [f.id, f.pkg]));
  const walk = (nodes: readonly CallNode[]): void => {
    for (const n of nodes) {
      if ((n.process ?? 0) !== id || n.start > time) continue;
      if (ADAPTERS.has(pkgOf.get(n.fn) ?? "") && (!best || n.start >= best.start)) best = n;
      walk(n.children);
    }
  };
  // Every call: a repeated turn folded in the step may be the one that published (read one turn at a time).
  for (const step of steps) for (const root of eachTurn(step)) walk([root]);
  return best?.seq;
}
