/**
 * The stepper's lanes of a trace of several processes (server A and B, a cluster's primary and
 * workers): which process each call and frame belongs to, the rows that head each process's
 * lane in the calls and frames panes, the `v` key's view (all processes, or one at a time), and
 * what each connection's peer is (a client, Redis, another process over IPC). Pure: the panes
 * only draw what this returns. A trace of one process has no lanes, and nothing here changes it.
 */
import { PROCESS_ID_STRIDE, type CallNode, type Connection, type Trace } from "../trace/model.js";
import type { WireMessage } from "../wire/types.js";
import type { ConnectionName } from "../wire/connection-names.js";
import { peerOf } from "../trace/process-names.js";

/** One traced process as the stepper names its lane. */
export interface ProcessLane {
  readonly id: number;
  /** `server A`, `primary`, `worker-1`. */
  readonly name: string;
}

/**
 * A process's name as a reader knows it: a scenario's one-letter names (`A`, `B`, and the own
 * app's files) are servers (`server A`); names that say what they are (`primary`, `worker-1`)
 * stay as they are.
 */
export function laneName(name: string): string {
  return name.length <= 2 ? `server ${name}` : name;
}

/** The lanes of `trace`, in its processes' order; none in a trace of one process. */
export function processLanes(trace: { readonly meta: Pick<Trace["meta"], "processes"> }): ProcessLane[] {
  const processes = trace.meta.processes ?? [];
  return processes.length < 2 ? [] : processes.map((p) => ({ id: p.id, name: laneName(p.name) }));
}

/** The process of an id (a call's seq, a connection's id): the trace offsets process k's ids by k × the stride. */
export function processOfId(id: number): number {
  return Math.floor(id / PROCESS_ID_STRIDE);
}

/** The process a call tree ran in. */
export function callProcess(node: Pick<CallNode, "process" | "seq">): number {
  return node.process ?? processOfId(node.seq);
}

/** The process whose connection carried a frame. */
export function frameProcess(message: Pick<WireMessage, "conn">): number {
  return processOfId(message.conn);
}

/**
 * What `v` shows: every process (`undefined`) or the one with this id. Cycles all → each lane in
 * order → all; with fewer than two lanes it stays on all.
 */
export function nextProcessView(view: number | undefined, lanes: readonly ProcessLane[]): number | undefined {
  if (lanes.length < 2) return undefined;
  const at = view === undefined ? -1 : lanes.findIndex((lane) => lane.id === view);
  return at + 1 < lanes.length ? lanes[at + 1].id : undefined;
}

/** The view in words, for the header and the status message: `all 2 processes`, `server B only (2/2)`. */
export function processViewText(view: number | undefined, lanes: readonly ProcessLane[]): string {
  const at = view === undefined ? -1 : lanes.findIndex((lane) => lane.id === view);
  if (at < 0) return `all ${lanes.length} processes`;
  return `${lanes[at].name} only (${at + 1}/${lanes.length})`;
}

/**
 * `items` as the view shows them: those of process `view` only; or, with every process shown,
 * grouped lane by lane in the lanes' order (each lane's own order kept), so each lane is one
 * block under its header. Unchanged without lanes.
 */
export function inView<T>(items: readonly T[], processOf: (item: T) => number, view: number | undefined, lanes: readonly ProcessLane[]): readonly T[] {
  if (lanes.length < 2) return items;
  if (view !== undefined) return items.filter((item) => processOf(item) === view);
  const rank = new Map(lanes.map((lane, i) => [lane.id, i]));
  const order = (item: T): number => rank.get(processOf(item)) ?? lanes.length;
  // Array.prototype.sort is stable: each lane keeps its own call or wire order.
  return items.map((item, index) => ({ item, index })).sort((a, b) => order(a.item) - order(b.item) || a.index - b.index).map((x) => x.item);
}

/** A row of a pane with lanes: a lane's header, or item `index` of the pane's list. */
export type LaneRow<T> = { readonly kind: "header"; readonly text: string } | { readonly kind: "item"; readonly index: number; readonly item: T };

/**
 * `items` with a header row before each run of one process's items (`── server A`).
 * `processOf` says which process an item starts a run of, or undefined for an item that goes
 * with the one before it (a call below its root). Without lanes, the items alone.
 */
export function laneRows<T>(items: readonly T[], processOf: (item: T) => number | undefined, lanes: readonly ProcessLane[]): LaneRow<T>[] {
  const rows: LaneRow<T>[] = [];
  const names = new Map(lanes.map((lane) => [lane.id, lane.name]));
  let current: number | undefined;
  items.forEach((item, index) => {
    const process = lanes.length < 2 ? undefined : processOf(item);
    if (process !== undefined && process !== current) {
      current = process;
      rows.push({ kind: "header", text: `── ${names.get(process) ?? `process ${process}`}` });
    }
    rows.push({ kind: "item", index, item });
  });
  return rows;
}

/**
 * The first row of `rows` on screen, `height` at a time: the cursor's item in view and, when
 * the list's scroll is at an item that opens a lane, that lane's header with it.
 */
export function laneWindow<T>(rows: readonly LaneRow<T>[], cursor: number, scroll: number, height: number): number {
  const at = (index: number): number => Math.max(0, rows.findIndex((row) => row.kind === "item" && row.index === index));
  const cursorRow = at(cursor);
  let start = at(scroll);
  if (start > 0 && rows[start - 1].kind === "header") start -= 1;
  const shown = Math.max(1, height);
  if (cursorRow < start) start = cursorRow > 0 && rows[cursorRow - 1].kind === "header" ? cursorRow - 1 : cursorRow;
  if (cursorRow >= start + shown) start = cursorRow - shown + 1;
  return Math.max(0, Math.min(start, rows.length - shown));
}

/** Who is at the other end of a connection, seen from its traced process. */
export interface ConnectionPeer {
  /** Its process's lane name (`server A`; `server` in a trace of one). */
  readonly server: string;
  /** `client`, `Redis`, or `IPC worker-1` (the process at the other end of an IPC channel). */
  readonly peer: string;
  /** A connection between servers (Redis, IPC), not a client's. */
  readonly inter: boolean;
  /** One the process opened to a service (Redis, PostgreSQL), labelled `Redis c1`. */
  readonly service: boolean;
}

/**
 * The peer of every connection: the ones a process opened itself are its adapter's, to the service
 * the trace names (`peerOf`: Redis, PostgreSQL), or, named `ipc:<process>`, Node's IPC channel to
 * that process; every other one a client's.
 */
export function connectionPeers(trace: Pick<Trace, "meta" | "connections">): Map<number, ConnectionPeer> {
  const names = new Map((trace.meta.processes ?? []).map((p) => [p.id, laneName(p.name)]));
  // An IPC channel is named by its lane (`IPC primary`), a service by what the trace says it is.
  const peerText = (c: Connection): string => (c.remote.startsWith("ipc:") ? `IPC ${c.remote.slice(4)}` : peerOf(c));
  return new Map(trace.connections.map((c) => {
    const peer = peerText(c);
    const service = c.outgoing === true && !c.remote.startsWith("ipc:");
    return [c.id, { server: names.get(c.process ?? 0) ?? "server", peer, inter: peer !== "client", service }];
  }));
}

/** `client → server A`, `server A → Redis`, `IPC primary → worker-1`: which way a frame went. */
export function peerWords(peer: ConnectionPeer | undefined, dir: "in" | "out"): string {
  const server = peer?.server ?? "server";
  const other = peer?.peer ?? "client";
  return dir === "in" ? `${other} → ${server}` : `${server} → ${other}`;
}

/**
 * The connections' list labels with the servers' own connections named by their peer (`Redis
 * c1`, `IPC primary`) instead of a client's label, so a frame row says which kind it is.
 */
export function withPeerLabels(names: ReadonlyMap<number, ConnectionName>, peers: ReadonlyMap<number, ConnectionPeer>): ReadonlyMap<number, ConnectionName> {
  if (![...peers.values()].some((p) => p.inter)) return names;
  const out = new Map(names);
  for (const [conn, name] of names) {
    const peer = peers.get(conn);
    if (!peer?.inter) continue;
    const own = conn - processOfId(conn) * PROCESS_ID_STRIDE;
    out.set(conn, { ...name, label: peer.service ? `${peer.peer} c${own}` : peer.peer });
  }
  return out;
}
