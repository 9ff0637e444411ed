/**
 * What the server announced on the wire, for the Flask steps' quoted options:
 * the fields of the first Engine.IO open packet the server wrote. An option's
 * value in force is the server's; what the client was told is this packet's,
 * and the two can differ (python-engineio announces `int(ping_interval) * 1000`).
 * Pure: trace in, fields out.
 */
import type { Trace } from "../trace/model.js";
import { messagesOf } from "../wire/index.js";

const cache = new WeakMap<Trace, ReadonlyMap<string, string>>();

function decodeOpenPacket(trace: Trace): ReadonlyMap<string, string> {
  for (const message of messagesOf(trace.chunks)) {
    if (message.dir !== "out") continue;
    for (const layer of message.layers) {
      if (layer.kind !== "engine.io") continue;
      const open = layer.packets.find((p) => p.name === "open");
      if (!open) continue;
      try {
        const data: unknown = JSON.parse(open.data);
        if (!data || typeof data !== "object" || Array.isArray(data)) return new Map();
        return new Map(Object.entries(data).map(([key, value]) => [key, JSON.stringify(value)]));
      } catch {
        // A malformed open packet announces nothing that can be quoted.
        return new Map();
      }
    }
  }
  return new Map();
}

/**
 * The fields of the server's first open packet, each as the JSON text the wire
 * carried (`pingInterval` → `1000`); empty when the trace holds none.
 */
export function announcedByServer(trace: Trace): ReadonlyMap<string, string> {
  let fields = cache.get(trace);
  if (!fields) {
    fields = decodeOpenPacket(trace);
    cache.set(trace, fields);
  }
  return fields;
}
