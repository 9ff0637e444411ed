/**
 * The diagram's lanes for a user's own app: one per client, not per TCP connection. A client is
 * its Engine.IO session (`sid`): the polling requests it made, on however many connections, and
 * the WebSocket it upgraded to are one participant. A connection that carried no session (a plain
 * HTTP request, a refused handshake) keeps a lane of its own. Pure.
 */
import { connectionNames } from "../wire/connection-names.js";
import type { WireMessage } from "../wire/types.js";

/** Connections drawn on one lane: a client's (its session id) or a lone connection's. */
export interface LaneGroup {
  /** In the order the client first used them. */
  readonly conns: readonly number[];
  /** The Engine.IO session the connections carried; absent for a lone connection. */
  readonly sid?: string;
}

/**
 * One group per client (Engine.IO session), in order of its first message, plus one per
 * connection that carried no session.
 *
 * @example
 * clientLanes(messages); // [{ sid: "Fe8SqO…", conns: [1, 2, 3] }, { conns: [4] }]
 */
export function clientLanes(messages: readonly WireMessage[]): LaneGroup[] {
  const names = connectionNames(messages);
  const groups = new Map<string, { conns: number[]; sid?: string }>();
  for (const message of messages) {
    const sid = names.get(message.conn)?.sid;
    const key = sid !== undefined ? `sid ${sid}` : `conn ${message.conn}`;
    const group = groups.get(key) ?? { conns: [], ...(sid !== undefined ? { sid } : {}) };
    groups.set(key, group);
    if (!group.conns.includes(message.conn)) group.conns.push(message.conn);
  }
  return [...groups.values()];
}
