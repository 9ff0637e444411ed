/**
 * Links between processes: the message a server published on Redis and the same message as
 * another server received it, matched by channel and payload bytes (size and digest), so two
 * messages that merely happen close in time are never taken for one.
 */
import type { CrossLink } from "../trace/model.js";
import type { RedisLayer, WireMessage } from "./types.js";

function published(m: WireMessage): RedisLayer | undefined {
  const layer = m.layers[0];
  return layer?.kind === "redis" && layer.role === "command" && (layer.name === "PUBLISH" || layer.name === "SPUBLISH") && layer.payload ? layer : undefined;
}

function received(m: WireMessage): RedisLayer | undefined {
  const layer = m.layers[0];
  return layer?.kind === "redis" && layer.role === "push" && (layer.name === "message" || layer.name === "pmessage" || layer.name === "smessage") && layer.payload ? layer : undefined;
}

/**
 * Each PUBLISH linked to every pub/sub message with the same channel and payload bytes that a
 * process other than the publisher received after it (by time: the processes' chunks are
 * numbered apart, on one timeline), `messages` in time order. `processOf` names a connection's process.
 *
 * @example
 * crossLinks(messages, (conn) => (conn <= 4 ? "A" : "B")); // [{ channel: "socket.io#/#", from: { process: "A", … }, to: { process: "B", … } }]
 */
export function crossLinks(messages: readonly WireMessage[], processOf: (conn: number) => string | undefined): CrossLink[] {
  const key = (l: RedisLayer) => `${l.channel}\u0000${l.payload!.size}\u0000${l.payload!.digest}`;
  const inbox = new Map<string, WireMessage[]>();
  for (const m of messages) {
    const layer = received(m);
    if (!layer) continue;
    const list = inbox.get(key(layer)) ?? [];
    list.push(m);
    inbox.set(key(layer), list);
  }
  const out: CrossLink[] = [];
  // The same bytes published twice are two messages: each receipt belongs to one publish, the earliest before it.
  const used = new Set<WireMessage>();
  for (const m of messages) {
    const layer = published(m);
    const from = layer && processOf(m.conn);
    if (!layer || from === undefined) continue;
    const taken = new Set<string>();
    for (const r of inbox.get(key(layer)) ?? []) {
      const to = processOf(r.conn);
      // One receipt per process: its subscriber connection; the publisher hears its own message too, and ignores it.
      if (to === undefined || to === from || taken.has(to) || used.has(r) || r.time < m.time) continue;
      taken.add(to);
      used.add(r);
      out.push({
        channel: layer.channel ?? "",
        from: { process: from, chunk: m.firstChunk, ...(m.call !== undefined ? { call: m.call } : {}) },
        to: { process: to, chunk: r.firstChunk, ...(r.call !== undefined ? { call: r.call } : {}), ...(r.callEnd !== undefined ? { callEnd: r.callEnd } : {}) },
      });
    }
  }
  return out;
}
