/**
 * The Socket.IO decoding state of each Engine.IO session, shared by the TCP
 * connections that carry it. Long-polling sends one session over many HTTP
 * requests, often each on a connection of its own: a BINARY_EVENT's header
 * may come in one POST and its attachments in the next, so the state that
 * waits for them belongs to the session (its `sid`), not to a connection.
 */
import type { Direction } from "../trace/model.js";
import { createSocketStream, type SocketStream } from "./socketio.js";

/** The Socket.IO streams of a run's sessions, one per session id and direction. */
export interface SessionStreams {
  /** The stream of session `sid` in direction `dir`, created on first use. */
  stream(sid: string, dir: Direction): SocketStream;
}

/**
 * Creates an empty set of session streams, for the decoders of one process's connections.
 *
 * @example
 * const sessions = createSessionStreams();
 * createConnectionDecoder(1, sessions); createConnectionDecoder(2, sessions); // one sid's POSTs share a stream
 */
export function createSessionStreams(): SessionStreams {
  const streams = new Map<string, SocketStream>();
  return {
    stream(sid, dir) {
      const key = `${dir} ${sid}`;
      let stream = streams.get(key);
      if (!stream) streams.set(key, (stream = createSocketStream()));
      return stream;
    },
  };
}

/** The Engine.IO session id a request's target names (`…&sid=…`), if any. */
export function sessionOf(target: string): string | undefined {
  const q = target.indexOf("?");
  if (q < 0) return undefined;
  return new URLSearchParams(target.slice(q + 1)).get("sid") ?? undefined;
}
