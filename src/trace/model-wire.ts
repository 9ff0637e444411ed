/**
 * The trace model's wire: connections and the chunks of bytes captured on them, exactly as
 * read or written. Split from `model.ts`, which re-exports it.
 */

/** Which way bytes travelled, seen from the traced server. */
export type Direction = "in" | "out";

/** A TCP connection accepted by the traced HTTP server, or one the traced process opened (to Redis). */
export interface Connection {
  readonly id: number;
  readonly remote: string;
  readonly local: string;
  /** Milliseconds since the trace started. */
  readonly opened: number;
  readonly closed?: number;
  /** Opened by the traced process (its Redis clients): `out` is then what it sent, `in` what it got. */
  readonly outgoing?: boolean;
  /**
   * What a connection the process opened reached, as its bytes tell (`Redis`, `PostgreSQL`): set by
   * assembly from the decoded messages, so that no reader guesses the peer from `outgoing` alone.
   * Absent for a client's connection, an IPC channel, or bytes no decoder recognised.
   */
  readonly service?: string;
  /**
   * The traced process this came from (`TraceMeta.processes`), in a trace of
   * several; absent in a trace of one process (and in files before version 2): process 0.
   */
  readonly process?: number;
}

/** Bytes read or written on a connection, exactly as captured, in wire order. */
export interface Chunk {
  /** Global capture order across all connections and both directions. */
  readonly seq: number;
  readonly conn: number;
  readonly dir: Direction;
  readonly time: number;
  /** Base64 of the captured bytes (possibly cut, see `truncated`). */
  readonly data: string;
  /** Bytes on the wire, even when `data` was cut to bound memory. */
  readonly size: number;
  readonly truncated?: boolean;
  /** Call that wrote these bytes (out) or the first call they started (in). */
  readonly call?: number;
  /**
   * In: the seq after the last call they started synchronously, so the calls are
   * `call <= seq < callEnd`. One read can carry several messages, each run by a handler of its own.
   */
  readonly callEnd?: number;
  /**
   * The traced process this came from (`TraceMeta.processes`), in a trace of
   * several; absent in a trace of one process (and in files before version 2): process 0.
   */
  readonly process?: number;
}
