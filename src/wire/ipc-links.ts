/**
 * Links across a Node IPC channel: a message one process wrote (its `out` on `ipc:<peer>`) and
 * the same message as the peer received it (its `in` on `ipc:<sender>`), matched by its bytes
 * (the digest of its value: the receiver's copy is serialized again at its end) in channel order,
 * never by time: a channel is one pipe, so the k-th copy of a message received is the k-th written.
 */
import type { CrossLink } from "../trace/model.js";
import type { IpcLayer, WireMessage } from "./types.js";

/** Where a message was, as the links need it: its process's name and its connection's remote (`ipc:worker-2`). */
export interface IpcEnds {
  process(conn: number): string | undefined;
  remote(conn: number): string | undefined;
}

function ipcLayer(m: WireMessage): IpcLayer | undefined {
  const layer = m.layers[0];
  return layer?.kind === "ipc" && layer.digest !== undefined && !layer.malformed ? layer : undefined;
}

const PREFIX = "ipc:";

/**
 * Each IPC message written linked to its receipt, `messages` in time order (each process's own
 * order is kept). The link's channel is the sender's connection (`ipc:primary`, `ipc:worker-2`).
 *
 * @example
 * ipcLinks(messages, ends); // [{ channel: "ipc:primary", from: { process: "worker-1", … }, to: { process: "primary", … } }]
 */
export function ipcLinks(messages: readonly WireMessage[], ends: IpcEnds): CrossLink[] {
  const key = (sender: string, receiver: string, layer: IpcLayer) => `${sender}\u0000${receiver}\u0000${layer.digest}`;
  const inbox = new Map<string, WireMessage[]>();
  for (const m of messages) {
    const layer = ipcLayer(m);
    const receiver = ends.process(m.conn);
    const sender = ends.remote(m.conn);
    if (!layer || m.dir !== "in" || receiver === undefined || !sender?.startsWith(PREFIX)) continue;
    const k = key(sender.slice(PREFIX.length), receiver, layer);
    const list = inbox.get(k) ?? [];
    list.push(m);
    inbox.set(k, list);
  }
  const out: CrossLink[] = [];
  for (const m of messages) {
    const layer = ipcLayer(m);
    const sender = ends.process(m.conn);
    const channel = ends.remote(m.conn);
    if (!layer || m.dir !== "out" || sender === undefined || !channel?.startsWith(PREFIX)) continue;
    // First in, first out: this write's receipt is the earliest one of the same bytes not yet taken.
    const r = inbox.get(key(sender, channel.slice(PREFIX.length), layer))?.shift();
    if (!r) continue;
    out.push({
      channel,
      from: { process: sender, chunk: m.firstChunk, ...(m.call !== undefined ? { call: m.call } : {}) },
      to: { process: ends.process(r.conn)!, chunk: r.firstChunk, ...(r.call !== undefined ? { call: r.call } : {}), ...(r.callEnd !== undefined ? { callEnd: r.callEnd } : {}) },
    });
  }
  return out;
}
