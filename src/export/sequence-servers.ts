/**
 * The server side of the report's sequence diagram. A trace of one process has one participant,
 * the server. A trace of several (`meta.processes`) has one per process (`server A`, `server B`;
 * `server primary`, `server worker-1`) and one per service a process opened connections to (Redis,
 * PostgreSQL),
 * so that each message is drawn between the two ends that really exchanged it: client → server A,
 * server A → Redis, Redis → server B, server worker-1 → server primary over IPC. The same ends as
 * the frames tables name (`connectionEnds`). Pure.
 */
import type { Direction, Trace } from "../trace/model.js";
import { peerOf } from "../trace/process-names.js";

/** Participants and arrows of the diagram's servers. */
export interface ServerSide {
  /** Their `participant` lines, drawn after the clients'. */
  readonly declarations: readonly string[];
  /** The right-most participant, where notes end. */
  readonly last: string;
  /** A connection to a client (drawn on a client's lane); false for a service's (Redis) and IPC. */
  readonly isClient: (conn: number) => boolean;
  /** The arrow of a message on `conn` going `dir`, `lane` being its client's participant. */
  readonly arrow: (conn: number, dir: Direction, lane: string) => string;
}

/** The one server of a trace of one process: every connection is a client's. */
const ONE_SERVER: ServerSide = {
  declarations: ["    participant S as server (socket.io + engine.io on http.Server)"],
  last: "S",
  isClient: () => true,
  arrow: (_conn, dir, lane) => (dir === "in" ? `${lane}->>S` : `S-->>${lane}`),
};

/** The server side of `trace`'s diagram. */
export function serverSide(trace: Pick<Trace, "meta" | "connections">): ServerSide {
  const processes = trace.meta.processes ?? [];
  if (processes.length < 2) return ONE_SERVER;
  const participant = (id: number): string => `S${id}`;
  const byName = new Map(processes.map((p) => [p.name, p.id]));
  const connections = new Map(trace.connections.map((c) => [c.id, c]));
  // The peer process of an IPC connection: its remote is `ipc:<name>`.
  const ipcPeer = (conn: number): number | undefined => {
    const remote = connections.get(conn)?.remote ?? "";
    return remote.startsWith("ipc:") ? byName.get(remote.slice(4)) : undefined;
  };
  // IPC channels count as opened by both ends; the other connections a process opened go to a service,
  // one participant per service the trace names (Redis, PostgreSQL; `service` when none was recognised).
  const services: string[] = [];
  for (const c of trace.connections) {
    if (c.outgoing !== true || ipcPeer(c.id) !== undefined) continue;
    const name = peerOf(c);
    if (!services.includes(name)) services.push(name);
  }
  const serviceParticipant = (conn: number): string | undefined => {
    const c = connections.get(conn);
    if (c?.outgoing !== true || ipcPeer(conn) !== undefined) return undefined;
    const at = services.indexOf(peerOf(c));
    return at === 0 ? "R" : `R${at}`;
  };
  const declarations = [
    ...processes.map((p) => `    participant ${participant(p.id)} as server ${p.name}`),
    ...services.map((name, i) => `    participant ${i === 0 ? "R" : `R${i}`} as ${name}`),
  ];
  return {
    declarations,
    last: services.length ? (services.length === 1 ? "R" : `R${services.length - 1}`) : participant(processes[processes.length - 1].id),
    isClient: (conn) => connections.get(conn)?.outgoing !== true && ipcPeer(conn) === undefined,
    arrow: (conn, dir, lane) => {
      const connection = connections.get(conn);
      const server = participant(connection?.process ?? 0);
      const peer = serviceParticipant(conn) ?? ipcPeer(conn);
      if (peer === undefined) return dir === "in" ? `${lane}->>${server}` : `${server}-->>${lane}`;
      // Between servers, or to Redis: each side's writes are drawn from it.
      const other = typeof peer === "number" ? participant(peer) : peer;
      return dir === "out" ? `${server}->>${other}` : `${other}-->>${server}`;
    },
  };
}
