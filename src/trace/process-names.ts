/**
 * Who is at each end of a connection, in words, for a trace of one process or of several
 * (`meta.processes`): `client → server A`, `server B → Redis`. A connection the process opened
 * itself (`outgoing`: its Redis clients) has the process at its writing end.
 */
import type { Connection, Trace } from "./model.js";

/** The two ends of a connection: the traced server's side and its peer. */
export interface ConnectionEnds {
  /** `server`, or `server A` in a trace of several processes. */
  readonly server: string;
  /** `client`, or `Redis` for a connection the process opened to its Redis. */
  readonly peer: string;
  /** The process opened it: `out` is what the server sent its peer. */
  readonly outgoing: boolean;
  /** Its process id (0 in a trace of one). */
  readonly process: number;
}

/** The name of process `id` as the trace gives it: `server A`, or `server` in a trace of one. */
export function serverName(trace: Pick<Trace, "meta">, id: number | undefined): string {
  const name = trace.meta.processes?.find((p) => p.id === (id ?? 0))?.name;
  return name === undefined ? "server" : `server ${name}`;
}

/** The ends of every connection of the trace, by id. */
export function connectionEnds(trace: Pick<Trace, "meta" | "connections">): Map<number, ConnectionEnds> {
  return new Map(trace.connections.map((c: Connection) => [c.id, {
    server: serverName(trace, c.process),
    // The only connections a traced process opens itself are its adapter's, to Redis.
    peer: c.outgoing ? "Redis" : "client",
    outgoing: c.outgoing === true,
    process: c.process ?? 0,
  }]));
}

/** `client → server A`, `server A → Redis`, `Redis → server A`: which way a message went. */
export function directionWords(ends: ConnectionEnds | undefined, dir: "in" | "out"): string {
  const server = ends?.server ?? "server";
  const peer = ends?.peer ?? "client";
  return dir === "in" ? `${peer} → ${server}` : `${server} → ${peer}`;
}
