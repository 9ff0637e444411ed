/**
 * Who is at each end of a connection, in words, for a trace of one process or of several
 * (`meta.processes`): `client → server A`, `server B → Redis`, `server worker-1 → server primary`.
 * A connection the process opened itself (`outgoing`: its adapter's to Redis or PostgreSQL, an IPC
 * channel) has the process at its writing end.
 */
import { PROCESS_ID_STRIDE, type Connection, type Trace } from "./model.js";

/** The two ends of a connection: the traced server's side and its peer. */
export interface ConnectionEnds {
  /** `server`, or `server A` in a trace of several processes. */
  readonly server: string;
  /** `client`; for a connection the process opened, what it reached ({@link peerOf}). */
  readonly peer: string;
  /** The process opened it: `out` is what the server sent its peer. */
  readonly outgoing: boolean;
  /** Its process id (0 in a trace of one). */
  readonly process: number;
}

/** The name of process `id` as the trace gives it: `server A`, or `server` in a trace of one. */
export function serverName(trace: IdSpace, id: number | undefined): string {
  const name = trace.meta.processes?.find((p) => p.id === (id ?? 0))?.name;
  return name === undefined ? "server" : `server ${name}`;
}

/** The ends of every connection of the trace, by id. */
export function connectionEnds(trace: Pick<Trace, "meta" | "connections">): Map<number, ConnectionEnds> {
  return new Map(trace.connections.map((c: Connection) => [c.id, {
    server: serverName(trace, c.process),
    peer: peerOf(c),
    outgoing: c.outgoing === true,
    process: c.process ?? 0,
  }]));
}

/**
 * Who is at the other end of `c`, in words: `client` for one the server accepted; for one the process
 * opened, the service its bytes were recognised as (`Redis`, `PostgreSQL`), the process at the other
 * end of an IPC channel (`server primary`), or `service` when nothing told which.
 */
export function peerOf(c: Connection): string {
  if (c.remote.startsWith("ipc:")) return `server ${c.remote.slice(4)}`;
  if (!c.outgoing) return "client";
  return c.service ?? "service";
}

/** `client → server A`, `server A → Redis`, `Redis → server A`: which way a message went. */
export function directionWords(ends: ConnectionEnds | undefined, dir: "in" | "out"): string {
  const server = ends?.server ?? "server";
  const peer = ends?.peer ?? "client";
  return dir === "in" ? `${peer} → ${server}` : `${server} → ${peer}`;
}

/** What showing an id needs of a trace: its processes, when it has several. */
export interface IdSpace {
  readonly meta: Pick<Trace["meta"], "processes">;
}

/** A trace of one process, whose ids are shown as they are. */
export const ONE_PROCESS: IdSpace = { meta: {} };

/**
 * An id (a connection's, a call's) as a reader knows it: its own process's number, named after
 * the process in a trace of several (`B 1` for 2³² + 1), since the trace's offsets that keep ids
 * unique mean nothing to a reader; the id itself in a trace of one.
 */
export function displayId(trace: IdSpace, id: number): string {
  const processes = trace.meta.processes;
  if (!processes || processes.length < 2) return String(id);
  const k = Math.floor(id / PROCESS_ID_STRIDE);
  const name = processes.find((p) => p.id === k)?.name ?? String(k);
  return `${name} ${id - k * PROCESS_ID_STRIDE}`;
}

/** `displayId` as `<process> <word> <n>`: `conn 3`, `B conn 1`; `call #12`, `B call #7`; `#12`, `B #7`. */
function named(trace: IdSpace, id: number, word: string): string {
  const shown = displayId(trace, id);
  const at = shown.lastIndexOf(" ");
  return at < 0 ? `${word}${shown}` : `${shown.slice(0, at)} ${word}${shown.slice(at + 1)}`;
}

/** `conn 3`, or `B conn 1` in a trace of several processes. */
export function connText(trace: IdSpace, conn: number): string {
  return named(trace, conn, "conn ");
}

/** `call #12`, or `B call #7` in a trace of several processes. */
export function callText(trace: IdSpace, seq: number): string {
  return named(trace, seq, "call #");
}

/** `#12`, or `B #7` in a trace of several processes: a call's seq where the word is already said. */
export function seqText(trace: IdSpace, seq: number): string {
  return named(trace, seq, "#");
}

/** The services a traced process's own connections reach, by the kind of their first decoded layer. */
const SERVICES: Readonly<Record<string, string>> = { redis: "Redis", postgres: "PostgreSQL" };

/** `Redis` for a message decoded as RESP, `PostgreSQL` for one of its wire protocol; else undefined. */
export function serviceOfLayer(kind: string | undefined): string | undefined {
  return kind === undefined ? undefined : SERVICES[kind];
}
